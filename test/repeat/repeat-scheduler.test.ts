// Repeating jobs through the scheduler against the Workato simulator: batching, pacing, sharing requests between
// people, and never resending a request that may have run.
import { afterEach, describe, expect, it } from "vitest";
import { startWorkatoSimulator, type WorkatoSimulator } from "../../sim/workato-simulator/index.js";
import { systemClock } from "../../src/clock.js";
import { createRepeatScheduler, type RepeatScheduler } from "../../src/repeat/repeat-scheduler.js";
import { createWorkatoClient, type JobRepeatResult } from "../../src/workato/client.js";
import { customerRef as customer } from "../support/customer.js";

const CUSTOMER = 23456;
const RECIPE = 28904;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function setUp(coalesceMs = 100): Promise<{ sim: WorkatoSimulator; scheduler: RepeatScheduler }> {
  const sim = await startWorkatoSimulator();
  sim.addCustomer({ id: CUSTOMER, externalId: "A2300" });
  sim.addRecipe(CUSTOMER, { id: RECIPE, name: "Orders" });
  sim.addRecipe(CUSTOMER, { id: RECIPE + 1, name: "Invoices" });
  const client = createWorkatoClient({ baseUrl: sim.url, token: sim.token, clock: systemClock });
  cleanups.push(async () => {
    await client.close();
    await sim.close();
  });
  return { sim, scheduler: createRepeatScheduler({ client, coalesceMs, clock: systemClock }) };
}

const repeatRequests = (sim: WorkatoSimulator) =>
  sim.requests.filter((request) => request.endpoint === "repeat");
const sentIds = (sim: WorkatoSimulator) =>
  repeatRequests(sim).map((request) => (request.body as { job_ids: string[] }).job_ids);
const outcomes = (results: JobRepeatResult[]) => results.map((result) => result.outcome);

describe("repeating jobs", () => {
  it("repeats 60 failed jobs in three requests of 25, 25 and 10, each a second after the last", async () => {
    const { sim, scheduler } = await setUp();
    const jobs = sim.addFailedJobs(CUSTOMER, RECIPE, 60);
    const batches: number[] = [];

    const results = await scheduler.repeat({
      customer: customer("23456"),
      recipeId: RECIPE,
      jobIds: jobs.map((job) => job.id),
      onBatch: (batch) => {
        batches.push(batch.length);
      },
    });

    expect(sentIds(sim).map((ids) => ids.length)).toEqual([25, 25, 10]);
    const starts = repeatRequests(sim).map((request) => request.at);
    expect((starts[1] ?? 0) - (starts[0] ?? 0)).toBeGreaterThanOrEqual(1000);
    expect((starts[2] ?? 0) - (starts[1] ?? 0)).toBeGreaterThanOrEqual(1000);
    expect(results.map((result) => result.jobId)).toEqual(jobs.map((job) => job.id));
    expect(new Set(outcomes(results))).toEqual(new Set(["enqueued"]));
    expect(batches).toEqual([25, 25, 10]);
    // Each original now has exactly one repeat, whose master is the original.
    expect(jobs.map((job) => job.repeatCount)).toEqual(Array(60).fill(1));
    const newIds = results.map((result) => (result.outcome === "enqueued" ? result.newJobId : ""));
    expect(newIds.map((id) => sim.job(id)?.masterJobId)).toEqual(jobs.map((job) => job.id));
  });

  it("repeats a job asked for twice in one request only once, keeping the order asked", async () => {
    const { sim, scheduler } = await setUp();
    const [a, b] = sim.addFailedJobs(CUSTOMER, RECIPE, 2).map((job) => job.id);
    const results = await scheduler.repeat({
      customer: customer("ext:A2300"),
      recipeId: RECIPE,
      jobIds: [b, a, b] as string[],
    });
    expect(results.map((result) => result.jobId)).toEqual([b, a]);
    expect(sentIds(sim)).toEqual([[b, a]]);
    expect(repeatRequests(sim)[0]?.rawPath).toBe(`/api/managed_users/EA2300/recipes/${RECIPE}/repeat_jobs`);
  });

  it("reports each job Workato refused with its type", async () => {
    const { sim, scheduler } = await setUp();
    const [fine, expired, original] = sim.addFailedJobs(CUSTOMER, RECIPE, 3);
    if (expired) expired.expired = true;
    const firstRepeat = await scheduler.repeat({
      customer: customer("23456"),
      recipeId: RECIPE,
      jobIds: [original?.id as string],
    });
    const repeatOfOriginal = firstRepeat[0]?.outcome === "enqueued" ? firstRepeat[0].newJobId : "";

    const results = await scheduler.repeat({
      customer: customer("23456"),
      recipeId: RECIPE,
      jobIds: [fine?.id as string, expired?.id as string, repeatOfOriginal, "j-does-not-exist"],
    });
    expect(results.map((result) => (result.outcome === "failed" ? result.typeId : result.outcome))).toEqual([
      "enqueued",
      "err.job.repeat.trigger_data_unavailable.expired",
      "err.job.repeat.invalid_id",
      "err.item.not_found",
    ]);
  });
});

