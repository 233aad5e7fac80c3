// The recipe-list scan never leaves a moved failed count to the sweep (simulator over HTTP, fake Slack, SQLite, the one
// clock): at its first round after a start, with no count to compare yet, a failure that came since a watch's last
// poll is alerted at once; and a poll it asked for that failed is asked for again once Workato answers.
import { describe, expect, it } from "vitest";
import {
  CHANNEL,
  CUSTOMER,
  contentOf,
  RECIPE,
  watchedWithCursor,
  watchHarnessPerTest,
} from "../support/watch-harness.js";

const setUp = watchHarnessPerTest();

const MINUTE = 60_000;

describe("the first recipe-list scan after a start", () => {
  it("alerts a failure that came after the watch's last poll but before the scan first read the list", async () => {
    const harness = await setUp();
    const watch = await watchedWithCursor(harness);
    harness.clock.now += 5 * MINUTE;
    const [failed] = harness.sim.addFailedJobs(CUSTOMER, RECIPE, 1, {
      startedAt: new Date(harness.clock.now),
    });

    // The bot restarts: the new poller has never read this recipe's failed count.
    const poller = harness.restart();
    expect(await poller.scanOnce()).toMatchObject({ toPoll: [watch.id] });
    const alerts = harness.slack.messages(CHANNEL);
    expect(alerts).toHaveLength(1);
    expect(contentOf(alerts[0])).toContain(failed?.id);
    // Seen once: the next round has a count to compare and nothing moved.
    expect(await poller.scanOnce()).toMatchObject({ toPoll: [] });
    expect(harness.slack.messages(CHANNEL)).toHaveLength(1);
  });

  it("polls nothing for a recipe whose last run came well before the watch's last poll", async () => {
    const harness = await setUp();
    harness.sim.addFailedJobs(CUSTOMER, RECIPE, 1, { startedAt: new Date(harness.clock.now) });
    harness.clock.now += 10 * MINUTE;
    await watchedWithCursor(harness);

    expect(await harness.restart().scanOnce()).toMatchObject({ toPoll: [] });
    expect(harness.slack.messages(CHANNEL)).toHaveLength(0);
  });
});

describe("a poll the recipe-list scan asked for that fails", () => {
  it("is asked for again at a later round (after a short wait), so the failure is alerted without the sweep", async () => {
    const harness = await setUp();
    const watch = await watchedWithCursor(harness);
    expect(await harness.poller.scanOnce()).toMatchObject({ toPoll: [] });
    const [failed] = harness.sim.addFailedJobs(CUSTOMER, RECIPE, 1);
    const removeFault = harness.sim.addFault({ endpoint: "list", effect: { type: "status", status: 503 } });
    expect(await harness.poller.scanOnce()).toMatchObject({ toPoll: [watch.id] });
    expect(harness.slack.messages(CHANNEL)).toHaveLength(0);

    // Workato answers again; the count has not moved since the last round, yet the poll is still owed.
    removeFault();
    expect(await harness.poller.scanOnce()).toMatchObject({ toPoll: [] });
    harness.clock.now += 5_000;
    expect(await harness.poller.scanOnce()).toMatchObject({ toPoll: [watch.id] });
    const alerts = harness.slack.messages(CHANNEL);
    expect(alerts).toHaveLength(1);
    expect(contentOf(alerts[0])).toContain(failed?.id);
    // Paid: the next round asks for nothing.
    expect(await harness.poller.scanOnce()).toMatchObject({ toPoll: [] });
  });
});
