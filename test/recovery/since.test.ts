// The `<when>` of `repeat … failed since <when>`: spans, today, ISO times, and the refusals people see.
import { describe, expect, it } from "vitest";
import { parseSince, startOfDay } from "../../src/recovery/since.js";

const NOW = Date.UTC(2025, 2, 4, 5, 30, 0);

describe("parseSince", () => {
  it.each([
    ["30m", NOW - 30 * 60_000],
    ["2h", NOW - 2 * 3_600_000],
    ["3d", NOW - 3 * 86_400_000],
    ["2H", NOW - 2 * 3_600_000],
    ["today", Date.UTC(2025, 2, 4)],
    ["2025-03-04T02:00Z", Date.UTC(2025, 2, 4, 2, 0)],
    ["2025-03-04T04:00:00+02:00", Date.UTC(2025, 2, 4, 2, 0)],
    ["2025-03-03T21:00-0500", Date.UTC(2025, 2, 4, 2, 0)],
  ])("reads %s", (text, since) => {
    expect(parseSince(text, NOW)).toEqual({ ok: true, since });
  });

  it.each([
    ["2x", "not a time I can read"],
    ["yesterday-ish", "not a time I can read"],
    ["2025-03-04T09:00Z", "in the future"],
    ["2025-03-04T02:00", "has no time zone"],
    ["0h", "no time at all"],
    ["100d", "further back than Workato keeps jobs"],
    ["2025-02-30T02:00Z", "not a date and time that exists"],
  ])("refuses %s with examples", (text, problem) => {
    const parsed = parseSince(text, NOW);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problem).toContain(problem);
    expect(parsed.problem).toContain("`since 2h`");
    expect(parsed.problem).toContain("`since today`");
  });

  it("starts today at midnight in the given time zone", () => {
    // 05:30 UTC is 00:30 in New York (EST, -5): that day began at 05:00 UTC.
    expect(startOfDay(NOW, "America/New_York")).toBe(Date.UTC(2025, 2, 4, 5, 0));
    expect(startOfDay(NOW, "Europe/Berlin")).toBe(Date.UTC(2025, 2, 3, 23, 0));
    expect(startOfDay(NOW, "Not/AZone")).toBe(Date.UTC(2025, 2, 4));
  });
});
