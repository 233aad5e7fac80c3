// The digest part of the Store contract (schedules, claiming a day once, the failure log, repeats by person), run
// against every Store.
import { describe, expect, it } from "vitest";
import type { StoreStorage } from "./store-contract.js";
import { storesPerTest } from "./stores-per-test.js";

const T0 = Date.UTC(2026, 2, 2, 9);
const schedule = {
  channel: "C_ONCALL",
  timeOfDay: "09:00",
  timeZone: "UTC",
  setBy: "U_ANNA",
  setAt: T0,
  lastSentDay: "2026-03-01",
};

export function describeDigestContract(
  name: string,
  newStorage: () => StoreStorage | Promise<StoreStorage>,
): void {
  describe(`${name} (digest contract)`, () => {
    const { fresh, restart } = storesPerTest(newStorage);

    it("keeps a channel's digest across a restart, replaces it, and removes it", async () => {
      const { store, storage } = await fresh();
      await store.saveDigest(schedule);
      await store.saveDigest({ ...schedule, timeOfDay: "17:30", timeZone: "Europe/Berlin" });
      const again = await restart(store, storage);
      expect(await again.digestOf("C_ONCALL")).toEqual({
        ...schedule,
        timeOfDay: "17:30",
        timeZone: "Europe/Berlin",
      });
      expect(await again.digests()).toHaveLength(1);
      expect(await again.removeDigest("C_ONCALL")).toBe(true);
      expect(await again.removeDigest("C_ONCALL")).toBe(false);
      expect(await again.digestOf("C_ONCALL")).toBeUndefined();
    });

    it("lets a day be claimed once, and never an earlier one after a later", async () => {
      const { store } = await fresh();
      await store.saveDigest(schedule);
      const claims = await Promise.all([
        store.claimDigestDay("C_ONCALL", "2026-03-02"),
        store.claimDigestDay("C_ONCALL", "2026-03-02"),
      ]);
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(await store.claimDigestDay("C_ONCALL", "2026-03-01")).toBe(false);
      expect(await store.claimDigestDay("C_ONCALL", "2026-03-03")).toBe(true);
      expect((await store.digestOf("C_ONCALL"))?.lastSentDay).toBe("2026-03-03");
      expect(await store.claimDigestDay("C_NONE", "2026-03-03")).toBe(false);
    });

    it("logs alerted failures once per job, reads them since a time, and forgets old ones", async () => {
      const { store } = await fresh();
      const watch = await store.upsertWatch(
        { channel: "C_ONCALL", customer: "Acme (1001)", recipeId: 28904, mentions: [], createdBy: "U_ANNA" },
        T0,
      );
      const failure = (jobId: string, seenAt: number) => ({
        watchId: watch.id,
        jobId,
        masterJobId: jobId,
        signature: "sig",
        firstLine: "Timeout",
        seenAt,
      });
      await store.recordWatchFailures([failure("j1", T0 - 30 * 3_600_000), failure("j2", T0 - 3_600_000)]);
      await store.recordWatchFailures([failure("j2", T0), failure("j3", T0)]);
      expect(
        (await store.watchFailuresSince([watch.id], T0 - 24 * 3_600_000)).map((f) => [f.jobId, f.seenAt]),
      ).toEqual([
        ["j2", T0 - 3_600_000],
        ["j3", T0],
      ]);
      expect(await store.watchFailuresSince([], 0)).toEqual([]);
      await store.forgetWatchFailuresBefore(T0 - 24 * 3_600_000);
      expect((await store.watchFailuresSince([watch.id], 0)).map((f) => f.jobId)).toEqual(["j2", "j3"]);
    });

    it("lists the recent repeats of one person", async () => {
      const { store } = await fresh();
      const repeat = { channel: "C_ONCALL", threadTs: "1.1", customer: "Acme (1001)", recipeId: 28904 };
      await store.createRepeat({ ...repeat, userId: "U_ANNA" }, ["j1"], T0);
      await store.createRepeat({ ...repeat, userId: "U_BEN" }, ["j2"], T0 + 1);
      const annas = await store.recentRepeats({ userId: "U_ANNA", limit: 10 });
      expect(annas.map((row) => row.repeat.userId)).toEqual(["U_ANNA"]);
    });
  });
}
