// The repeat runner through its reporter seam, against the Workato simulator and a real SQLite store: what it writes
// when, what it sends, and what it reports, in order; and that nothing is sent when it cannot report or record.
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { startWorkatoSimulator, type WorkatoSimulator } from "../../sim/workato-simulator/index.js";
import { createBackgroundWork } from "../../src/background.js";
import { systemClock } from "../../src/clock.js";
import { createRepeatClaims } from "../../src/repeat/claims.js";
import type { CannotStart, RepeatReporter, RepeatStart } from "../../src/repeat/repeat-reporter.js";
import { resumeUnfinishedRepeats } from "../../src/repeat/repeat-resume.js";
import { type RepeatRunnerDeps, startRepeat } from "../../src/repeat/repeat-runner.js";
import { createRepeatScheduler } from "../../src/repeat/repeat-scheduler.js";
import { asyncSqliteStore } from "../../src/store/async-sqlite.js";
import { openSqliteStore } from "../../src/store/sqlite-store.js";
import type { Store } from "../../src/store/store.js";
import { createWorkatoClient, type WorkatoClient } from "../../src/workato/client.js";
import { customerRef } from "../support/customer.js";

const CUSTOMER = 23456;
const RECIPE = 28904;
const CHANNEL = "C0ONCALL";
const silent = pino({ level: "silent" });

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setUp(): Promise<{
  sim: WorkatoSimulator;
  store: Store;
  workato: WorkatoClient;
  deps: RepeatRunnerDeps & { claims: ReturnType<typeof createRepeatClaims> };
}> {
  const sim = await startWorkatoSimulator();
  sim.addCustomer({ id: CUSTOMER });
  sim.addRecipe(CUSTOMER, { id: RECIPE, name: "Orders" });
  const workato = createWorkatoClient({ baseUrl: sim.url, token: sim.token, clock: systemClock });
  const store = openSqliteStore(":memory:");
  cleanups.push(async () => {
    await workato.close();
    await sim.close();
  });
  const scheduler = createRepeatScheduler({ client: workato, coalesceMs: 50, clock: systemClock });
  cleanups.push(() => scheduler.stop());
  return {
    sim,
    store,
    workato,
    deps: {
      store: asyncSqliteStore(store),
      scheduler,
      claims: createRepeatClaims(asyncSqliteStore(store), systemClock),
      clock: systemClock,
    },
  };
}

type Event =
  | { what: "opened"; repeat: RepeatStart }
  | { what: "recorded" }
  | { what: "batch"; batchNumber: number; jobs: number }
  | { what: "summary"; outcomes: string[] }
  | { what: "restarted"; inFlight: number }
  | { what: "paused" }
  | { what: "resumed" }
  | { what: "cannotStart"; reason: CannotStart };

/** A reporter that writes down what it is told, and what the store and Workato had seen by then. */
function recordingReporter(
  sim: WorkatoSimulator,
  store: Store,
  opened: { ok: true; threadTs: string } | { ok: false; error: string } = {
    ok: true,
    threadTs: "1700000000.000100",
  },
) {
  const events: Event[] = [];
  const seen: { event: Event["what"]; repeats: number; requestsSent: number }[] = [];
  const note = (event: Event) => {
    events.push(event);
    seen.push({
      event: event.what,
      repeats: store.recentRepeats({ channel: CHANNEL, limit: 10 }).length,
      requestsSent: sim.requests.filter((request) => request.endpoint === "repeat").length,
    });
  };
  const reporter: RepeatReporter = {
    async opened(repeat) {
      note({ what: "opened", repeat });
      return opened;
    },
    async recorded() {
      note({ what: "recorded" });
    },
    async batch(results, batchNumber) {
      note({ what: "batch", batchNumber, jobs: results.length });
    },
    async summary(results) {
      note({ what: "summary", outcomes: results.map((result) => result.outcome) });
    },
    async restarted(inFlight) {
      note({ what: "restarted", inFlight });
    },
    async paused() {
      note({ what: "paused" });
    },
    async resumed() {
      note({ what: "resumed" });
    },
    async cannotStart(reason) {
      note({ what: "cannotStart", reason });
    },
  };
  return { reporter, events, seen };
}

function request(jobIds: string[], claimKey = "click:test") {
  return {
    userId: "U0ALICE",
    channel: CHANNEL,
    customer: customerRef(String(CUSTOMER)),
    recipeId: RECIPE,
    jobIds,
    claimKey,
  };
}

