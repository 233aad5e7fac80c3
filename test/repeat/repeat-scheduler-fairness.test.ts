// The repeat slots are shared: while a long recovery runs, a short repeat of the same or another recipe is sent
// within a second or two, and a stopped repeat sends nothing more (against the Workato simulator).
import { afterEach, describe, expect, it } from "vitest";
import { startWorkatoSimulator, type WorkatoSimulator } from "../../sim/workato-simulator/index.js";
import { systemClock } from "../../src/clock.js";
import { createRepeatScheduler, type RepeatScheduler } from "../../src/repeat/repeat-scheduler.js";
import { createWorkatoClient } from "../../src/workato/client.js";
import { customerRef } from "../support/customer.js";

const CUSTOMER = 23456;
const RECIPE = 28904;
const OTHER_RECIPE = 28905;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function setUp(): Promise<{ sim: WorkatoSimulator; scheduler: RepeatScheduler }> {
  const sim = await startWorkatoSimulator();
  sim.addCustomer({ id: CUSTOMER });
  sim.addRecipe(CUSTOMER, { id: RECIPE, name: "Orders" });
  sim.addRecipe(CUSTOMER, { id: OTHER_RECIPE, name: "Invoices" });
  const client = createWorkatoClient({ baseUrl: sim.url, token: sim.token, clock: systemClock });
  const scheduler = createRepeatScheduler({ client, coalesceMs: 100, clock: systemClock });
  cleanups.push(async () => {
    scheduler.stop();
    await client.close();
    await sim.close();
  });
  return { sim, scheduler };
}

const customer = customerRef(String(CUSTOMER));

describe("sharing the repeat slots", () => {
  it.each([
    ["another recipe", OTHER_RECIPE],
    ["the same recipe", RECIPE],
  ])("sends a 3-job repeat of %s within 2.5 s while a 300-job recovery runs", async (_name, recipeId) => {
    const { sim, scheduler } = await setUp();
    const long = sim.addFailedJobs(CUSTOMER, RECIPE, 300).map((job) => job.id);
    const short = sim.addFailedJobs(CUSTOMER, recipeId, 3).map((job) => job.id);
    const stop = new AbortController();
    void scheduler.repeat({ customer, recipeId: RECIPE, jobIds: long, stopSignal: stop.signal });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const asked = performance.now();
    const results = await scheduler.repeat({ customer, recipeId, jobIds: short });
    expect(performance.now() - asked).toBeLessThan(2500);
    expect(results.map((result) => result.outcome)).toEqual(["enqueued", "enqueued", "enqueued"]);
    stop.abort();
  });

  it("sends none of a stopped repeat's waiting jobs, and resolves with the ones sent", async () => {
    const { sim, scheduler } = await setUp();
    const jobs = sim.addFailedJobs(CUSTOMER, RECIPE, 100).map((job) => job.id);
    const stop = new AbortController();
    let batches = 0;
    const done = scheduler.repeat({
      customer,
      recipeId: RECIPE,
      jobIds: jobs,
      stopSignal: stop.signal,
      onBatch: () => {
        if (++batches === 2) stop.abort();
      },
    });
    const results = await done;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const requests = sim.requests.filter((request) => request.endpoint === "repeat");
    expect(requests.length).toBeLessThanOrEqual(3);
    expect(results).toHaveLength(requests.length * 25);
    expect(new Set(results.map((result) => result.jobId)).size).toBe(results.length);
  });
});
