// One contract for every Store: what the bot relies on from durable state, run unchanged against SQLite (Store) and
// Postgres (AsyncStore). Every call is awaited, so a synchronous store passes the same tests as an asynchronous one.
import { afterEach, describe, expect, it } from "vitest";
import type { AlertThreadRecord, AsyncStore, Store } from "../../src/store/store.js";
import { unpolledWatch } from "../support/watch.js";

export type AnyStore = Store | AsyncStore;

/** Empty durable storage (a file, a database) that stores can be opened on, as a process does when it starts. */
export interface StoreStorage {
  open(): AnyStore | Promise<AnyStore>;
}

const T0 = Date.UTC(2025, 2, 3, 9, 0, 0);
const MINUTE = 60_000;

const repeatOf = (overrides: Partial<{ channel: string; customer: string; recipeId: number }> = {}) => ({
  userId: "U_ASKER",
  channel: "C_ONCALL",
  threadTs: "1741000000.000100",
  customer: "Acme (1001)",
  recipeId: 28904,
  ...overrides,
});

const watchOf = (
  overrides: Partial<{ channel: string; customer: string; recipeId: number; mentions: string[] }>,
) => ({
  channel: "C_ONCALL",
  customer: "Acme (1001)",
  recipeId: 28904,
  mentions: ["<@U_ANNA>"],
  createdBy: "U_ANNA",
  ...overrides,
});

