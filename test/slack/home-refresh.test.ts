// Republishing App Home on changes: only for people who opened it in the last 10 minutes (on the one clock), many
// changes in a burst drawn in one round, and a store that says which writes change what Home shows.
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { manualClock } from "../../src/clock.js";
import {
  createHomeRefresher,
  HOME_RECENT_MS,
  noticingHomeChanges,
} from "../../src/slack/home/home-refresh.js";
import { asyncSqliteStore } from "../../src/store/async-sqlite.js";
import { openSqliteStore } from "../../src/store/sqlite-store.js";

const T0 = Date.UTC(2026, 2, 2, 9);
const silent = pino({ level: "silent" });

function refresherWithLog() {
  const clock = manualClock(T0);
  const published: string[] = [];
  const refresher = createHomeRefresher({
    clock,
    logger: silent,
    coalesceMs: 20,
    publishGapMs: 0,
    publish: async (userId) => {
      published.push(userId);
    },
  });
  return { clock, published, refresher };
}

describe("the App Home refresher", () => {
  it("republishes once for a burst of changes, for each person who opened Home in the last 10 minutes", async () => {
    const { clock, published, refresher } = refresherWithLog();
    refresher.opened("U0ALICE");
    clock.advance(HOME_RECENT_MS - 60_000);
    refresher.opened("U0BOB");
    for (let n = 0; n < 50; n++) refresher.changed();
    await refresher.settled();
    expect(published.sort()).toEqual(["U0ALICE", "U0BOB"]);

    // Alice opened Home more than 10 minutes ago now: only Bob is still looking.
    clock.advance(2 * 60_000);
    refresher.changed();
    await refresher.settled();
    expect(published.slice(2)).toEqual(["U0BOB"]);
    refresher.stop();
  });

  it("publishes nothing when nobody opened Home, and nothing after it stopped", async () => {
    const { published, refresher } = refresherWithLog();
    refresher.changed();
    await refresher.settled();
    expect(published).toEqual([]);
    refresher.opened("U0ALICE");
    refresher.stop();
    refresher.changed();
    await refresher.settled();
    expect(published).toEqual([]);
  });

  it("hears of the store writes Home shows (a mute, an alert, a watch pausing), not of a watch's routine poll", async () => {
    let changes = 0;
    const store = noticingHomeChanges(asyncSqliteStore(openSqliteStore(":memory:")), () => changes++);
    const watch = await store.upsertWatch(
      { channel: "C0ONCALL", customer: "23456", recipeId: 28904, mentions: [], createdBy: "U0ALICE" },
      T0,
    );
    expect(changes).toBe(1);
    await store.updateWatchPoll(watch.id, { lastPolledAt: T0, cursorJobId: "j1" });
    expect(changes).toBe(1);
    await store.updateWatchPoll(watch.id, { pausedReason: "Workato answered 401" });
    await store.setMute(watch.id, "*", T0 + 3_600_000);
    expect(changes).toBe(3);
    // Reads pass through untouched.
    expect(await store.mutedUntil(watch.id, "*")).toBe(T0 + 3_600_000);
    await store.close();
  });
});
