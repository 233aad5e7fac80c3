// The shared Workato budget as two replicas on one real Postgres, calling the Workato simulator over HTTP through the
// real client: what arrives there stays within the (scaled-down) limit in every sliding window, background within its
// share, and people's calls are served while another replica's background calls keep the family busy.
import { performance } from "node:perf_hooks";
import { afterEach, describe, expect, it } from "vitest";
import { startWorkatoSimulator, type WorkatoSimulator } from "../../sim/workato-simulator/index.js";
import { systemClock } from "../../src/clock.js";
import { planWindows, type WindowMargins } from "../../src/cluster/limit-windows.js";
import { openSharedBudget } from "../../src/cluster/shared-budget.js";
import type { WorkatoBudget } from "../../src/workato/budget.js";
import { createWorkatoClient, type WorkatoClient } from "../../src/workato/client.js";
import type { CallPriority } from "../../src/workato/limits.js";
import { customerRef } from "../support/customer.js";
import { silentLogger, useClusterDatabase } from "./cluster-postgres.js";

// Workato's minute scaled to 2 s, so that a test sees many windows: 40 list calls per 2 s, background half of that.
const MARGINS: WindowMargins = {
  countingWindowMs: 2_000,
  arrivalJitterMs: 100,
  clockSkewMs: 10,
  minDurationMs: 200,
};
const LIMIT = 40;
const BACKGROUND_SHARE = 0.5;
const CUSTOMER = 23456;
const RECIPE = 28904;

const db = useClusterDatabase();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function simulator(): Promise<WorkatoSimulator> {
  // The simulator's own minute is 60 s; the test counts the scaled window from its arrival times instead.
  const sim = await startWorkatoSimulator({ perMinuteLimit: 100_000 });
  sim.addCustomer({ id: CUSTOMER });
  sim.addRecipe(CUSTOMER, { id: RECIPE, name: "Salesforce accounts to NetSuite" });
  cleanups.push(() => sim.close());
  return sim;
}

async function replica(
  url: string,
  sim: WorkatoSimulator,
): Promise<{ budget: WorkatoBudget; client: WorkatoClient }> {
  const budget = await openSharedBudget({
    pool: db.replicaPool(url),
    clock: systemClock,
    logger: silentLogger,
    limits: { jobs: { perMinute: LIMIT, minIntervalMs: 0 } },
    backgroundShare: BACKGROUND_SHARE,
    margins: MARGINS,
  });
  const client = createWorkatoClient({ baseUrl: sim.url, token: sim.token, budget, clock: systemClock });
  cleanups.push(() => client.close());
  return { budget, client };
}

function listCalls(client: WorkatoClient, count: number, priority: CallPriority): Promise<unknown>[] {
  return Array.from({ length: count }, () =>
    client.listJobs(customerRef(String(CUSTOMER)), RECIPE, {}, { priority }),
  );
}

/** The most arrivals any sliding counting window holds. */
function busiestWindow(arrivals: readonly number[]): number {
  const sorted = [...arrivals].sort((a, b) => a - b);
  let most = 0;
  for (let start = 0, end = 0; start < sorted.length; start++) {
    while (end < sorted.length && (sorted[end] ?? 0) < (sorted[start] ?? 0) + MARGINS.countingWindowMs) end++;
    most = Math.max(most, end - start);
  }
  return most;
}

const listArrivals = (sim: WorkatoSimulator) =>
  sim.requests.filter((request) => request.endpoint === "list").map((request) => request.at);

