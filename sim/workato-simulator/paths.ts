// Turns a raw request path into the Workato endpoint it names (jobs, recipes, customers), decoding the customer segment as Workato does.
import type { SimEndpoint } from "./types.js";

/** `:managed_user_id` is either Workato's numeric id or "E" + the URL-encoded external id (EA2300 → "A2300"). */
export type CustomerRef = { kind: "id"; id: number } | { kind: "external"; externalId: string };

export interface Route {
  endpoint: SimEndpoint | "other";
  /** the customer segment, percent-decoded, as recorded in the request log */
  customerSegment: string | null;
  /** null when the segment is neither digits nor "E" + something */
  customer: CustomerRef | null;
  /** null when absent or not all digits (answered 404, like an unknown recipe) */
  recipeId: number | null;
  jobId: string | null;
}

const UNROUTED: Route = {
  endpoint: "other",
  customerSegment: null,
  customer: null,
  recipeId: null,
  jobId: null,
};
const DIGITS = /^\d+$/;

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** `rest` is what follows /api/managed_users/:id/recipes/:recipe_id. */
function recipeEndpointFor(method: string, rest: readonly string[]): SimEndpoint | undefined {
  if (method === "GET" && rest.length === 0) return "recipe";
  if (method === "GET" && rest.length === 1 && rest[0] === "jobs") return "list";
  if (method === "GET" && rest.length === 2 && rest[0] === "jobs" && rest[1] !== "") return "get";
  if (method === "POST" && rest.length === 1 && rest[0] === "repeat_jobs") return "repeat";
  if (method === "PUT" && rest.length === 1 && rest[0] === "start") return "start";
  if (method === "PUT" && rest.length === 1 && rest[0] === "stop") return "stop";
  return undefined;
}

export function parseCustomerSegment(segment: string): CustomerRef | null {
  if (DIGITS.test(segment)) return { kind: "id", id: Number(segment) };
  if (segment.startsWith("E") && segment.length > 1)
    return { kind: "external", externalId: segment.slice(1) };
  return null;
}

/** Splits the RAW path before decoding, so an encoded "/" (%2F) stays inside its segment. */
export function parseRoute(method: string, rawPath: string): Route {
  const [empty, api, managedUsers, ...rawRest] = rawPath.split("/");
  if (empty !== "" || api !== "api" || managedUsers !== "managed_users") return UNROUTED;
  if (rawRest.length === 0 || (rawRest.length === 1 && rawRest[0] === "")) {
    return method === "GET" ? { ...UNROUTED, endpoint: "customers" } : UNROUTED;
  }

  const decoded: string[] = [];
  for (const segment of rawRest) {
    const text = decodeSegment(segment);
    if (text === undefined) return UNROUTED;
    decoded.push(text);
  }
  const [customerSegment = "", recipes, recipeSegment, ...rest] = decoded;
  const customer = parseCustomerSegment(customerSegment);
  const customerOnly = { ...UNROUTED, customerSegment, customer };
  if (recipes === undefined) return { ...customerOnly, endpoint: method === "GET" ? "customer" : "other" };
  if (recipes !== "recipes") return customerOnly;
  if (recipeSegment === undefined || (recipeSegment === "" && rest.length === 0)) {
    return { ...customerOnly, endpoint: method === "GET" ? "recipes" : "other" };
  }

  // Known paths with a wrong method still record whose customer and recipe they aimed at.
  const endpoint = recipeEndpointFor(method, rest) ?? "other";
  return {
    endpoint,
    customerSegment,
    customer,
    recipeId: DIGITS.test(recipeSegment) ? Number(recipeSegment) : null,
    jobId: endpoint === "get" ? (rest[1] ?? null) : null,
  };
}
