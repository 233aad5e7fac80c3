// The poller's budget: the interval each watch gets and how polls are spread, as math and as requests the simulator
// counts while the real poller runs 500 watches.
import { performance } from "node:perf_hooks";
import { describe, expect, it } from "vitest";
import { planPolls } from "../../src/watch/poll-budget.js";
import { customerRef } from "../support/customer.js";
import { CUSTOMER, RECIPE, watchHarnessPerTest } from "../support/watch-harness.js";

describe("the interval each watch gets", () => {
  it("is the interval asked for while the watches fit in 800 requests a minute", () => {
    const plan = planPolls({ watches: 500, targetIntervalSeconds: 60 });
    // The interval asked for, not stretched by the budget.
    expect(plan.intervalSeconds).toBe(60);
    // 500 polls spread evenly over the minute
    expect(plan.spacingMs).toBe(120);
  });

  it("stretches to just over 37.5 s for 500 watches asked to be checked every 10 s", () => {
    const plan = planPolls({ watches: 500, targetIntervalSeconds: 10 });
    // 500 requests at 800 a minute, plus the 1% margin that keeps any minute under 800 despite jitter
    expect(plan.intervalSeconds).toBeGreaterThanOrEqual(37.5);
    expect(plan.intervalSeconds).toBeCloseTo(37.875, 6);
    // The budget, not the interval asked for, sets it.
    expect(plan.intervalSeconds).toBeGreaterThan(10);
    expect(plan.spacingMs).toBeCloseTo(75.75, 6);
    expect(plan.minRequestGapMs).toBeCloseTo(75.75, 6);
  });

  it("counts the extra pages polls need on average", () => {
    expect(
      planPolls({ watches: 1000, targetIntervalSeconds: 60, requestsPerPoll: 1.5 }).intervalSeconds,
    ).toBeCloseTo(113.625, 6);
    // Never less than one request a poll.
    expect(
      planPolls({ watches: 1000, targetIntervalSeconds: 60, requestsPerPoll: 0.2 }).intervalSeconds,
    ).toBeCloseTo(75.75, 6);
  });

  it("keeps the interval asked for when nothing is watched", () => {
    expect(planPolls({ watches: 0, targetIntervalSeconds: 60 })).toMatchObject({ intervalSeconds: 60 });
  });
});

const setUp = watchHarnessPerTest();

/** The most requests that arrived within any `windowMs`, over arrival times in ms. */
function busiestWindow(times: readonly number[], windowMs: number): number {
  let most = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while ((times[end] ?? 0) - (times[start] ?? 0) >= windowMs) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

describe("the poller's share of Workato's rate limit", () => {
  it("polls 500 watches evenly within 80% of 1,000 requests a minute and leaves people's calls unhindered", async () => {
    // Asked for every second, which 500 watches cannot get: the budget sets their interval.
    const harness = await setUp({ poller: { intervalSeconds: 1 } });
    for (let n = 0; n < 500; n++) {
      const recipeId = 100_000 + n;
      harness.sim.addRecipe(CUSTOMER, { id: recipeId, name: `Recipe ${n}` });
      harness.addWatch({ recipeId });
    }
    expect(await harness.poller.effectiveIntervalSeconds()).toBeCloseTo(37.875, 6);

    const runMs = 9000;
    harness.poller.start();
    const started = performance.now();
    // Someone lists jobs now and then while the poller runs: their calls go first.
    const waits: number[] = [];
    while (performance.now() - started < runMs) {
      await new Promise((resolve) => setTimeout(resolve, 400));
      const before = performance.now();
      await harness.workato.listJobs(customerRef(String(CUSTOMER)), RECIPE, { status: "failed" });
      waits.push(performance.now() - before);
    }
    await harness.poller.stop();
    const elapsedMs = performance.now() - started;

    // The watches are recipes 100000-100499; people list RECIPE, which nobody watches.
    const polls = harness.sim.requests
      .filter((request) => request.endpoint === "list" && request.recipeId !== RECIPE)
      .map((request) => request.at);
    const pollerRequests = polls.length;
    // 800 a minute is one every 75 ms: about 120 in 9 s, never more than the time allows.
    expect(pollerRequests).toBeGreaterThan(80);
    expect(pollerRequests).toBeLessThanOrEqual(Math.floor(elapsedMs / 75) + 1);
    // Any 6 s holds at most 80 of the poller's requests: 800 a minute.
    expect(busiestWindow(polls, 6000)).toBeLessThanOrEqual(81);
    const gaps = polls.slice(1).map((at, index) => at - (polls[index] ?? at));
    gaps.sort((a, b) => a - b);
    // Evenly spread: the typical gap is the planned 75 ms, not bursts followed by silence.
    expect(gaps[Math.floor(gaps.length / 2)]).toBeGreaterThan(60);
    expect(gaps[Math.floor(gaps.length / 2)]).toBeLessThan(90);
    // People's calls go ahead of the poller's queue: they wait for one slot of the shared limiter, not for the poller.
    waits.sort((a, b) => a - b);
    expect(waits[Math.floor(waits.length / 2)]).toBeLessThan(200);
    expect(waits.at(-1)).toBeLessThan(1000);
    // Each watch polled at most once: none is due again within 37.5 s.
    const watchesPolled = new Set(
      harness.sim.requests
        // Job lists only: the recipe-list scan (one GET per customer, its own limit) names no recipe.
        .filter((request) => request.endpoint === "list" && request.recipeId !== RECIPE)
        .map((request) => request.recipeId),
    );
    expect(watchesPolled.size).toBe(pollerRequests);
  }, 20_000);
});
