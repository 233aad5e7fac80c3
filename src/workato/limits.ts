// Workato's Jobs API limits, enforced client-side with bottleneck. Workato counts them across the whole admin
// workspace, so every client using the same base URL and token shares one set of limiters in this process.
import { createHash } from "node:crypto";
import Bottleneck from "bottleneck";

/**
 * repeat_jobs: 1 request per second. The 15 ms margin absorbs the jitter between our clock and the moment
 * Workato sees the request (measured here: ±15 ms between bottleneck's start and the request's arrival).
 */
export const REPEAT_MIN_INTERVAL_MS = 1015;
/** Every other jobs endpoint: 1,000 requests per minute, spread evenly (61 ms apart keeps any minute under 1,000). */
export const OTHER_CALLS_MIN_INTERVAL_MS = 61;
export const MAX_JOBS_PER_REPEAT = 25;

export type CallPriority = "interactive" | "background";

export interface WorkatoLimiters {
  /** paces the start of repeat_jobs requests; they may overlap in flight, as Workato limits starts */
  readonly repeat: Bottleneck;
  readonly repeatMinIntervalMs: number;
  /**
   * when the last repeat_jobs request actually left (performance.now()). bottleneck paces job starts, but a
   * job composes its batch before sending, so the send itself is gated on this too.
   */
  lastRepeatSentAt: number;
  /** paces list/get/recipe calls */
  readonly other: Bottleneck;
}

export interface LimiterIntervals {
  repeatMinIntervalMs?: number;
  otherMinIntervalMs?: number;
}

const shared = new Map<string, WorkatoLimiters>();

/** The limiters for this Workato account; the token is only hashed into the key, never kept. */
export function limitersFor(
  baseUrl: string,
  token: string,
  intervals: LimiterIntervals = {},
): WorkatoLimiters {
  const key = `${new URL(baseUrl).origin}#${createHash("sha256").update(token).digest("hex")}`;
  let limiters = shared.get(key);
  if (!limiters) {
    const repeatMinIntervalMs = intervals.repeatMinIntervalMs ?? REPEAT_MIN_INTERVAL_MS;
    limiters = {
      repeat: new Bottleneck({ minTime: repeatMinIntervalMs }),
      repeatMinIntervalMs,
      lastRepeatSentAt: Number.NEGATIVE_INFINITY,
      other: new Bottleneck({ minTime: intervals.otherMinIntervalMs ?? OTHER_CALLS_MIN_INTERVAL_MS }),
    };
    shared.set(key, limiters);
  }
  return limiters;
}

/** bottleneck runs lower numbers first; people waiting in Slack go before background polling. */
export function bottleneckPriority(priority: CallPriority): number {
  return priority === "interactive" ? 2 : 7;
}
