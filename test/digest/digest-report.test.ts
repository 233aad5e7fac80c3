// The daily digest's report, gathered from a real store: what people did with the alerts of the day (who is on one,
// who resolved one by hand and why, which escalated) stands beside each recipe's failures.
import { describe, expect, it } from "vitest";
import { buildDigestReport } from "../../src/digest/digest-report.js";
import { asyncSqliteStore } from "../../src/store/async-sqlite.js";
import { openSqliteStore } from "../../src/store/sqlite-store.js";

const T0 = Date.UTC(2026, 11, 7, 9);
const HOUR = 3_600_000;
const CHANNEL = "C0ONCALL";
const allowed = { canView: async () => ({ ok: true as const }) };

describe("the digest report", () => {
  it("tells who is on each recipe's alerts, who resolved one by hand and why, and how many escalated", async () => {
    const store = asyncSqliteStore(openSqliteStore(":memory:"));
    const watch = await store.upsertWatch(
      { channel: CHANNEL, customer: "23456", recipeId: 28904, mentions: [], createdBy: "U0ALICE" },
      T0 - 48 * HOUR,
    );
    const thread = (signature: string, ts: string, lastSeenAt: number) => ({
      watchId: watch.id,
      signature,
      channel: CHANNEL,
      ts,
      firstSeenAt: lastSeenAt,
      lastSeenAt,
      count: 1,
      jobIds: [`j-${signature}`],
      firstLine: "Timeout",
      jobs: [{ id: `j-${signature}`, masterJobId: `j-${signature}`, startedAt: null }],
      mentioned: false,
      resolvedAt: null,
    });
    await store.saveAlertThread(thread("aaaaaaaaaaaa", "1.1", T0 - 2 * HOUR));
    await store.saveAlertThread(thread("bbbbbbbbbbbb", "1.2", T0 - 3 * HOUR));
    // Seen last two days ago: not the digest's day, whatever was done with it.
    await store.saveAlertThread(thread("cccccccccccc", "1.3", T0 - 40 * HOUR));
    await store.takeAlert({ channel: CHANNEL, ts: "1.1", watchId: watch.id }, "U0BOB", T0 - HOUR, null);
    await store.markEscalated({ channel: CHANNEL, ts: "1.1", watchId: watch.id }, 1);
    await store.resolveAlert(
      { channel: CHANNEL, ts: "1.2", watchId: watch.id },
      { userId: "U0ANNA", reason: "fixed at the source", at: T0 - HOUR },
      { customer: "23456", recipeId: 28904, masterJobIds: ["j-bbbbbbbbbbbb"] },
    );
    await store.takeAlert({ channel: CHANNEL, ts: "1.3", watchId: watch.id }, "U0CARL", T0 - 39 * HOUR, null);

    const schedule = {
      channel: CHANNEL,
      timeOfDay: "09:00",
      timeZone: "UTC",
      setBy: "U0ALICE",
      setAt: T0 - 48 * HOUR,
      lastSentDay: null,
    };
    const report = await buildDigestReport({ store, access: allowed }, schedule, T0);
    expect(report.recipes.map((recipe) => recipe.onCall)).toEqual([
      {
        takenBy: ["U0BOB"],
        resolvedByHand: [{ userId: "U0ANNA", reason: "fixed at the source" }],
        escalated: 1,
      },
    ]);
    await store.close();
  });
});
