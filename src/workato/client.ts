// The Workato API client: jobs (list, get, a single repeat_jobs request), recipes (get, list, start, stop) and
// customers (list, get), each paced by the account's budget (budget.ts) for its limit family. GETs retry what is safe
// to retry; a repeat is never resent by this file.
import diagnosticsChannel from "node:diagnostics_channel";
import { performance } from "node:perf_hooks";
import type { Logger } from "pino";
import type { ZodType } from "zod";
import type { Clock } from "../clock.js";
import { localBudgetFor, type WorkatoBudget } from "./budget.js";
import type { CustomerRef } from "./customer-ref.js";
import { type CallOptions, createDirectoryCalls, type DirectoryCalls } from "./directory-calls.js";
import { type Delivery, WorkatoApiError } from "./errors.js";
import { createAgent, DEFAULT_TIMEOUTS, exchangeJson, type HttpTimeouts } from "./http.js";
import type { JobStatus } from "./job-status.js";
import { type CallPriority, type LimitFamily, limitFamilyOf, MAX_JOBS_PER_REPEAT } from "./limits.js";
import {
  type JobDetails,
  type JobList,
  jobDetailsSchema,
  jobListSchema,
  type Recipe,
  recipeResponseSchema,
  repeatResponseSchema,
} from "./schemas.js";

export interface WorkatoClientOptions {
  baseUrl: string;
  token: string;
  timeouts?: Partial<HttpTimeouts>;
  /** paces every call; default: the local budget of this base URL and token, shared in the process */
  budget?: WorkatoBudget;
  /** retries of a failed GET (429, 5xx, network); default 3 */
  maxGetRetries?: number;
  /** first backoff step of GET retries; default 500 ms, doubling */
  retryBaseDelayMs?: number;
  /** how long a recipe's name is reused unless a call asks otherwise; default 10 minutes */
  recipeNameTtlMs?: number;
  logger?: Logger;
  /** when cached recipe names expire, and what a Retry-After date is measured from */
  clock: Clock;
}

export interface ListJobsQuery {
  status?: JobStatus;
  rerunOnly?: boolean;
  /** page from this job: older jobs, or newer ones with `newer` */
  offsetJobId?: string;
  newer?: boolean;
}

export type { CallOptions, ListRecipesQuery, PageQuery, RecipeControlResult } from "./directory-calls.js";

export interface RecipeCallOptions extends CallOptions {
  /** how old a cached name may be for this call; default the client's recipeNameTtlMs */
  maxAgeMs?: number;
}

/** What happened to one job of a repeat request. */
export type JobRepeatResult =
  | { jobId: string; outcome: "enqueued"; newJobId: string }
  | { jobId: string; outcome: "failed"; typeId: string | null; message: string }
  | { jobId: string; outcome: "unknown"; message: string };

/** What one repeat_jobs request did. Only "retry" may be sent again: Workato certainly ran nothing. */
export type RepeatAttempt =
  | { kind: "answered"; results: JobRepeatResult[] }
  | { kind: "retry"; error: WorkatoApiError; retryAfterMs: number }
  | { kind: "rejected"; error: WorkatoApiError; results: JobRepeatResult[] }
  | { kind: "unknown"; error: WorkatoApiError; results: JobRepeatResult[] };

/** The Jobs API calls, plus the customer and recipe calls of directory-calls.ts. */
export interface WorkatoClient extends DirectoryCalls {
  listJobs(
    customer: CustomerRef,
    recipeId: number,
    query?: ListJobsQuery,
    options?: CallOptions,
  ): Promise<JobList>;
  getJob(customer: CustomerRef, recipeId: number, jobId: string, options?: CallOptions): Promise<JobDetails>;
  /** the recipe, cached (one cache for every caller; a caller that can live with older names says so) */
  getRecipe(customer: CustomerRef, recipeId: number, options?: RecipeCallOptions): Promise<Recipe>;
  /**
   * Runs `compose` when the account's next repeat_jobs slot opens, then sends the batch it returns (≤ 25
   * distinct master job ids) as one request. Composing at the slot lets callers fill the request with
   * whatever is waiting by then. `compose` returning null gives the slot up.
   */
  repeatAtNextSlot<B extends RepeatBatch>(
    compose: () => B | null | Promise<B | null>,
    options?: CallOptions,
  ): Promise<{ batch: B; attempt: RepeatAttempt } | null>;
  /** the budget every call of this client asks: background callers plan with its figures */
  readonly budget: WorkatoBudget;
  close(): Promise<void>;
}