export function describeStoreContract(
  name: string,
  newStorage: () => StoreStorage | Promise<StoreStorage>,
): void {
  describe(`${name} (Store contract)`, () => {
    const open: AnyStore[] = [];
    const closed = new Set<AnyStore>();

    afterEach(async () => {
      for (const store of open.splice(0)) if (!closed.has(store)) await store.close();
      closed.clear();
    });

    async function openOn(storage: StoreStorage): Promise<AnyStore> {
      const store = await storage.open();
      open.push(store);
      return store;
    }

    async function fresh(): Promise<{ store: AnyStore; storage: StoreStorage }> {
      const storage = await newStorage();
      return { store: await openOn(storage), storage };
    }

    /** Closes the store as a stopping process would, and opens the same storage again. */
    async function restart(store: AnyStore, storage: StoreStorage): Promise<AnyStore> {
      await store.close();
      closed.add(store);
      return openOn(storage);
    }

    describe("recovery plans", () => {
      it("keeps a recovery's since and again across a restart, and the first Stop with who clicked it", async () => {
        const { store, storage } = await fresh();
        const repeat = await store.createRepeat(repeatOf(), ["j1", "j2"], T0);
        const plain = await store.createRepeat(repeatOf(), ["j3"], T0);
        await store.saveRecoveryPlan(repeat.id, { since: T0 - 120 * MINUTE, again: true });
        await store.saveRecoveryPlan(repeat.id, { since: null, again: false });
        const reopened = await restart(store, storage);
        expect(await reopened.recoveryPlan(repeat.id)).toEqual({
          repeatId: repeat.id,
          since: T0 - 120 * MINUTE,
          again: true,
          stoppedBy: null,
          stoppedAt: null,
        });
        expect(await reopened.recoveryPlan(plain.id)).toBeUndefined();
        expect(await reopened.stopRecovery(repeat.id, "U_BOB", T0 + MINUTE)).toBe(true);
        expect(await reopened.stopRecovery(repeat.id, "U_CAROL", T0 + 2 * MINUTE)).toBe(true);
        expect(await reopened.stopRecovery(plain.id, "U_BOB", T0 + MINUTE)).toBe(false);
        expect(await reopened.recoveryPlan(repeat.id)).toMatchObject({
          stoppedBy: "U_BOB",
          stoppedAt: T0 + MINUTE,
        });
      });

      it("records a plan without since (every failed job Workato lists)", async () => {
        const { store } = await fresh();
        const repeat = await store.createRepeat(repeatOf(), ["j1"], T0);
        await store.saveRecoveryPlan(repeat.id, { since: null, again: false });
        expect(await store.recoveryPlan(repeat.id)).toMatchObject({
          since: null,
          again: false,
          stoppedBy: null,
        });
      });
    });

    describe("repeats", () => {
      it("records a repeat and its jobs, all waiting, before anything is sent", async () => {
        const { store } = await fresh();
        const repeat = await store.createRepeat(repeatOf(), ["j1", "j2", "j3"], T0);
        expect(repeat).toEqual({ id: expect.any(Number), ...repeatOf(), createdAt: T0, finishedAt: null });
        const jobs = await store.repeatJobs(repeat.id);
        expect(jobs).toEqual([
          { repeatId: repeat.id, jobId: "j1", position: 0, status: { state: "waiting" } },
          { repeatId: repeat.id, jobId: "j2", position: 1, status: { state: "waiting" } },
          { repeatId: repeat.id, jobId: "j3", position: 2, status: { state: "waiting" } },
        ]);
        expect(await store.unfinishedRepeats()).toEqual([repeat]);
        expect(await store.batchesReported(repeat.id)).toBe(0);
      });

      it("repeats a job listed twice only once, in its first place", async () => {
        const { store } = await fresh();
        const repeat = await store.createRepeat(repeatOf(), ["j1", "j2", "j1"], T0);
        const jobs = await store.repeatJobs(repeat.id);
        expect(jobs.map((job) => job.jobId)).toEqual(["j1", "j2"]);
      });

      it("marks jobs in flight under one batch with its send time, leaving the others waiting", async () => {
        const { store } = await fresh();
        const repeat = await store.createRepeat(repeatOf(), ["j1", "j2", "j3"], T0);
        const batchId = await store.markInFlight(
          [
            { repeatId: repeat.id, jobId: "j1" },
            { repeatId: repeat.id, jobId: "j2" },
          ],
          T0 + 1000,
        );
        const states = (await store.repeatJobs(repeat.id)).map((job) => job.status);
        expect(states).toEqual([
          { state: "in_flight", batchId, sentAt: T0 + 1000 },
          { state: "in_flight", batchId, sentAt: T0 + 1000 },
          { state: "waiting" },
        ]);
        const next = await store.markInFlight([{ repeatId: repeat.id, jobId: "j3" }], T0 + 2000);
        expect(next).not.toBe(batchId);
      });

      it("records each job's outcome with its details, and counts the batch replies already posted", async () => {
        const { store } = await fresh();
        const repeat = await store.createRepeat(repeatOf(), ["j1", "j2", "j3"], T0);
        const items = ["j1", "j2", "j3"].map((jobId) => ({ repeatId: repeat.id, jobId }));
        await store.markInFlight(items, T0 + 1000);
        await store.recordResults(
          repeat.id,
          [
            { jobId: "j1", outcome: "enqueued", newJobId: "n1" },
            { jobId: "j2", outcome: "failed", typeId: "job_not_found", message: "Job not found" },
          ],
          1,
        );
        await store.recordResults(repeat.id, [{ jobId: "j3", outcome: "unknown", message: "timed out" }], 2);
        const results = (await store.repeatJobs(repeat.id)).map((job) => job.status);
        expect(results).toEqual([
          { state: "done", result: { jobId: "j1", outcome: "enqueued", newJobId: "n1" } },
          {
            state: "done",
            result: { jobId: "j2", outcome: "failed", typeId: "job_not_found", message: "Job not found" },
          },
          { state: "done", result: { jobId: "j3", outcome: "unknown", message: "timed out" } },
        ]);
        expect(await store.batchesReported(repeat.id)).toBe(2);
      });

      it("keeps a failure without a type as such", async () => {
        const { store } = await fresh();
        const repeat = await store.createRepeat(repeatOf(), ["j1"], T0);
        await store.recordResults(
          repeat.id,
          [{ jobId: "j1", outcome: "failed", typeId: null, message: "no" }],
          1,
        );
        const [job] = await store.repeatJobs(repeat.id);
        expect(job?.status).toEqual({
          state: "done",
          result: { jobId: "j1", outcome: "failed", typeId: null, message: "no" },
        });
      });

      it("never overwrites a result already recorded, nor sends a finished job again", async () => {
        const { store } = await fresh();
        const repeat = await store.createRepeat(repeatOf(), ["j1"], T0);
        const item = { repeatId: repeat.id, jobId: "j1" };
        await store.markInFlight([item], T0 + 1000);
        await store.recordResults(repeat.id, [{ jobId: "j1", outcome: "enqueued", newJobId: "n1" }], 1);
        await store.recordResults(repeat.id, [{ jobId: "j1", outcome: "unknown", message: "late" }], 2);
        await store.markInFlight([item], T0 + 2000);
        await store.markWaiting([item]);
        const [job] = await store.repeatJobs(repeat.id);
        expect(job?.status).toEqual({
          state: "done",
          result: { jobId: "j1", outcome: "enqueued", newJobId: "n1" },
        });
        expect(await store.batchesReported(repeat.id)).toBe(1);
      });

      it("knows which recorded results Slack has not taken yet, in the order they were recorded", async () => {
        const { store } = await fresh();
        const repeat = await store.createRepeat(repeatOf(), ["j1", "j2", "j3", "j4"], T0);
        await store.recordResults(
          repeat.id,
          [
            { jobId: "j3", outcome: "enqueued", newJobId: "n3" },
            { jobId: "j4", outcome: "unknown", message: "timed out" },
          ],
          1,
        );
        await store.recordResults(repeat.id, [{ jobId: "j1", outcome: "enqueued", newJobId: "n1" }], 2);
        expect((await store.unpostedResults(repeat.id)).map((result) => result.jobId)).toEqual([
          "j3",
          "j4",
          "j1",
        ]);
        // A job still waiting cannot be marked: only a recorded result is ever in the thread.
        await store.markResultsPosted(repeat.id, ["j3", "j2"]);
        expect(await store.unpostedResults(repeat.id)).toEqual([
          { jobId: "j4", outcome: "unknown", message: "timed out" },
          { jobId: "j1", outcome: "enqueued", newJobId: "n1" },
        ]);
        await store.recordResults(repeat.id, [{ jobId: "j2", outcome: "enqueued", newJobId: "n2" }], 3);
        expect((await store.unpostedResults(repeat.id)).map((result) => result.jobId)).toEqual([
          "j4",
          "j1",
          "j2",
        ]);
        await store.markResultsPosted(repeat.id, ["j4", "j1", "j2"]);
        expect(await store.unpostedResults(repeat.id)).toEqual([]);
      });

      it("puts in-flight jobs back to waiting when their request certainly did not run", async () => {
        const { store } = await fresh();
        const repeat = await store.createRepeat(repeatOf(), ["j1", "j2"], T0);
        const items = ["j1", "j2"].map((jobId) => ({ repeatId: repeat.id, jobId }));
        await store.markInFlight(items, T0 + 1000);
        await store.markWaiting(items);
        const states = (await store.repeatJobs(repeat.id)).map((job) => job.status);
        expect(states).toEqual([{ state: "waiting" }, { state: "waiting" }]);
        // Waiting again, they can go out in a new request.
        const again = await store.markInFlight(items, T0 + 5000);
        expect((await store.repeatJobs(repeat.id)).map((job) => job.status)).toEqual([
          { state: "in_flight", batchId: again, sentAt: T0 + 5000 },
          { state: "in_flight", batchId: again, sentAt: T0 + 5000 },
        ]);
      });

      it("lists unfinished repeats oldest first, and drops a repeat once finished", async () => {
        const { store } = await fresh();
        const first = await store.createRepeat(repeatOf(), ["j1"], T0);
        const second = await store.createRepeat(repeatOf({ recipeId: 2 }), ["j2"], T0 + 1);
        const third = await store.createRepeat(repeatOf({ recipeId: 3 }), ["j3"], T0 + 2);
        expect((await store.unfinishedRepeats()).map((repeat) => repeat.id)).toEqual([
          first.id,
          second.id,
          third.id,
        ]);
        await store.finishRepeat(second.id, T0 + MINUTE);
        expect((await store.unfinishedRepeats()).map((repeat) => repeat.id)).toEqual([first.id, third.id]);
        const [summary] = await store.recentRepeats({ recipeId: 2, limit: 5 });
        expect(summary?.repeat.finishedAt).toBe(T0 + MINUTE);
      });

      it("lists recent repeats newest first, with how many jobs ended which way", async () => {
        const { store } = await fresh();
        const older = await store.createRepeat(repeatOf(), ["a"], T0);
        const repeat = await store.createRepeat(repeatOf(), ["j1", "j2", "j3", "j4", "j5"], T0 + 1);
        const empty = await store.createRepeat(repeatOf(), [], T0 + 2);
        await store.markInFlight(
          ["j1", "j2", "j3", "j4"].map((jobId) => ({ repeatId: repeat.id, jobId })),
          T0 + 1000,
        );
        await store.recordResults(
          repeat.id,
          [
            { jobId: "j1", outcome: "enqueued", newJobId: "n1" },
            { jobId: "j2", outcome: "enqueued", newJobId: "n2" },
            { jobId: "j3", outcome: "failed", typeId: null, message: "bad" },
          ],
          1,
        );
        const rows = await store.recentRepeats({ limit: 10 });
        expect(rows.map((row) => row.repeat.id)).toEqual([empty.id, repeat.id, older.id]);
        const counts = rows.map(({ total, enqueued, failed, unknown, waiting }) => ({
          total,
          enqueued,
          failed,
          unknown,
          waiting,
        }));
        expect(counts).toEqual([
          { total: 0, enqueued: 0, failed: 0, unknown: 0, waiting: 0 },
          // j4 in flight and j5 waiting: both not done yet
          { total: 5, enqueued: 2, failed: 1, unknown: 0, waiting: 2 },
          { total: 1, enqueued: 0, failed: 0, unknown: 0, waiting: 1 },
        ]);
        expect(rows[1]?.repeat).toEqual(repeat);
      });

      it("filters recent repeats by channel, customer and recipe, and returns at most the limit", async () => {
        const { store } = await fresh();
        const a = await store.createRepeat(
          repeatOf({ channel: "C1", customer: "Acme (1)", recipeId: 1 }),
          ["x"],
          T0,
        );
        const b = await store.createRepeat(
          repeatOf({ channel: "C1", customer: "Beta (2)", recipeId: 1 }),
          ["x"],
          T0,
        );
        const c = await store.createRepeat(
          repeatOf({ channel: "C2", customer: "Acme (1)", recipeId: 2 }),
          ["x"],
          T0,
        );
        const ids = async (filter: {
          channel?: string;
          customer?: string;
          recipeId?: number;
          limit: number;
        }) => (await store.recentRepeats(filter)).map((row) => row.repeat.id);
        expect(await ids({ channel: "C1", limit: 10 })).toEqual([b.id, a.id]);
        expect(await ids({ customer: "Acme (1)", limit: 10 })).toEqual([c.id, a.id]);
        expect(await ids({ recipeId: 1, limit: 10 })).toEqual([b.id, a.id]);
        expect(await ids({ channel: "C1", customer: "Acme (1)", recipeId: 1, limit: 10 })).toEqual([a.id]);
        expect(await ids({ channel: "C3", limit: 10 })).toEqual([]);
        expect(await ids({ limit: 2 })).toEqual([c.id, b.id]);
      });
    });

    describe("claims", () => {
      it("gives a button to the first who claims it, and tells the second who has it", async () => {
        const { store } = await fresh();
        expect(await store.claim("repeat:C1:123", "U_ANNA", T0)).toEqual({ ok: true });
        expect(await store.claim("repeat:C1:123", "U_BEN", T0 + 1)).toEqual({
          ok: false,
          claimedBy: "U_ANNA",
        });
        expect(await store.claim("repeat:C1:123", "U_ANNA", T0 + 2)).toEqual({
          ok: false,
          claimedBy: "U_ANNA",
        });
        expect(await store.claim("repeat:C1:456", "U_BEN", T0 + 3)).toEqual({ ok: true });
      });

      it("lets anyone claim a released key again", async () => {
        const { store } = await fresh();
        await store.claim("k", "U_ANNA", T0);
        await store.release("k");
        expect(await store.claim("k", "U_BEN", T0 + 1)).toEqual({ ok: true });
        await store.release("never-claimed");
      });

      it("forgets claims taken before a time, and keeps the rest", async () => {
        const { store } = await fresh();
        await store.claim("old", "U_ANNA", T0);
        await store.claim("edge", "U_ANNA", T0 + MINUTE);
        await store.claim("new", "U_ANNA", T0 + 2 * MINUTE);
        await store.forgetClaimsBefore(T0 + MINUTE);
        expect(await store.claim("old", "U_BEN", T0 + 3 * MINUTE)).toEqual({ ok: true });
        expect(await store.claim("edge", "U_BEN", T0 + 3 * MINUTE)).toEqual({
          ok: false,
          claimedBy: "U_ANNA",
        });
        expect(await store.claim("new", "U_BEN", T0 + 3 * MINUTE)).toEqual({
          ok: false,
          claimedBy: "U_ANNA",
        });
      });

      it("lets exactly one of two processes on the same storage take a key both claim at once", async () => {
        const { store, storage } = await fresh();
        const other = await openOn(storage);
        const answers = await Promise.all([
          store.claim("double-click", "U_ANNA", T0),
          other.claim("double-click", "U_BEN", T0),
        ]);
        expect(answers.filter((answer) => answer.ok)).toHaveLength(1);
        const loser = answers.find((answer) => !answer.ok);
        const winner = answers[0]?.ok ? "U_ANNA" : "U_BEN";
        expect(loser).toEqual({ ok: false, claimedBy: winner });
      });
    });

    describe("watches", () => {
      it("creates a watch that has not been polled yet", async () => {
        const { store } = await fresh();
        const watch = await store.upsertWatch(watchOf({}), T0);
        expect(watch).toEqual(unpolledWatch({ id: expect.any(Number), ...watchOf({}), createdAt: T0 }));
        expect(await store.watch(watch.id)).toEqual(watch);
      });

      it("keeps a watch's runbook when it is watched again without one, and replaces or clears it when told", async () => {
        const { store } = await fresh();
        const runbook = "https://wiki.example.com/runbooks/salesforce-sync";
        const first = await store.upsertWatch({ ...watchOf({}), runbookUrl: runbook }, T0);
        expect(first.runbookUrl).toBe(runbook);
        const again = await store.upsertWatch(watchOf({ mentions: ["<@U_BEN>"] }), T0 + MINUTE);
        expect(again).toMatchObject({ id: first.id, runbookUrl: runbook, mentions: ["<@U_BEN>"] });
        const other = "https://wiki.example.com/runbooks/v2";
        expect((await store.upsertWatch({ ...watchOf({}), runbookUrl: other }, T0)).runbookUrl).toBe(other);
        const cleared = await store.upsertWatch({ ...watchOf({}), runbookUrl: null }, T0);
        expect(cleared.runbookUrl).toBeNull();
        expect((await store.watch(first.id))?.runbookUrl).toBeNull();
      });

      it("watching the same recipe in the same channel again replaces the mentions and resumes a paused watch", async () => {
        const { store } = await fresh();
        const first = await store.upsertWatch(watchOf({ mentions: ["<@U_ANNA>"] }), T0);
        await store.updateWatchPoll(first.id, {
          cursorJobId: "j9",
          consecutiveAuthFailures: 3,
          pausedReason: "Workato says the API key is not valid",
        });
        const again = await store.upsertWatch(
          watchOf({ mentions: ["<!subteam^S1>", "<@U_BEN>"] }),
          T0 + MINUTE,
        );
        expect(again).toEqual({
          ...first,
          mentions: ["<!subteam^S1>", "<@U_BEN>"],
          cursorJobId: "j9",
          consecutiveAuthFailures: 0,
          pausedReason: null,
        });
        expect(await store.watches()).toEqual([again]);
      });

      it("removes a watch by channel, customer and recipe, and says whether there was one", async () => {
        const { store } = await fresh();
        const kept = await store.upsertWatch(watchOf({ recipeId: 1 }), T0);
        const removed = await store.upsertWatch(watchOf({ recipeId: 2 }), T0);
        expect(await store.removeWatch("C_ONCALL", "Acme (1001)", 2)).toBe(true);
        expect(await store.removeWatch("C_ONCALL", "Acme (1001)", 2)).toBe(false);
        expect(await store.removeWatch("C_OTHER", "Acme (1001)", 1)).toBe(false);
        expect(await store.watch(removed.id)).toBeUndefined();
        expect(await store.watches()).toEqual([kept]);
      });

      it("lists every watch or one channel's, oldest first, and finds one by id", async () => {
        const { store } = await fresh();
        const a = await store.upsertWatch(watchOf({ channel: "C1", recipeId: 1 }), T0);
        const b = await store.upsertWatch(watchOf({ channel: "C2", recipeId: 1 }), T0 + 1);
        const c = await store.upsertWatch(watchOf({ channel: "C1", recipeId: 2 }), T0 + 2);
        expect(await store.watches()).toEqual([a, b, c]);
        expect(await store.watches({})).toEqual([a, b, c]);
        expect(await store.watches({ channel: "C1" })).toEqual([a, c]);
        expect(await store.watches({ channel: "C9" })).toEqual([]);
        expect(await store.watch(b.id)).toEqual(b);
        expect(await store.watch(c.id + 1000)).toBeUndefined();
      });

      it("records a poll's progress, changing only the fields given", async () => {
        const { store } = await fresh();
        const watch = await store.upsertWatch(watchOf({}), T0);
        await store.updateWatchPoll(watch.id, {
          cursorJobId: "j100",
          cursorStartedAt: "2025-03-03T09:00:00.000Z",
          lastPolledAt: T0 + MINUTE,
        });
        await store.updateWatchPoll(watch.id, { consecutiveAuthFailures: 2, pausedReason: "no access" });
        await store.updateWatchPoll(watch.id, {});
        expect(await store.watch(watch.id)).toEqual({
          ...watch,
          cursorJobId: "j100",
          cursorStartedAt: "2025-03-03T09:00:00.000Z",
          lastPolledAt: T0 + MINUTE,
          consecutiveAuthFailures: 2,
          pausedReason: "no access",
        });
        await store.updateWatchPoll(watch.id, { consecutiveAuthFailures: 0, pausedReason: null });
        const resumed = await store.watch(watch.id);
        expect(resumed?.pausedReason).toBeNull();
        expect(resumed?.consecutiveAuthFailures).toBe(0);
        expect(resumed?.cursorJobId).toBe("j100");
      });
    });

    describe("mutes", () => {
      it("mutes one kind of failure until a time; muting again sets the new time", async () => {
        const { store } = await fresh();
        const watch = await store.upsertWatch(watchOf({}), T0);
        expect(await store.mutedUntil(watch.id, "sig-a")).toBeNull();
        await store.setMute(watch.id, "sig-a", T0 + 60 * MINUTE);
        expect(await store.mutedUntil(watch.id, "sig-a")).toBe(T0 + 60 * MINUTE);
        expect(await store.mutedUntil(watch.id, "sig-b")).toBeNull();
        await store.setMute(watch.id, "sig-a", T0 + 10 * MINUTE);
        expect(await store.mutedUntil(watch.id, "sig-a")).toBe(T0 + 10 * MINUTE);
      });

      it("keeps who set each mute, and forgets it when a mute is set again without a name (an unmute)", async () => {
        const { store } = await fresh();
        const watch = await store.upsertWatch(watchOf({}), T0);
        expect(await store.mutedBy(watch.id, "sig-a")).toBeNull();
        await store.setMute(watch.id, "sig-a", T0 + 60 * MINUTE, "U0ALICE");
        await store.setMute(watch.id, "*", T0 + 30 * MINUTE, "U0BOB");
        expect(await store.mutedBy(watch.id, "sig-a")).toBe("U0ALICE");
        expect(await store.mutedBy(watch.id, "*")).toBe("U0BOB");
        await store.setMute(watch.id, "sig-a", T0);
        expect(await store.mutedBy(watch.id, "sig-a")).toBeNull();
        expect(await store.mutedUntil(watch.id, "sig-a")).toBe(T0);
      });

      it("lists a watch's mutes with their end times", async () => {
        const { store } = await fresh();
        const watch = await store.upsertWatch(watchOf({}), T0);
        await store.setMute(watch.id, "sig-b", T0 + 60 * MINUTE);
        await store.setMute(watch.id, "*", T0 + 30 * MINUTE);
        expect(await store.mutes(watch.id)).toEqual([
          { signature: "*", until: T0 + 30 * MINUTE },
          { signature: "sig-b", until: T0 + 60 * MINUTE },
        ]);
      });

      it('mutes a whole watch under "*", apart from its signatures and from other watches', async () => {
        const { store } = await fresh();
        const watch = await store.upsertWatch(watchOf({ recipeId: 1 }), T0);
        const other = await store.upsertWatch(watchOf({ recipeId: 2 }), T0);
        await store.setMute(watch.id, "*", T0 + 24 * 60 * MINUTE);
        expect(await store.mutedUntil(watch.id, "*")).toBe(T0 + 24 * 60 * MINUTE);
        expect(await store.mutedUntil(watch.id, "sig-a")).toBeNull();
        expect(await store.mutedUntil(other.id, "*")).toBeNull();
      });

      it("forgets a watch's mutes and alert threads when the watch is removed, so watching again starts clean", async () => {
        const { store } = await fresh();
        const watch = await store.upsertWatch(watchOf({}), T0);
        await store.setMute(watch.id, "*", T0 + MINUTE);
        await store.saveAlertThread(threadOf(watch.id, "sig-a"));
        await store.removeWatch(watch.channel, watch.customer, watch.recipeId);
        const again = await store.upsertWatch(watchOf({}), T0 + 2 * MINUTE);
        expect(await store.mutedUntil(again.id, "*")).toBeNull();
        expect(await store.alertThread(again.id, "sig-a")).toBeUndefined();
        expect(await store.mutedUntil(watch.id, "*")).toBeNull();
        expect(await store.alertThread(watch.id, "sig-a")).toBeUndefined();
      });
    });

    describe("alert threads", () => {
      it("saves an alert's thread and finds it by watch and signature", async () => {
        const { store } = await fresh();
        const watch = await store.upsertWatch(watchOf({}), T0);
        const thread = threadOf(watch.id, "sig-a");
        await store.saveAlertThread(thread);
        expect(await store.alertThread(watch.id, "sig-a")).toEqual(thread);
        expect(await store.alertThread(watch.id, "sig-b")).toBeUndefined();
      });

      it("updates a thread in place as more failures of its kind arrive", async () => {
        const { store } = await fresh();
        const watch = await store.upsertWatch(watchOf({}), T0);
        await store.saveAlertThread(threadOf(watch.id, "sig-a"));
        await store.saveAlertThread(threadOf(watch.id, "sig-b"));
        const grown = {
          ...threadOf(watch.id, "sig-a"),
          lastSeenAt: T0 + 5 * MINUTE,
          count: 3,
          jobIds: ["j1", "j2", "j3"],
        };
        await store.saveAlertThread(grown);
        expect(await store.alertThread(watch.id, "sig-a")).toEqual(grown);
        expect(await store.alertThread(watch.id, "sig-b")).toEqual(threadOf(watch.id, "sig-b"));
      });

      it("keeps what a redraw needs after a restart: first line, jobs with follow-ups marked, mention, resolution", async () => {
        const { store, storage } = await fresh();
        const watch = await store.upsertWatch(watchOf({}), T0);
        const thread: AlertThreadRecord = {
          ...threadOf(watch.id, "sig-a"),
          jobs: [
            { id: "j1", masterJobId: "j1", startedAt: null },
            { id: "j2", masterJobId: "j0", startedAt: "2025-03-03T09:01:00.000Z", followUp: true },
          ],
          mentioned: true,
          resolvedAt: T0 + 2 * MINUTE,
        };
        await store.saveAlertThread(thread);
        const restarted = await restart(store, storage);
        expect(await restarted.alertThread(watch.id, "sig-a")).toEqual(thread);
      });

      it("lists a watch's threads, or the unresolved ones seen since a time across watches, oldest first", async () => {
        const { store } = await fresh();
        const one = await store.upsertWatch(watchOf({}), T0);
        const two = await store.upsertWatch(watchOf({ recipeId: 999 }), T0);
        const old = { ...threadOf(one.id, "sig-a"), lastSeenAt: T0 - 60 * MINUTE };
        const resolved = { ...threadOf(one.id, "sig-b"), resolvedAt: T0 + MINUTE };
        const open = { ...threadOf(two.id, "sig-c"), firstSeenAt: T0 + MINUTE };
        for (const thread of [old, resolved, open]) await store.saveAlertThread(thread);
        expect(await store.alertThreads({ watchId: one.id })).toEqual([old, resolved]);
        expect(await store.alertThreads({ unresolvedSince: T0 - MINUTE })).toEqual([open]);
        expect(await store.alertThreads({ watchId: one.id, unresolvedSince: T0 - 120 * MINUTE })).toEqual([
          old,
        ]);
      });
    });

    describe("after a restart", () => {
      it("still has a repeat recorded before anything was sent, unfinished with its jobs waiting", async () => {
        const { store, storage } = await fresh();
        const repeat = await store.createRepeat(repeatOf(), ["j1", "j2"], T0);
        const restarted = await restart(store, storage);
        expect(await restarted.unfinishedRepeats()).toEqual([repeat]);
        expect((await restarted.repeatJobs(repeat.id)).map((job) => [job.jobId, job.status])).toEqual([
          ["j1", { state: "waiting" }],
          ["j2", { state: "waiting" }],
        ]);
      });

      it("still knows which jobs were in flight, in which batch and since when, so they are reconciled, not resent", async () => {
        const { store, storage } = await fresh();
        const repeat = await store.createRepeat(repeatOf(), ["j1", "j2", "j3"], T0);
        await store.markInFlight([{ repeatId: repeat.id, jobId: "j1" }], T0 + 1000);
        await store.recordResults(repeat.id, [{ jobId: "j1", outcome: "enqueued", newJobId: "n1" }], 1);
        const batchId = await store.markInFlight([{ repeatId: repeat.id, jobId: "j2" }], T0 + 2000);
        const restarted = await restart(store, storage);
        expect((await restarted.repeatJobs(repeat.id)).map((job) => job.status)).toEqual([
          { state: "done", result: { jobId: "j1", outcome: "enqueued", newJobId: "n1" } },
          { state: "in_flight", batchId, sentAt: T0 + 2000 },
          { state: "waiting" },
        ]);
        expect(await restarted.batchesReported(repeat.id)).toBe(1);
        expect(await restarted.unpostedResults(repeat.id)).toEqual([
          { jobId: "j1", outcome: "enqueued", newJobId: "n1" },
        ]);
        // A later batch gets a new id, so it is never mistaken for the one in flight before the restart.
        const next = await restarted.markInFlight([{ repeatId: repeat.id, jobId: "j3" }], T0 + 3000);
        expect(next).not.toBe(batchId);
      });

      it("still has its claims, watches, cursors, mutes and alert threads", async () => {
        const { store, storage } = await fresh();
        await store.claim("k", "U_ANNA", T0);
        const watch = await store.upsertWatch(watchOf({}), T0);
        await store.updateWatchPoll(watch.id, { cursorJobId: "j7", lastPolledAt: T0 + MINUTE });
        await store.setMute(watch.id, "sig-a", T0 + 60 * MINUTE);
        await store.saveAlertThread(threadOf(watch.id, "sig-a"));
        const restarted = await restart(store, storage);
        expect(await restarted.claim("k", "U_BEN", T0 + 1)).toEqual({ ok: false, claimedBy: "U_ANNA" });
        expect(await restarted.watch(watch.id)).toEqual({
          ...watch,
          cursorJobId: "j7",
          lastPolledAt: T0 + MINUTE,
        });
        expect(await restarted.mutedUntil(watch.id, "sig-a")).toBe(T0 + 60 * MINUTE);
        expect(await restarted.alertThread(watch.id, "sig-a")).toEqual(threadOf(watch.id, "sig-a"));
      });
    });
  });
}

function threadOf(watchId: number, signature: string): AlertThreadRecord {
  return {
    watchId,
    signature,
    channel: "C_ONCALL",
    ts: `1741000000.00${signature.length}`,
    firstSeenAt: T0,
    lastSeenAt: T0 + MINUTE,
    count: 1,
    jobIds: ["j1"],
    firstLine: "NetSuite: Upsert customer failed",
    jobs: [{ id: "j1", masterJobId: "j1", startedAt: "2025-03-03T09:00:00.000Z" }],
    mentioned: false,
    resolvedAt: null,
  };
}
