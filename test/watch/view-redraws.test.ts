// Redraws of posted alerts under Slack's chat.update limit (the fake Slack enforcing it over HTTP, the simulator,
// SQLite): every alert a change affects is redrawn, none lost to a 429, each with the newest state, alerts first.
import { describe, expect, it } from "vitest";
import type { RedrawReport } from "../../src/views/redrawer.js";
import {
  buttonLabels,
  CHANNEL,
  CUSTOMER,
  contentOf,
  RECIPE,
  watchHarnessPerTest,
} from "../support/watch-harness.js";

const setUp = watchHarnessPerTest();
const HOUR = 3_600_000;

describe("redraws under Slack's chat.update limit", () => {
  it("lose nothing to 429s, draw each alert once with the newest state, and draw alerts before thread replies", async () => {
    const drawn: RedrawReport[] = [];
    const harness = await setUp({
      poller: { redraw: { onDrawn: (report) => drawn.push(report), rateLimitPauseMs: 500 } },
    });
    // Six watched recipes, each with an alert and a reply in its thread.
    const watches: { watchId: number; recipeId: number; jobs: string[] }[] = [];
    for (let n = 0; n < 6; n++) {
      const recipeId = RECIPE + 1 + n;
      harness.sim.addRecipe(CUSTOMER, { id: recipeId, name: `Recipe ${n}` });
      const watch = harness.addWatch({ recipeId });
      expect(await harness.poller.pollOnce(watch.id)).toMatchObject({ kind: "cursor_set" });
      const jobs = harness.sim.addFailedJobs(CUSTOMER, recipeId, 1).map((job) => job.id);
      expect(await harness.poller.pollOnce(watch.id)).toMatchObject({ alerted: 1 });
      harness.clock.now += 60_000;
      jobs.push(...harness.sim.addFailedJobs(CUSTOMER, recipeId, 1).map((job) => job.id));
      expect(await harness.poller.pollOnce(watch.id)).toMatchObject({ followedUp: 1 });
      watches.push({ watchId: watch.id, recipeId, jobs });
    }
    const alerts = harness.slack.messages(CHANNEL);
    expect(alerts).toHaveLength(6);
    for (const { jobs } of watches)
      for (const id of jobs) harness.sim.repeatInWorkatoUi(id, { outcome: "succeeded", afterMs: 0 });
    // Past the lineage cache's 20 s, as the re-check round would be.
    harness.clock.now += 60_000;

    // Slack lets 2 updates through, then 1 a second: most of these 12 redraws meet a 429 first.
    harness.slack.enforceRateLimits({ update: { burst: 2, perSecond: 1 } });
    const updatesBefore = harness.slack.calls.filter((call) => call.method === "chat.update").length;
    for (const { recipeId, jobs } of watches)
      harness.poller.views.changed({
        kind: "jobs",
        customer: String(CUSTOMER),
        recipeId,
        masterJobIds: jobs,
      });
    // A newer change while those wait: every watch muted. What is drawn must show it.
    for (const { watchId } of watches) {
      await harness.asyncStore.setMute(watchId, "*", harness.clock.now + 24 * HOUR);
      harness.poller.views.changed({ kind: "watch", watchId });
    }
    await harness.poller.views.idle();

    expect(harness.slack.rateLimitedCount("chat.update")).toBeGreaterThan(0);
    for (const alert of alerts) {
      const now = harness.slack.message(CHANNEL, alert.ts);
      expect(contentOf(now)).toContain("Resolved");
      expect(contentOf(now)).toContain("Muted until");
      expect(buttonLabels(now).filter((label) => label.startsWith("Repeat"))).toEqual([]);
      const reply = harness.slack.thread(CHANNEL, alert.ts)[0];
      expect(contentOf(harness.slack.message(CHANNEL, reply?.ts ?? ""))).toContain("1 job fixed");
      expect(buttonLabels(harness.slack.message(CHANNEL, reply?.ts ?? ""))).not.toContain("Repeat 1 failed");
    }
    const redrawn = drawn.filter((report) => report.result === "redrawn");
    // Coalesced: each of the 12 views drawn once, both changes in one draw.
    expect(redrawn).toHaveLength(12);
    expect(new Set(redrawn.map((report) => report.view.ts)).size).toBe(12);
    const updates =
      harness.slack.calls.filter((call) => call.method === "chat.update").length - updatesBefore;
    expect(updates - harness.slack.rateLimitedCount("chat.update")).toBe(12);
    // The alerts in the channel went before the replies in their threads.
    const startedOf = (kind: string) =>
      redrawn.filter((report) => report.view.shows.kind === kind).map((report) => report.started);
    expect(Math.max(...startedOf("alert"))).toBeLessThan(Math.min(...startedOf("alert_follow_up")));
  });
});
