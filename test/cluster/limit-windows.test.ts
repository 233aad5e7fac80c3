// The window plans the shared budget enforces: within every Workato limit in the worst case, and close to it.
import { describe, expect, it } from "vitest";
import {
  planWindows,
  sustainedPerMinute,
  WORKATO_WINDOW_MARGINS,
  worstCaseInCountingWindow,
} from "../../src/cluster/limit-windows.js";
import { BACKGROUND_SHARE_OF_LIMIT } from "../../src/workato/budget.js";
import { WORKATO_LIMITS } from "../../src/workato/limits.js";

describe("planning a limit as shared windows", () => {
  it("gives the Jobs API 16 requests a 1,050 ms window: at most 992 in any minute, about 914 a minute steadily", () => {
    const plan = planWindows(1000, WORKATO_WINDOW_MARGINS);
    expect(plan).toEqual({ points: 16, durationMs: 1050 });
    expect(worstCaseInCountingWindow(plan, WORKATO_WINDOW_MARGINS)).toBe(992);
    expect(Math.floor(sustainedPerMinute(plan))).toBe(914);
  });

  it("keeps every Workato family and its background share within the limit, in windows of a second or more", () => {
    for (const { perMinute } of Object.values(WORKATO_LIMITS)) {
      for (const limit of [perMinute, Math.floor(perMinute * BACKGROUND_SHARE_OF_LIMIT)]) {
        const plan = planWindows(limit, WORKATO_WINDOW_MARGINS);
        expect(worstCaseInCountingWindow(plan, WORKATO_WINDOW_MARGINS)).toBeLessThanOrEqual(limit);
        expect(plan.durationMs).toBeGreaterThanOrEqual(1000);
        expect(sustainedPerMinute(plan)).toBeGreaterThan(limit * 0.8);
      }
    }
  });

  it("stays within any limit from 2 to 3,000 whatever the margins", () => {
    const margins = [
      WORKATO_WINDOW_MARGINS,
      { countingWindowMs: 2_000, arrivalJitterMs: 100, clockSkewMs: 10, minDurationMs: 200 },
      { countingWindowMs: 60_000, arrivalJitterMs: 5_000, clockSkewMs: 500, minDurationMs: 3_000 },
    ];
    for (const margin of margins) {
      for (let limit = 2; limit <= 3000; limit++) {
        const plan = planWindows(limit, margin);
        expect(plan.durationMs).toBeGreaterThan(margin.clockSkewMs);
        expect(worstCaseInCountingWindow(plan, margin)).toBeLessThanOrEqual(limit);
      }
    }
  });
});
