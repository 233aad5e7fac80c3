// Counts every HTTP exchange with Workato from undici's diagnostics channels, by endpoint and status, without the
// Workato client having to know about metrics: retries, 429s and timeouts are seen as they happen on the wire.
import diagnosticsChannel from "node:diagnostics_channel";
import type { MetricsRecorder, WorkatoEndpoint, WorkatoRequestStatus } from "./metrics.js";

const TIMEOUT_CODES = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "UND_ERR_CONNECT_TIMEOUT"]);

/** What follows /api/managed_users/:id/recipes/:recipe_id, by method. */
const RECIPE_ENDPOINTS: Readonly<Record<string, WorkatoEndpoint>> = {
  "GET /": "get_recipe",
  "GET /jobs": "list_jobs",
  "GET /jobs/:id": "get_job",
  "POST /repeat_jobs": "repeat_jobs",
  "PUT /start": "recipe_start",
  "PUT /stop": "recipe_stop",
};

/** The endpoint a request to Workato's API names, or null for a path the bot never calls. */
export function workatoEndpointOf(method: string, path: string): WorkatoEndpoint | null {
  const [empty, api, managedUsers, ...rest] = (path.split("?")[0] ?? "").split("/");
  if (empty !== "" || api !== "api" || managedUsers !== "managed_users") return null;
  const [customer, recipes, recipeId, ...tail] = rest;
  if (recipes === undefined) return method === "GET" && customer !== "" ? "customers" : null;
  if (customer === "" || recipes !== "recipes") return null;
  if (recipeId === undefined || recipeId === "") return method === "GET" ? "list_recipes" : null;
  const tailKey = tail.length === 2 && tail[0] === "jobs" && tail[1] !== "" ? "jobs/:id" : tail.join("/");
  return RECIPE_ENDPOINTS[`${method} /${tailKey}`] ?? null;
}

interface UndiciRequest {
  origin?: unknown;
  method?: unknown;
  path?: unknown;
}

/**
 * Records each request to `baseUrl`'s origin that got an answer (its status) or none (network / timeout).
 * Other origins (Slack, response_urls) are ignored. Returns the function that stops observing.
 */
export function observeWorkatoRequests(baseUrl: string, metrics: Pick<MetricsRecorder, "workatoRequest">) {
  const origin = new URL(baseUrl).origin;
  // A body timeout fires after the headers were counted: one exchange is counted once.
  const answered = new WeakSet<object>();

  function endpointOf(request: UndiciRequest | undefined): WorkatoEndpoint | null {
    if (!request || typeof request.method !== "string" || typeof request.path !== "string") return null;
    if (originOf(request.origin) !== origin) return null;
    return workatoEndpointOf(request.method, request.path);
  }
  function record(request: UndiciRequest, status: WorkatoRequestStatus): void {
    const endpoint = endpointOf(request);
    if (endpoint === null || answered.has(request)) return;
    answered.add(request);
    metrics.workatoRequest(endpoint, status);
  }

  const onHeaders = (message: unknown) => {
    const { request, response } = message as { request?: UndiciRequest; response?: { statusCode?: unknown } };
    if (request && typeof response?.statusCode === "number") record(request, response.statusCode);
  };
  const onError = (message: unknown) => {
    const { request, error } = message as { request?: UndiciRequest; error?: unknown };
    if (request) record(request, TIMEOUT_CODES.has(errorCode(error) ?? "") ? "timeout" : "network");
  };
  diagnosticsChannel.subscribe("undici:request:headers", onHeaders);
  diagnosticsChannel.subscribe("undici:request:error", onError);
  return function stopObserving(): void {
    diagnosticsChannel.unsubscribe("undici:request:headers", onHeaders);
    diagnosticsChannel.unsubscribe("undici:request:error", onError);
  };
}

function originOf(value: unknown): string | undefined {
  try {
    return value instanceof URL ? value.origin : new URL(String(value)).origin;
  } catch {
    return undefined;
  }
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? code : undefined;
}