describe("sharing requests between people", () => {
  it("puts two people's 10 jobs each, asked within a second, into one request of 20 and tells each their own", async () => {
    const { sim, scheduler } = await setUp(1000);
    const jobs = sim.addFailedJobs(CUSTOMER, RECIPE, 20).map((job) => job.id);
    const aliceBatches: string[][] = [];
    const bobBatches: string[][] = [];

    const alice = scheduler.repeat({
      customer: customer("23456"),
      recipeId: RECIPE,
      jobIds: jobs.slice(0, 10),
      onBatch: (batch) => {
        aliceBatches.push(batch.map((result) => result.jobId));
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 400));
    const bob = scheduler.repeat({
      customer: customer("23456"),
      recipeId: RECIPE,
      jobIds: jobs.slice(10),
      onBatch: (batch) => {
        bobBatches.push(batch.map((result) => result.jobId));
      },
    });

    const [aliceResults, bobResults] = await Promise.all([alice, bob]);
    expect(sentIds(sim).map((ids) => ids.length)).toEqual([20]);
    expect(aliceBatches).toEqual([jobs.slice(0, 10)]);
    expect(bobBatches).toEqual([jobs.slice(10)]);
    expect(outcomes(aliceResults)).toEqual(Array(10).fill("enqueued"));
    expect(outcomes(bobResults)).toEqual(Array(10).fill("enqueued"));
  });

  it("repeats a job two people ask for at once only once, and both hear the new job id", async () => {
    const { sim, scheduler } = await setUp();
    const [job] = sim.addFailedJobs(CUSTOMER, RECIPE, 1);
    const ask = () =>
      scheduler.repeat({ customer: customer("23456"), recipeId: RECIPE, jobIds: [job?.id as string] });
    const [first, second] = await Promise.all([ask(), ask()]);
    expect(job?.repeatCount).toBe(1);
    expect(first).toEqual(second);
    expect(first[0]?.outcome).toBe("enqueued");
  });

  it("keeps recipes apart: different recipes never share a request", async () => {
    const { sim, scheduler } = await setUp();
    const orders = sim.addFailedJobs(CUSTOMER, RECIPE, 3).map((job) => job.id);
    const invoices = sim.addFailedJobs(CUSTOMER, RECIPE + 1, 3).map((job) => job.id);
    await Promise.all([
      scheduler.repeat({ customer: customer("23456"), recipeId: RECIPE, jobIds: orders }),
      scheduler.repeat({ customer: customer("23456"), recipeId: RECIPE + 1, jobIds: invoices }),
    ]);
    expect(
      repeatRequests(sim).map((request) => [
        request.recipeId,
        (request.body as { job_ids: string[] }).job_ids,
      ]),
    ).toEqual([
      [RECIPE, orders],
      [RECIPE + 1, invoices],
    ]);
  });
});

describe("never repeating twice by accident", () => {
  it("retries a request answered 429, losing nothing and repeating nothing twice", async () => {
    const { sim, scheduler } = await setUp();
    const jobs = sim.addFailedJobs(CUSTOMER, RECIPE, 30);
    sim.addFault({
      endpoint: "repeat",
      times: 1,
      effect: { type: "status", status: 429, retryAfterSeconds: 1 },
    });
    const results = await scheduler.repeat({
      customer: customer("23456"),
      recipeId: RECIPE,
      jobIds: jobs.map((job) => job.id),
    });
    expect(repeatRequests(sim).map((request) => request.status)).toEqual([429, 200, 200]);
    expect(outcomes(results)).toEqual(Array(30).fill("enqueued"));
    expect(jobs.map((job) => job.repeatCount)).toEqual(Array(30).fill(1));
  });

  it("does not resend a request Workato processed and then answered 500: its jobs are reported unknown", async () => {
    const { sim, scheduler } = await setUp();
    const jobs = sim.addFailedJobs(CUSTOMER, RECIPE, 30);
    sim.addFault({
      endpoint: "repeat",
      times: 1,
      afterProcessing: true,
      effect: { type: "status", status: 500 },
    });
    const results = await scheduler.repeat({
      customer: customer("23456"),
      recipeId: RECIPE,
      jobIds: jobs.map((job) => job.id),
    });
    expect(repeatRequests(sim)).toHaveLength(2);
    expect(outcomes(results)).toEqual([...Array(25).fill("unknown"), ...Array(5).fill("enqueued")]);
    expect(results[0]?.outcome === "unknown" && results[0].message).toMatch(/may or may not/);
    // The first 25 did run once on Workato's side, and were not sent again.
    expect(jobs.map((job) => job.repeatCount)).toEqual(Array(30).fill(1));
  });

  it("does not resend a request whose connection dropped after it was sent", async () => {
    const { sim, scheduler } = await setUp();
    const jobs = sim.addFailedJobs(CUSTOMER, RECIPE, 3);
    sim.addFault({ endpoint: "repeat", times: 1, afterProcessing: true, effect: { type: "reset" } });
    const results = await scheduler.repeat({
      customer: customer("23456"),
      recipeId: RECIPE,
      jobIds: jobs.map((job) => job.id),
    });
    expect(repeatRequests(sim)).toHaveLength(1);
    expect(outcomes(results)).toEqual(Array(3).fill("unknown"));
  });

  it("reports every job failed with Workato's reason when the whole request is refused", async () => {
    const { sim, scheduler } = await setUp();
    const jobs = sim.addFailedJobs(CUSTOMER, RECIPE, 2);
    sim.denyJobsAccess(true);
    const results = await scheduler.repeat({
      customer: customer("23456"),
      recipeId: RECIPE,
      jobIds: jobs.map((job) => job.id),
    });
    expect(repeatRequests(sim)).toHaveLength(1);
    expect(outcomes(results)).toEqual(["failed", "failed"]);
  });
});