describe("the shared Workato budget across replicas", () => {
  it("keeps two replicas' calls together within the limit in every sliding window, close to it", async () => {
    const url = await db.newDatabase();
    const sim = await simulator();
    const [a, b] = await Promise.all([replica(url, sim), replica(url, sim)]);
    const startedAt = performance.now();
    await Promise.all([...listCalls(a.client, 40, "interactive"), ...listCalls(b.client, 40, "interactive")]);
    const tookMs = performance.now() - startedAt;
    const arrivals = listArrivals(sim);
    expect(arrivals).toHaveLength(80);
    expect(sim.requests.every((request) => request.status === 200)).toBe(true);
    const busiest = busiestWindow(arrivals);
    expect(busiest).toBeLessThanOrEqual(LIMIT);
    // Not by being slow: 80 calls took about 80 / 40 counting windows, and the busiest window came near the limit.
    expect(busiest).toBeGreaterThanOrEqual(LIMIT * 0.75);
    expect(tookMs).toBeLessThan((80 / LIMIT + 1) * MARGINS.countingWindowMs * 1.3);
  });

  it("gives two replicas' background calls together no more than their share", async () => {
    const url = await db.newDatabase();
    const sim = await simulator();
    const [a, b] = await Promise.all([replica(url, sim), replica(url, sim)]);
    await Promise.all([...listCalls(a.client, 20, "background"), ...listCalls(b.client, 20, "background")]);
    const busiest = busiestWindow(listArrivals(sim));
    expect(busiest).toBeLessThanOrEqual(LIMIT * BACKGROUND_SHARE);
    expect(busiest).toBeGreaterThanOrEqual(LIMIT * BACKGROUND_SHARE * 0.75);
    expect(a.budget.backgroundPerMinute("jobs")).toBeGreaterThan(0);
  });

  it("serves a replica's people's calls before its background calls already waiting", async () => {
    const url = await db.newDatabase();
    const { budget } = await replica(url, await simulator());
    const order: string[] = [];
    const call = (name: string, priority: CallPriority) =>
      budget.schedule("jobs", priority, async (untilSendable) => {
        await untilSendable();
        order.push(name);
      });
    const background = Array.from({ length: 6 }, (_, n) => call(`b${n + 1}`, "background"));
    const people = Array.from({ length: 4 }, (_, n) => call(`i${n + 1}`, "interactive"));
    await Promise.all([...background, ...people]);
    expect(order.slice(0, 4)).toEqual(["i1", "i2", "i3", "i4"]);
    expect(order.slice(4)).toEqual(["b1", "b2", "b3", "b4", "b5", "b6"]);
  });

  it("finds room for people on one replica within a window while another replica's background work saturates its share", async () => {
    const url = await db.newDatabase();
    const sim = await simulator();
    const [busy, quiet] = await Promise.all([replica(url, sim), replica(url, sim)]);
    let backgroundDone = 0;
    const backgroundWork = listCalls(busy.client, 30, "background").map((call) =>
      call.then(() => backgroundDone++),
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    const waits: number[] = [];
    for (let n = 0; n < 5; n++) {
      const askedAt = performance.now();
      await quiet.client.listJobs(customerRef(String(CUSTOMER)), RECIPE, {}, { priority: "interactive" });
      waits.push(performance.now() - askedAt);
    }
    expect(backgroundDone).toBeLessThan(30);
    const window = planWindows(LIMIT, MARGINS).durationMs;
    for (const wait of waits) expect(wait).toBeLessThan(window + 100);
    await Promise.all(backgroundWork);
    expect(busiestWindow(listArrivals(sim))).toBeLessThanOrEqual(LIMIT);
  });

  it("keeps serving calls, at a quarter of the limit, while Postgres does not answer", async () => {
    const url = await db.newDatabase();
    const sim = await simulator();
    const pool = db.replicaPool(url);
    const budget = await openSharedBudget({
      pool,
      clock: systemClock,
      logger: silentLogger,
      limits: { jobs: { perMinute: LIMIT, minIntervalMs: 0 } },
      margins: MARGINS,
    });
    const client = createWorkatoClient({ baseUrl: sim.url, token: sim.token, budget, clock: systemClock });
    cleanups.push(() => client.close());
    await pool.end();
    await Promise.all(listCalls(client, 12, "interactive"));
    expect(listArrivals(sim)).toHaveLength(12);
    expect(busiestWindow(listArrivals(sim))).toBeLessThanOrEqual(LIMIT / 4);
  });

  it("paces repeat_jobs with this process's budget, a second and 15 ms apart, for the one elected dispatcher", async () => {
    const url = await db.newDatabase();
    const { budget } = await replica(url, await simulator());
    const sentAt: number[] = [];
    await Promise.all(
      Array.from({ length: 3 }, () =>
        budget.schedule("repeat", "interactive", async (untilSendable) => {
          await untilSendable();
          sentAt.push(performance.now());
          budget.sent("repeat");
        }),
      ),
    );
    for (let n = 1; n < sentAt.length; n++) {
      expect((sentAt[n] ?? 0) - (sentAt[n - 1] ?? 0)).toBeGreaterThanOrEqual(1015 - 2);
    }
  });
});
