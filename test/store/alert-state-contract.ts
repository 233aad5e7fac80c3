// The on-call part of the Store contract (who has an alert, hand resolutions, escalation steps), run against every
// Store: what two replicas clicking at once, or a restart, must not get wrong.
import { describe, expect, it } from "vitest";
import type { StoreStorage } from "./store-contract.js";
import { storesPerTest } from "./stores-per-test.js";

const T0 = Date.UTC(2025, 2, 3, 9, 0, 0);
const ALERT = { channel: "C_ONCALL", ts: "1741000000.000100", watchId: 7 };
const JOBS = { customer: "1001", recipeId: 28904, masterJobIds: ["j1", "j2"] };

export function describeAlertStateContract(
  name: string,
  newStorage: () => StoreStorage | Promise<StoreStorage>,
): void {
  describe(`${name} (on-call contract)`, () => {
    const { fresh, another } = storesPerTest(newStorage);

    it("gives an alert to the first who takes it and tells the second who has it", async () => {
      const { store } = await fresh();
      expect(await store.alertState(ALERT.channel, ALERT.ts)).toBeUndefined();
      const [first, second] = await Promise.all([
        store.takeAlert(ALERT, "U_BOB", T0, null),
        store.takeAlert(ALERT, "U_ANNA", T0 + 1, null),
      ]);
      expect([first, second]).toEqual([{ ok: true }, { ok: false, takenBy: "U_BOB" }]);
      expect(await store.alertState(ALERT.channel, ALERT.ts)).toMatchObject({
        ...ALERT,
        takenBy: "U_BOB",
        takenAt: T0,
        resolvedBy: null,
        escalatedSteps: 0,
      });
    });

    it("takes over only from whoever still has it, and lets only the holder release it", async () => {
      const { store } = await fresh();
      await store.takeAlert(ALERT, "U_BOB", T0, null);
      expect(await store.takeAlert(ALERT, "U_ANNA", T0 + 5, "U_BOB")).toEqual({ ok: true });
      // A second take-over from the same stale dialog finds Anna, not Bob.
      expect(await store.takeAlert(ALERT, "U_CARL", T0 + 6, "U_BOB")).toEqual({
        ok: false,
        takenBy: "U_ANNA",
      });
      expect(await store.releaseAlert(ALERT.channel, ALERT.ts, "U_BOB")).toBe(false);
      expect(await store.releaseAlert(ALERT.channel, ALERT.ts, "U_ANNA")).toBe(true);
      expect(await store.alertState(ALERT.channel, ALERT.ts)).toMatchObject({ takenBy: null, takenAt: null });
    });

    it("resolves by hand once, marks the alert's jobs handled for their recipe, and reopening undoes both", async () => {
      const { store, storage } = await fresh();
      const resolution = { userId: "U_BOB", reason: "fixed at the source", at: T0 };
      expect(await store.resolveAlert(ALERT, resolution, JOBS)).toBe(true);
      expect(await store.resolveAlert(ALERT, { ...resolution, userId: "U_ANNA" }, JOBS)).toBe(false);
      expect(await store.handResolvedJobs("1001", 28904, ["j2", "j3"])).toEqual(["j2"]);
      expect(await store.handResolvedJobs("1001", 99, ["j1"])).toEqual([]);
      const restarted = await another(storage);
      expect(await restarted.alertState(ALERT.channel, ALERT.ts)).toMatchObject({
        resolvedBy: "U_BOB",
        resolvedAt: T0,
        resolvedReason: "fixed at the source",
      });
      expect(await restarted.reopenAlert(ALERT.channel, ALERT.ts)).toBe(true);
      expect(await restarted.reopenAlert(ALERT.channel, ALERT.ts)).toBe(false);
      expect(await restarted.handResolvedJobs("1001", 28904, ["j1", "j2"])).toEqual([]);
      expect(await restarted.alertState(ALERT.channel, ALERT.ts)).toMatchObject({ resolvedBy: null });
    });

    it("records each escalation step once, in order", async () => {
      const { store } = await fresh();
      const steps = [{ mentions: ["<@U_SEC>"], afterMs: 15 * 60_000 }];
      await store.setEscalation(ALERT.watchId, steps);
      expect(await store.escalationOf(ALERT.watchId)).toEqual(steps);
      expect(await store.escalationOf(ALERT.watchId + 1)).toEqual([]);
      expect(await store.markEscalated(ALERT, 2)).toBe(false);
      const [a, b] = await Promise.all([store.markEscalated(ALERT, 1), store.markEscalated(ALERT, 1)]);
      expect([a, b].filter(Boolean)).toHaveLength(1);
      expect(await store.markEscalated(ALERT, 2)).toBe(true);
      expect((await store.alertState(ALERT.channel, ALERT.ts))?.escalatedSteps).toBe(2);
      await store.setEscalation(ALERT.watchId, []);
      expect(await store.escalationOf(ALERT.watchId)).toEqual([]);
    });
  });
}
