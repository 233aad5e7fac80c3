// The local Workato budget against real time with small intervals: people's calls before background ones, background
// calls within their share, and the gap kept from when a request really left.
import { performance } from "node:perf_hooks";
import { describe, expect, it } from "vitest";
import { backgroundGapMs, createLocalBudget } from "../../src/workato/budget.js";
import { limitFamilyOf } from "../../src/workato/limits.js";

// 1,200 a minute, 20 ms apart; background gets half: 600 a minute, 101 ms apart with the margin.
const SMALL = { limits: { jobs: { perMinute: 1200, minIntervalMs: 20 } }, backgroundShare: 0.5 };
// Timers may fire a millisecond early against performance.now().
const TIMER_SLACK_MS = 2;

function gaps(times: readonly number[]): number[] {
  return times.slice(1).map((at, index) => at - (times[index] ?? at));
}

describe("the local Workato budget", () => {
  it("gives background calls only their share of the family's limit", async () => {
    const budget = createLocalBudget(SMALL);
    expect(budget.backgroundPerMinute("jobs")).toBe(600);
    const sentAt: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, () =>
        budget.schedule("jobs", "background", async (untilSendable) => {
          await untilSendable();
          sentAt.push(performance.now());
        }),
      ),
    );
    for (const gap of gaps(sentAt)) expect(gap).toBeGreaterThanOrEqual(backgroundGapMs(600) - TIMER_SLACK_MS);
    expect(backgroundGapMs(600)).toBeCloseTo(101, 6);
  });

  it("sends people's calls before background calls already waiting, at the family's own pace", async () => {
    const budget = createLocalBudget(SMALL);
    const order: string[] = [];
    const interactiveAt: number[] = [];
    const call = (name: string, priority: "interactive" | "background") =>
      budget.schedule("jobs", priority, async (untilSendable) => {
        await untilSendable();
        order.push(name);
        if (priority === "interactive") interactiveAt.push(performance.now());
        return name;
      });
    const background = ["b1", "b2", "b3"].map((name) => call(name, "background"));
    const interactive = ["i1", "i2", "i3", "i4"].map((name) => call(name, "interactive"));
    expect(await Promise.all([...background, ...interactive])).toEqual([
      "b1",
      "b2",
      "b3",
      "i1",
      "i2",
      "i3",
      "i4",
    ]);
    // At most the first background call goes before people; every person's call goes before the second.
    expect(order.slice(-2)).toEqual(["b2", "b3"]);
    for (const gap of gaps(interactiveAt)) expect(gap).toBeGreaterThanOrEqual(20 - TIMER_SLACK_MS);
  });

  it("keeps the gap from when the last request really left, even when that was after its slot", async () => {
    const budget = createLocalBudget({ limits: { repeat: { perMinute: 60, minIntervalMs: 100 } } });
    const started = performance.now();
    await budget.schedule("repeat", "interactive", async (untilSendable) => {
      await untilSendable();
      // The request's headers leave 60 ms after its slot (a fresh connection's handshakes).
      await new Promise((resolve) => setTimeout(resolve, 60));
      budget.sent("repeat");
    });
    const sentAt = await budget.schedule("repeat", "interactive", async (untilSendable) => {
      await untilSendable();
      return performance.now();
    });
    expect(sentAt - started).toBeGreaterThanOrEqual(160 - TIMER_SLACK_MS);
  });

  it("paces each family apart: recipe reads do not wait behind job lists", async () => {
    const budget = createLocalBudget({
      limits: {
        jobs: { perMinute: 60, minIntervalMs: 1000 },
        recipes: { perMinute: 6000, minIntervalMs: 10 },
      },
    });
    const started = performance.now();
    await budget.schedule("jobs", "interactive", async () => undefined);
    const secondJobs = budget.schedule("jobs", "interactive", async () => performance.now());
    const recipe = await budget.schedule("recipes", "interactive", async () => performance.now());
    expect(recipe - started).toBeLessThan(500);
    expect((await secondJobs) - started).toBeGreaterThanOrEqual(1000 - TIMER_SLACK_MS);
  });
});

describe("the family a request counts against", () => {
  it("is read from the method and path, so each request paces its own family from when it really left", () => {
    expect(limitFamilyOf("POST", "/api/managed_users/E%2Facme/recipes/28904/repeat_jobs")).toBe("repeat");
    expect(limitFamilyOf("GET", "/api/managed_users/23456/recipes/28904/jobs?status=failed")).toBe("jobs");
    expect(limitFamilyOf("GET", "/api/managed_users/23456/recipes/28904/jobs/j-AJMfQh8c")).toBe("jobs");
    expect(limitFamilyOf("GET", "/api/managed_users/23456/recipes?page=2")).toBe("recipes");
    expect(limitFamilyOf("GET", "/api/managed_users/23456/recipes/28904")).toBe("recipes");
    expect(limitFamilyOf("GET", "/api/managed_users?page=1&per_page=100")).toBe("customers");
    expect(limitFamilyOf("GET", "/api/managed_users/Eglobex-eu")).toBe("customers");
    expect(limitFamilyOf("PUT", "/api/managed_users/23456/recipes/28904/start")).toBe("recipeControl");
    expect(limitFamilyOf("GET", "/healthz")).toBeNull();
  });
});