export interface RepeatBatch {
  customer: CustomerRef;
  recipeId: number;
  jobIds: readonly string[];
}

const DEFAULT_RECIPE_NAME_TTL_MS = 10 * 60_000;
const MAX_BACKOFF_MS = 30_000;

export function createWorkatoClient(options: WorkatoClientOptions): WorkatoClient {
  const base = new URL(options.baseUrl);
  const token = options.token;
  const dispatcher = createAgent({ ...DEFAULT_TIMEOUTS, ...options.timeouts });
  const budget = options.budget ?? localBudgetFor(options.baseUrl, token);
  const maxGetRetries = options.maxGetRetries ?? 3;
  const retryBaseDelayMs = options.retryBaseDelayMs ?? 500;
  const recipeNameTtlMs = options.recipeNameTtlMs ?? DEFAULT_RECIPE_NAME_TTL_MS;
  const { clock } = options;
  const log = options.logger;
  const recipeCache = new Map<string, { recipe: Promise<Recipe>; fetchedAt: number }>();

  // A request on a fresh connection (TCP and TLS handshakes), or one delayed by a busy event loop, reaches Workato
  // later than its slot, so the next request of its family is paced from when its headers were written to the socket.
  const onHeadersSent = (message: unknown) => {
    const request = (message as { request?: { origin?: unknown; method?: unknown; path?: unknown } }).request;
    if (String(request?.origin) !== base.origin || typeof request?.path !== "string") return;
    const family = limitFamilyOf(String(request.method), request.path);
    if (family !== null) budget.sent(family);
  };
  diagnosticsChannel.subscribe("undici:client:sendHeaders", onHeadersSent);

  function jobsPath(customer: CustomerRef, recipeId: number, rest: string): URL {
    // customer.pathSegment is already encoded; recipe ids are integers; job ids are encoded here.
    return new URL(`/api/managed_users/${customer.pathSegment}/recipes/${recipeId}${rest}`, base);
  }

  function get<T>(url: URL, schema: ZodType<T>, family: LimitFamily, priority: CallPriority): Promise<T> {
    return call("GET", url, schema, family, priority);
  }

  /** A GET retries whatever failed; a PUT only what certainly did not reach Workato (or a 429). */
  async function call<T>(
    method: "GET" | "PUT",
    url: URL,
    schema: ZodType<T>,
    family: LimitFamily,
    priority: CallPriority,
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const startedAt = performance.now();
      try {
        const result = await budget.schedule(family, priority, async (untilSendable) => {
          await untilSendable();
          return exchangeJson({ method, url, token, schema, dispatcher, clock });
        });
        log?.debug({ method, path: url.pathname, ms: performance.now() - startedAt }, "workato call");
        return result;
      } catch (error) {
        if (!(error instanceof WorkatoApiError)) throw error;
        log?.warn(
          { method, path: url.pathname, code: error.code, status: error.status, attempt },
          "workato call failed",
        );
        const retryable =
          method === "GET"
            ? isRetryableGet(error)
            : error.code === "rate_limited" || error.details.delivery === "not_sent";
        if (!retryable || attempt >= maxGetRetries) throw error;
        await sleep(error.details.retryAfterMs ?? backoff(attempt));
      }
    }
  }

  function backoff(attempt: number): number {
    const exponential = Math.min(MAX_BACKOFF_MS, retryBaseDelayMs * 2 ** attempt);
    // Jitter keeps several replicas from retrying in lockstep.
    return exponential / 2 + Math.random() * (exponential / 2);
  }

  async function postRepeat(batch: RepeatBatch): Promise<RepeatAttempt> {
    const url = jobsPath(batch.customer, batch.recipeId, "/repeat_jobs");
    const startedAt = performance.now();
    try {
      const response = await exchangeJson({
        method: "POST",
        url,
        token,
        body: { job_ids: batch.jobIds },
        schema: repeatResponseSchema,
        dispatcher,
        clock,
      });
      log?.info(
        { path: url.pathname, jobs: batch.jobIds.length, ms: performance.now() - startedAt },
        "repeat_jobs answered",
      );
      const byId = new Map(response.results.map((result) => [result.requested_job_id, result]));
      const results = batch.jobIds.map((jobId): JobRepeatResult => {
        const result = byId.get(jobId);
        if (!result)
          return { jobId, outcome: "unknown", message: "Workato's answer did not mention this job" };
        if (result.status === "enqueued" && result.job) {
          return { jobId, outcome: "enqueued", newJobId: result.job.id };
        }
        if (result.status === "failed" || result.error) {
          return {
            jobId,
            outcome: "failed",
            typeId: result.error?.typeId ?? null,
            message: result.error?.message ?? "no reason given",
          };
        }
        return { jobId, outcome: "unknown", message: `Workato reported status "${result.status}"` };
      });
      return { kind: "answered", results };
    } catch (error) {
      if (!(error instanceof WorkatoApiError)) throw error;
      log?.warn(
        { path: url.pathname, code: error.code, status: error.status, delivery: error.details.delivery },
        "repeat_jobs failed",
      );
      return classifyRepeatFailure(batch, error);
    }
  }

  return {
    listJobs(customer, recipeId, query = {}, callOptions = {}) {
      const url = jobsPath(customer, recipeId, "/jobs");
      if (query.status) url.searchParams.set("status", query.status);
      if (query.rerunOnly) url.searchParams.set("rerun_only", "true");
      if (query.offsetJobId) url.searchParams.set("offset_job_id", query.offsetJobId);
      if (query.newer) url.searchParams.set("prev", "true");
      return get(url, jobListSchema, "jobs", callOptions.priority ?? "interactive");
    },

    getJob(customer, recipeId, jobId, callOptions = {}) {
      const url = jobsPath(customer, recipeId, `/jobs/${encodeURIComponent(jobId)}`);
      return get(url, jobDetailsSchema, "jobs", callOptions.priority ?? "interactive");
    },

    getRecipe(customer, recipeId, callOptions = {}) {
      const key = `${customer.pathSegment}/${recipeId}`;
      const cached = recipeCache.get(key);
      const maxAgeMs = callOptions.maxAgeMs ?? recipeNameTtlMs;
      if (cached && clock.now() - cached.fetchedAt < maxAgeMs) return cached.recipe;
      const url = new URL(`/api/managed_users/${customer.pathSegment}/recipes/${recipeId}`, base);
      const recipe = get(url, recipeResponseSchema, "recipes", callOptions.priority ?? "interactive");
      recipeCache.set(key, { recipe, fetchedAt: clock.now() });
      // A failed lookup is not remembered: the next message asks again.
      recipe.catch(() => recipeCache.delete(key));
      return recipe;
    },

    ...createDirectoryCalls(base, call),

    repeatAtNextSlot(compose, callOptions = {}) {
      // bottleneck paces slot starts, but the batch is composed at the slot before it is sent: the send itself
      // also waits for the gap since the last repeat really left.
      return budget.schedule("repeat", callOptions.priority ?? "interactive", async (untilSendable) => {
        const batch = await compose();
        if (batch === null || batch.jobIds.length === 0) return null;
        if (batch.jobIds.length > MAX_JOBS_PER_REPEAT || new Set(batch.jobIds).size !== batch.jobIds.length) {
          throw new Error(`a repeat batch must hold 1-${MAX_JOBS_PER_REPEAT} distinct job ids`);
        }
        await untilSendable();
        return { batch, attempt: await postRepeat(batch) };
      });
    },

    budget,

    close() {
      diagnosticsChannel.unsubscribe("undici:client:sendHeaders", onHeadersSent);
      return dispatcher.close();
    },
  };
}

function isRetryableGet(error: WorkatoApiError): boolean {
  return (
    error.code === "rate_limited" ||
    error.code === "server_error" ||
    error.code === "network" ||
    error.code === "timeout"
  );
}

/** Decides, for a repeat_jobs request that got no usable answer, whether its jobs may have run. */
export function classifyRepeatFailure(batch: RepeatBatch, error: WorkatoApiError): RepeatAttempt {
  const delivery: Delivery = error.details.delivery;
  if (error.code === "rate_limited" || delivery === "not_sent") {
    return { kind: "retry", error, retryAfterMs: error.details.retryAfterMs ?? 1000 };
  }
  if (delivery === "answered" && error.status !== undefined && error.status < 500) {
    // Workato refused the whole request (400/401/403/404): nothing ran.
    const message = error.details.workatoMessage ?? error.message;
    return {
      kind: "rejected",
      error,
      results: batch.jobIds.map((jobId) => ({ jobId, outcome: "failed", typeId: null, message })),
    };
  }
  const message = `the request may or may not have been processed (${error.message})`;
  return {
    kind: "unknown",
    error,
    results: batch.jobIds.map((jobId) => ({ jobId, outcome: "unknown", message })),
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