describe("the repeat runner", () => {
  it("opens the report, records the repeat, then sends and reports each request and the summary, in that order", async () => {
    const { sim, store, deps } = await setUp();
    const jobIds = sim.addFailedJobs(CUSTOMER, RECIPE, 30).map((job) => job.id);
    const { reporter, events, seen } = recordingReporter(sim, store);

    await startRepeat(deps, request(jobIds), reporter, silent);

    expect(events.map((event) => event.what)).toEqual(["opened", "recorded", "batch", "batch", "summary"]);
    expect(events.filter((event) => event.what === "batch")).toEqual([
      { what: "batch", batchNumber: 1, jobs: 25 },
      { what: "batch", batchNumber: 2, jobs: 5 },
    ]);
    expect(events.at(-1)).toEqual({ what: "summary", outcomes: Array(30).fill("enqueued") });
    // Nothing on record while the report is opened; on record, and still nothing sent, when the button may go.
    expect(seen[0]).toEqual({ event: "opened", repeats: 0, requestsSent: 0 });
    expect(seen[1]).toEqual({ event: "recorded", repeats: 1, requestsSent: 0 });
    const [repeat] = store.recentRepeats({ channel: CHANNEL, limit: 10 });
    expect(repeat?.repeat).toMatchObject({ threadTs: "1700000000.000100", recipeId: RECIPE });
    expect(repeat?.repeat.finishedAt).not.toBeNull();
    expect(store.repeatJobs(repeat?.repeat.id ?? 0).every((job) => job.status.state === "done")).toBe(true);
    expect(store.unfinishedRepeats()).toHaveLength(0);
  });

  it("sends and records nothing, and gives the claim back, when the report cannot be opened", async () => {
    const { sim, store, deps } = await setUp();
    const jobIds = sim.addFailedJobs(CUSTOMER, RECIPE, 3).map((job) => job.id);
    expect((await deps.claims.claim("click:test", "U0ALICE")).ok).toBe(true);
    const { reporter, events } = recordingReporter(sim, store, { ok: false, error: "not_in_channel" });

    await startRepeat(deps, request(jobIds), reporter, silent);

    expect(events.map((event) => event.what)).toEqual(["opened", "cannotStart"]);
    expect(events[1]).toEqual({
      what: "cannotStart",
      reason: { kind: "cannot_report", error: "not_in_channel" },
    });
    expect(store.recentRepeats({ channel: CHANNEL, limit: 10 })).toHaveLength(0);
    expect(sim.requests.filter((r) => r.endpoint === "repeat")).toHaveLength(0);
    expect((await deps.claims.claim("click:test", "U0BOB")).ok).toBe(true);
  });

  it("sends nothing when the repeat cannot be recorded, and says so through the reporter", async () => {
    const { sim, store, deps } = await setUp();
    const jobIds = sim.addFailedJobs(CUSTOMER, RECIPE, 3).map((job) => job.id);
    const brokenStore = openSqliteStore(":memory:");
    brokenStore.close();
    const { reporter, events } = recordingReporter(sim, store);

    await startRepeat({ ...deps, store: asyncSqliteStore(brokenStore) }, request(jobIds), reporter, silent);

    expect(events.map((event) => event.what)).toEqual(["opened", "cannotStart"]);
    expect(events[1]).toEqual({ what: "cannotStart", reason: { kind: "cannot_record" } });
    expect(sim.requests.filter((r) => r.endpoint === "repeat")).toHaveLength(0);
  });

  it("resumes a recorded repeat whose jobs were still waiting, in the same report, after a restart", async () => {
    const { sim, store, workato, deps } = await setUp();
    const jobIds = sim.addFailedJobs(CUSTOMER, RECIPE, 4).map((job) => job.id);
    const record = store.createRepeat(
      {
        userId: "U0ALICE",
        channel: CHANNEL,
        threadTs: "1700000000.000200",
        customer: String(CUSTOMER),
        recipeId: RECIPE,
      },
      jobIds,
      systemClock.now(),
    );
    const { reporter, events } = recordingReporter(sim, store);
    const background = createBackgroundWork(silent);

    await resumeUnfinishedRepeats({
      ...deps,
      workato,
      background,
      logger: silent,
      reporterFor: (resumed) => {
        expect(resumed).toMatchObject({ id: record.id, threadTs: "1700000000.000200" });
        return reporter;
      },
    });
    await background.settled();

    expect(events).toEqual([
      { what: "restarted", inFlight: 0 },
      { what: "batch", batchNumber: 1, jobs: 4 },
      { what: "summary", outcomes: Array(4).fill("enqueued") },
    ]);
    expect(store.unfinishedRepeats()).toHaveLength(0);
  });
});
