// How a per-minute limit becomes fixed windows that a shared counter can enforce, with the worst case proven here:
// no sliding minute at Workato ever sees more than the limit, whatever replica took which slot.

export interface WindowPlan {
  /** requests one window admits */
  points: number;
  /** window length; a window opens at the first request after the previous one closed */
  durationMs: number;
}

export interface WindowMargins {
  /** the sliding window the upstream counts by: Workato's minute */
  countingWindowMs: number;
  /**
   * How much later than its slot a request may reach Workato, beyond what the others are late (event loop, pool,
   * TLS): slots taken within a span can land within the span plus this.
   */
  arrivalJitterMs: number;
  /**
   * How far apart replicas' clocks may be: rate-limiter-flexible dates a window's end by the clock of the replica
   * that opened it, and another replica may see it end this much early.
   */
  clockSkewMs: number;
  /** windows shorter than this make the counter a hot row; people wait at most about one window */
  minDurationMs: number;
}

export const WORKATO_WINDOW_MARGINS: WindowMargins = {
  countingWindowMs: 60_000,
  arrivalJitterMs: 1_000,
  clockSkewMs: 50,
  minDurationMs: 1_000,
};

/**
 * Windows never overlap and each lasts at least `durationMs − skew`, so a span of X = counting window + jitter
 * meets at most ⌈X / (durationMs − skew)⌉ + 1 of them (one already open when the span starts). With k = ⌊limit /
 * points⌋ − 1, durationMs ≥ skew + X / k keeps points × (that count) ≤ limit. The fewest points per window whose
 * window is at least minDurationMs long gives the smoothest pacing.
 */
export function planWindows(limit: number, margins: WindowMargins): WindowPlan {
  const span = margins.countingWindowMs + margins.arrivalJitterMs;
  let plan: WindowPlan | undefined;
  for (let points = 1; Math.floor(limit / points) - 1 >= 1; points++) {
    const windowsAllowed = Math.floor(limit / points) - 1;
    const durationMs = Math.ceil(margins.clockSkewMs + span / windowsAllowed);
    plan = { points, durationMs };
    if (durationMs >= margins.minDurationMs) return plan;
  }
  if (plan) return plan;
  throw new Error(`a limit of ${limit} per counting window is too small to share in windows`);
}

/** The most requests any sliding counting window can see under `plan`: what planWindows keeps within the limit. */
export function worstCaseInCountingWindow(plan: WindowPlan, margins: WindowMargins): number {
  const span = margins.countingWindowMs + margins.arrivalJitterMs;
  return plan.points * (Math.ceil(span / (plan.durationMs - margins.clockSkewMs)) + 1);
}

/** What a steady demand gets, per minute: a full window, then the next opens (a little later than this, in fact). */
export function sustainedPerMinute(plan: WindowPlan): number {
  return (plan.points * 60_000) / plan.durationMs;
}
