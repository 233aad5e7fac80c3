// Test set-up for lineage: the real Workato simulator over HTTP, the real client, a real SQLite store, and repeats
// made by the bot the way the repeat runner records them (created → in flight → sent → results).
import { afterEach, expect } from "vitest";
import {
  type SimulatorOptions,
  startWorkatoSimulator,
  type WorkatoSimulator,
} from "../../sim/workato-simulator/index.js";
import { type Clock, systemClock } from "../../src/clock.js";
import { openSqliteStore } from "../../src/store/sqlite-store.js";
import type { Store } from "../../src/store/store.js";
import { createLocalBudget } from "../../src/workato/budget.js";
import { createWorkatoClient, type JobRepeatResult, type WorkatoClient } from "../../src/workato/client.js";
import type { CustomerRef } from "../../src/workato/customer-ref.js";
import { customerRef } from "../support/customer.js";

export const CUSTOMER = 23456;
export const RECIPE = 28904;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

export interface LineageWorld {
  sim: WorkatoSimulator;
  workato: WorkatoClient;
  store: Store;
  customer: CustomerRef;
  /** GETs of the rerun_only listing the simulator has answered or refused so far */
  rerunListings(): number;
}

export async function setUp(
  options: { sim?: SimulatorOptions; storePath?: string; clock?: Clock } = {},
): Promise<LineageWorld> {
  // The simulator's repeat pacing is relaxed so that tests repeating twice need not wait a second.
  const sim = await startWorkatoSimulator({ pageSize: 5, repeatMinIntervalMs: 1, ...options.sim });
  sim.addCustomer({ id: CUSTOMER });
  sim.addRecipe(CUSTOMER, { id: RECIPE, name: "Orders" });
  const workato = createWorkatoClient({
    baseUrl: sim.url,
    token: sim.token,
    maxGetRetries: 0,
    budget: createLocalBudget({
      limits: {
        repeat: { perMinute: 6000, minIntervalMs: 5 },
        jobs: { perMinute: 60_000, minIntervalMs: 1 },
      },
    }),
    clock: options.clock ?? systemClock,
  });
  const store = openSqliteStore(options.storePath ?? ":memory:");
  cleanups.push(
    () => sim.close(),
    () => workato.close(),
    () => store.close(),
  );
  return {
    sim,
    workato,
    store,
    customer: customerRef(String(CUSTOMER)),
    rerunListings: () =>
      sim.requests.filter((request) => request.endpoint === "list" && request.query.rerun_only === "true")
        .length,
  };
}

/** Repeats jobs as the bot does, recording each step in the store; returns the repeat and Workato's results. */
export async function repeatByBot(
  world: LineageWorld,
  jobIds: readonly string[],
  options: { userId?: string; clock?: Clock } = {},
): Promise<{ repeatId: number; results: JobRepeatResult[] }> {
  const clock = options.clock ?? systemClock;
  const repeat = world.store.createRepeat(
    {
      userId: options.userId ?? "U_ALEX",
      channel: "C_ONCALL",
      threadTs: "1700000000.000100",
      customer: world.customer.display,
      recipeId: RECIPE,
    },
    jobIds,
    clock.now(),
  );
  const results: JobRepeatResult[] = [];
  for (let start = 0, batch = 1; start < jobIds.length; start += 25, batch++) {
    const chunk = jobIds.slice(start, start + 25);
    world.store.markInFlight(
      chunk.map((jobId) => ({ repeatId: repeat.id, jobId })),
      clock.now(),
    );
    const sent = await world.workato.repeatAtNextSlot(() => ({
      customer: world.customer,
      recipeId: RECIPE,
      jobIds: chunk,
    }));
    expect(sent?.attempt.kind).toBe("answered");
    const answered = sent?.attempt.kind === "answered" ? sent.attempt.results : [];
    world.store.recordResults(repeat.id, answered, batch);
    results.push(...answered);
  }
  world.store.finishRepeat(repeat.id, clock.now());
  return { repeatId: repeat.id, results };
}

export function newJobIdOf(results: readonly JobRepeatResult[], jobId: string): string {
  const result = results.find((candidate) => candidate.jobId === jobId);
  if (result?.outcome !== "enqueued") throw new Error(`${jobId} was not enqueued`);
  return result.newJobId;
}

export function mastersOf(world: LineageWorld, jobIds: readonly string[]) {
  return jobIds.map((id) => ({ id, startedAt: world.sim.job(id)?.startedAt.getTime() ?? null }));
}
