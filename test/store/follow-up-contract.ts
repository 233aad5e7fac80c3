// The follow-up part of the Store contract (what became of the jobs a repeat enqueued), run against every Store.
import { afterEach, describe, expect, it } from "vitest";
import type { AnyStore, StoreStorage } from "./store-contract.js";

const T0 = Date.UTC(2025, 2, 3, 9, 0, 0);
const repeat = {
  userId: "U_ASKER",
  channel: "C1",
  threadTs: "1.1",
  customer: "Acme (1001)",
  recipeId: 28904,
};

export function describeFollowUpContract(
  name: string,
  newStorage: () => StoreStorage | Promise<StoreStorage>,
): void {
  describe(`${name} (follow-up contract)`, () => {
    const open: AnyStore[] = [];
    afterEach(async () => {
      for (const store of open.splice(0)) await store.close();
    });

    /** A store with one repeat of j1, j2, j3 sent at T0 + 1000: j1 and j2 enqueued, j3 failed. */
    async function repeated(): Promise<{ store: AnyStore; repeatId: number }> {
      const store = await (await newStorage()).open();
      open.push(store);
      const record = await store.createRepeat(repeat, ["j1", "j2", "j3"], T0);
      await store.markInFlight(
        ["j1", "j2", "j3"].map((jobId) => ({ repeatId: record.id, jobId })),
        T0 + 1000,
      );
      await store.recordResults(
        record.id,
        [
          { jobId: "j1", outcome: "enqueued", newJobId: "n1" },
          { jobId: "j2", outcome: "enqueued", newJobId: "n2" },
          { jobId: "j3", outcome: "failed", typeId: null, message: "no" },
        ],
        1,
      );
      return { store, repeatId: record.id };
    }

    it("follows the jobs a repeat enqueued from its first send, once however often it is started", async () => {
      const { store, repeatId } = await repeated();
      expect(await store.startFollowUp(repeatId + 1000, T0)).toBeUndefined();
      const started = await store.startFollowUp(repeatId, T0 + 5000);
      await store.startFollowUp(repeatId, T0 + 9000);
      expect(started).toMatchObject({
        repeat: { id: repeatId, ...repeat, createdAt: T0, finishedAt: null },
        startedAt: T0 + 1000,
        finishedAt: null,
        finishReason: null,
        reportedCounts: null,
        counts: { succeeded: 0, failed: 0, running: 2, total: 2 },
      });
      expect(await store.followUpOf(repeatId)).toEqual(started);
      expect(
        (await store.followedJobs(repeatId)).map((job) => [job.masterJobId, job.newJobId, job.state]),
      ).toEqual([
        ["j1", "n1", "running"],
        ["j2", "n2", "running"],
      ]);
    });

    it("records outcomes and what was reported, and finishes the follow-up once", async () => {
      const { store, repeatId } = await repeated();
      await store.startFollowUp(repeatId, T0);
      await store.recordFollowedOutcomes(repeatId, [
        { newJobId: "n1", state: "succeeded", error: null, completedAt: T0 + 3000, settledAt: T0 + 4000 },
        { newJobId: "n2", state: "failed", error: "Timeout", completedAt: T0 + 3500, settledAt: T0 + 4000 },
      ]);
      await store.markFailedAgainReported(repeatId, ["n2"]);
      const counts = { succeeded: 1, failed: 1, running: 0, total: 2 };
      await store.saveReportedCounts(repeatId, counts);
      expect(await store.followedJobs(repeatId)).toEqual([
        {
          repeatId,
          masterJobId: "j1",
          newJobId: "n1",
          sentAt: T0 + 1000,
          state: "succeeded",
          error: null,
          completedAt: T0 + 3000,
          settledAt: T0 + 4000,
          reported: false,
        },
        {
          repeatId,
          masterJobId: "j2",
          newJobId: "n2",
          sentAt: T0 + 1000,
          state: "failed",
          error: "Timeout",
          completedAt: T0 + 3500,
          settledAt: T0 + 4000,
          reported: true,
        },
      ]);
      expect((await store.unfinishedFollowUps()).map((followUp) => followUp.repeat.id)).toEqual([repeatId]);
      await store.finishFollowUp(repeatId, T0 + 5000, "settled");
      await store.finishFollowUp(repeatId, T0 + 9000, "time_limit");
      expect(await store.followUpOf(repeatId)).toMatchObject({
        finishedAt: T0 + 5000,
        finishReason: "settled",
        reportedCounts: counts,
        counts,
      });
      expect(await store.unfinishedFollowUps()).toEqual([]);
    });

    it("finds the bot's own repeats of master jobs, with what the follow-up learnt", async () => {
      const { store, repeatId } = await repeated();
      expect(await store.botRepeatsOf(repeat.customer, repeat.recipeId, [])).toEqual([]);
      const unfollowed = await store.botRepeatsOf(repeat.customer, repeat.recipeId, ["j1", "j3", "j9"]);
      expect(unfollowed).toEqual([
        {
          masterJobId: "j1",
          newJobId: "n1",
          repeatId,
          requestedBy: "U_ASKER",
          sentAt: T0 + 1000,
          followed: null,
        },
      ]);
      await store.startFollowUp(repeatId, T0);
      await store.recordFollowedOutcomes(repeatId, [
        { newJobId: "n1", state: "failed", error: "Timeout", completedAt: T0 + 3000, settledAt: T0 + 4000 },
      ]);
      const [followed] = await store.botRepeatsOf(repeat.customer, repeat.recipeId, ["j1"]);
      expect(followed?.followed).toEqual({ state: "failed", error: "Timeout", completedAt: T0 + 3000 });
      expect(await store.botRepeatsOf("Other (2)", repeat.recipeId, ["j1"])).toEqual([]);
    });

    it("tells which master jobs Workato refused to repeat, with its type id and message, per recipe", async () => {
      const { store } = await repeated();
      expect(await store.refusedRepeatsOf(repeat.customer, repeat.recipeId, [])).toEqual([]);
      expect(await store.refusedRepeatsOf(repeat.customer, repeat.recipeId, ["j1", "j3", "j9"])).toEqual([
        { masterJobId: "j3", typeId: null, message: "no" },
      ]);
      expect(await store.refusedRepeatsOf("Other (2)", repeat.recipeId, ["j3"])).toEqual([]);
      expect(await store.refusedRepeatsOf(repeat.customer, repeat.recipeId + 1, ["j3"])).toEqual([]);
    });

    it("remembers the repeat's summary message, so its follow-up edits that one in place", async () => {
      const { store, repeatId } = await repeated();
      expect(await store.summaryTsOf(repeatId)).toBeNull();
      await store.saveSummaryTs(repeatId, "1700000000.000100");
      expect(await store.summaryTsOf(repeatId)).toBe("1700000000.000100");
      // A resumed repeat posts its summary again: the newer message is the one to edit.
      await store.saveSummaryTs(repeatId, "1700000000.000200");
      expect(await store.summaryTsOf(repeatId)).toBe("1700000000.000200");
      expect(await store.summaryTsOf(repeatId + 1000)).toBeNull();
    });
  });
}
