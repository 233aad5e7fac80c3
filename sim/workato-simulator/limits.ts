// Workato's two Jobs API rate limits: repeat_jobs at most once per interval; the rest N per sliding minute.

export type LimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface RateLimit {
  /** Admits or refuses one request at monotonic time `nowMs`; refused requests leave no trace. */
  admit(nowMs: number): LimitDecision;
}

function secondsUntil(waitMs: number): number {
  return Math.max(1, Math.ceil(waitMs / 1000));
}

export function createMinIntervalLimit(intervalMs: number): RateLimit {
  let lastAdmittedMs = Number.NEGATIVE_INFINITY;
  return {
    admit(nowMs) {
      const waitMs = lastAdmittedMs + intervalMs - nowMs;
      if (waitMs > 0) return { allowed: false, retryAfterSeconds: secondsUntil(waitMs) };
      lastAdmittedMs = nowMs;
      return { allowed: true };
    },
  };
}

export function createSlidingWindowLimit(limit: number, windowMs: number): RateLimit {
  // Admission times in order; `head` skips expired ones so admitting stays O(1) amortised.
  let admitted: number[] = [];
  let head = 0;
  return {
    admit(nowMs) {
      while (head < admitted.length && (admitted[head] ?? 0) <= nowMs - windowMs) head++;
      if (head > 1024 && head * 2 > admitted.length) {
        admitted = admitted.slice(head);
        head = 0;
      }
      if (admitted.length - head >= limit) {
        const oldest = admitted[head] ?? nowMs;
        return { allowed: false, retryAfterSeconds: secondsUntil(oldest + windowMs - nowMs) };
      }
      admitted.push(nowMs);
      return { allowed: true };
    },
  };
}
