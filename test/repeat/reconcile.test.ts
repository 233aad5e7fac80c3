// After a crash, reconciliation decides from Workato's reruns what an in-flight repeat request did.
import { afterEach, describe, expect, it } from "vitest";
import { startWorkatoSimulator, type WorkatoSimulator } from "../../sim/workato-simulator/index.js";
import { systemClock } from "../../src/clock.js";
import { reconcileInFlight } from "../../src/repeat/reconcile.js";
import { createWorkatoClient, type WorkatoClient } from "../../src/workato/client.js";
import { customerRef } from "../support/customer.js";

const CUSTOMER = 23456;
const RECIPE = 28904;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function setUp(): Promise<{ sim: WorkatoSimulator; client: WorkatoClient }> {
  const sim = await startWorkatoSimulator({ pageSize: 5 });
  sim.addCustomer({ id: CUSTOMER });
  sim.addRecipe(CUSTOMER, { id: RECIPE, name: "Orders" });
  const client = createWorkatoClient({
    baseUrl: sim.url,
    token: sim.token,
    maxGetRetries: 0,
    clock: systemClock,
  });
  cleanups.push(async () => {
    await client.close();
    await sim.close();
  });
  return { sim, client };
}

async function repeatDirectly(sim: WorkatoSimulator, jobIds: string[]): Promise<void> {
  const response = await fetch(`${sim.url}/api/managed_users/${CUSTOMER}/recipes/${RECIPE}/repeat_jobs`, {
    method: "POST",
    headers: { authorization: `Bearer ${sim.token}`, "content-type": "application/json" },
    body: JSON.stringify({ job_ids: jobIds }),
  });
  expect(response.status).toBe(200);
}

describe("reconcileInFlight", () => {
  it("finds the repeats Workato ran, with their new ids, and proves the others did not run", async () => {
    const { sim, client } = await setUp();
    const jobs = sim.addFailedJobs(CUSTOMER, RECIPE, 12).map((job) => job.id);
    const sentAt = Date.now();
    await repeatDirectly(sim, jobs.slice(0, 7));

    const reconciled = await reconcileInFlight(
      client,
      customerRef(String(CUSTOMER)),
      RECIPE,
      jobs.map((jobId) => ({ jobId, sentAt })),
    );
    const ran = reconciled.filter((item) => item.ran === true);
    expect(ran.map((item) => item.jobId).sort()).toEqual(jobs.slice(0, 7).sort());
    for (const item of ran) {
      if (item.ran === true && item.result.outcome === "enqueued") {
        expect(sim.job(item.result.newJobId)?.masterJobId).toBe(item.jobId);
      }
    }
    expect(reconciled.filter((item) => item.ran === false).map((item) => item.jobId)).toEqual(jobs.slice(7));
  });

  it("reports unknown, never 'did not run', when Workato cannot be asked", async () => {
    const { sim, client } = await setUp();
    const jobs = sim.addFailedJobs(CUSTOMER, RECIPE, 2).map((job) => job.id);
    sim.denyJobsAccess(true);
    const reconciled = await reconcileInFlight(
      client,
      customerRef(String(CUSTOMER)),
      RECIPE,
      jobs.map((jobId) => ({ jobId, sentAt: Date.now() })),
    );
    expect(reconciled.map((item) => item.ran)).toEqual(["unknown", "unknown"]);
    const first = reconciled[0];
    const message =
      first?.ran === "unknown" && first.result.outcome === "unknown" ? first.result.message : "";
    expect(message).toMatch(/check the recipe's jobs/);
  });
});
