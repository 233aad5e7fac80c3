// Workato's published API limits, per endpoint family, as the figures the budget (budget.ts) paces by. Workato counts
// each family across the whole Embed admin workspace: every client and replica using the account shares it.

/** Who waits for a call: people in Slack go first; background work (polling, resuming) takes what they leave. */
export type CallPriority = "interactive" | "background";

/** The endpoint families Workato limits separately. */
export type LimitFamily = "repeat" | "jobs" | "recipes" | "customers" | "recipeControl";

export interface FamilyLimit {
  /** Workato's limit */
  perMinute: number;
  /** the gap kept between two request starts: the limit spread evenly, plus a margin for jitter */
  minIntervalMs: number;
}

/**
 * repeat_jobs: 1 request per second. The 15 ms margin absorbs the jitter between our clock and the moment
 * Workato sees the request (measured here: ±15 ms between bottleneck's start and the request's arrival).
 */
export const REPEAT_MIN_INTERVAL_MS = 1015;
export const MAX_JOBS_PER_REPEAT = 25;
/** The jobs endpoints other than repeat_jobs (list, details). */
export const JOBS_REQUESTS_PER_MINUTE = 1000;

// 1 ms over the even spread (61 ms for 1,000 a minute) keeps any minute under the limit.
export const WORKATO_LIMITS: Readonly<Record<LimitFamily, FamilyLimit>> = {
  repeat: { perMinute: 60, minIntervalMs: REPEAT_MIN_INTERVAL_MS },
  jobs: { perMinute: JOBS_REQUESTS_PER_MINUTE, minIntervalMs: 61 },
  /** list recipes of a customer, get a recipe */
  recipes: { perMinute: 2000, minIntervalMs: 31 },
  /** managed users (customers), all but create */
  customers: { perMinute: 60, minIntervalMs: 1001 },
  /** start / stop a recipe */
  recipeControl: { perMinute: 1000, minIntervalMs: 61 },
};

/** The family a request to Workato counts against, from its method and path (null: not a Workato API path). */
export function limitFamilyOf(method: string, path: string): LimitFamily | null {
  const pathname = path.split("?")[0] ?? "";
  if (!pathname.startsWith("/api/managed_users")) return null;
  if (method === "POST") return pathname.endsWith("/repeat_jobs") ? "repeat" : null;
  if (method === "PUT") return /\/recipes\/\d+\/(start|stop)$/.test(pathname) ? "recipeControl" : null;
  if (/\/recipes\/\d+\/jobs(\/[^/]+)?$/.test(pathname)) return "jobs";
  if (/^\/api\/managed_users\/[^/]+\/recipes(\/\d+)?$/.test(pathname)) return "recipes";
  if (/^\/api\/managed_users(\/[^/]+)?$/.test(pathname)) return "customers";
  return null;
}
