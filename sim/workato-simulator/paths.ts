// Turns a raw request path into the Workato Jobs endpoint it names, decoding the customer segment as Workato does.
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

function endpointFor(method: string, rest: readonly string[]): SimEndpoint | undefined {
  if (method === "GET" && rest.length === 0) return "recipe";
  if (method === "GET" && rest.length === 1 && rest[0] === "jobs") return "list";
  if (method === "GET" && rest.length === 2 && rest[0] === "jobs" && rest[1] !== "") return "get";
  if (method === "POST" && rest.length === 1 && rest[0] === "repeat_jobs") return "repeat";
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
  const rawSegments = rawPath.split("/");
  const [empty, api, managedUsers, rawCustomer, recipes, rawRecipe, ...rawRest] = rawSegments;
  if (empty !== "" || api !== "api" || managedUsers !== "managed_users" || recipes !== "recipes")
    return UNROUTED;
  if (rawCustomer === undefined || rawRecipe === undefined) return UNROUTED;

  const decoded: string[] = [];
  for (const segment of [rawCustomer, rawRecipe, ...rawRest]) {
    const text = decodeSegment(segment);
    if (text === undefined) return UNROUTED;
    decoded.push(text);
  }
  const [customerSegment = "", recipeSegment = "", ...rest] = decoded;

  // Known paths with a wrong method still record whose customer and recipe they aimed at.
  const endpoint = endpointFor(method, rest) ?? "other";
  return {
    endpoint,
    customerSegment,
    customer: parseCustomerSegment(customerSegment),
    recipeId: DIGITS.test(recipeSegment) ? Number(recipeSegment) : null,
    jobId: endpoint === "get" ? (rest[1] ?? null) : null,
  };
}
