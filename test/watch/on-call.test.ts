// On call on the one clock (simulator over HTTP, fake Slack, SQLite, the poller's own clock moved by hand): the
// next in line is mentioned in the alert's thread once each step's time has passed, once per step across pollers and
// restarts, and never for an alert someone took, muted or resolved; a taken alert's follow-ups mention its holder.
import { describe, expect, it } from "vitest";
import {
  ALICE,
  buttonLabels,
  CHANNEL,
  CUSTOMER,
  contentOf,
  watchHarnessPerTest,
} from "../support/watch-harness.js";

const setUp = watchHarnessPerTest();
const MINUTE = 60_000;
const STEPS = [
  { mentions: ["<@U0SECOND>"], afterMs: 15 * MINUTE },
  { mentions: ["<!subteam^S0LEADS>"], afterMs: 60 * MINUTE },
];

describe("escalation", () => {
  it("mentions the next in line once each step is due, once per step, whichever poller and after a restart", async () => {
    const harness = await setUp();
    const watch = harness.addWatch({ mentions: ["<@U0PRIMARY>"] });
    await harness.poller.pollOnce(watch.id);
    harness.store.setEscalation(watch.id, STEPS);
    harness.sim.addFailedJobs(CUSTOMER, watch.recipeId, 1);
    expect(await harness.poller.pollOnce(watch.id)).toMatchObject({ alerted: 1 });
    const alert = harness.slack.messages(CHANNEL)[0];
    if (!alert) throw new Error("no alert");

    harness.clock.now += 14 * MINUTE;
    expect(await harness.poller.escalateOnce()).toEqual({ checked: 1, escalated: 0 });
    expect(harness.slack.thread(CHANNEL, alert.ts)).toEqual([]);

    harness.clock.now += MINUTE;
    expect(await harness.poller.escalateOnce()).toEqual({ checked: 1, escalated: 1 });
    const [reply] = harness.slack.thread(CHANNEL, alert.ts);
    expect(reply?.text).toContain("<@U0SECOND>");
    expect(reply?.text).not.toContain("U0PRIMARY");
    expect(contentOf(harness.slack.message(CHANNEL, alert.ts))).toContain("escalated to <@U0SECOND>");
    // A second replica's poller, and this one again: the step is called already.
    expect(await harness.newPoller().escalateOnce()).toMatchObject({ escalated: 0 });
    expect(await harness.poller.escalateOnce()).toMatchObject({ escalated: 0 });

    harness.restart();
    harness.clock.now += 45 * MINUTE;
    expect(await harness.poller.escalateOnce()).toEqual({ checked: 1, escalated: 1 });
    const replies = harness.slack.thread(CHANNEL, alert.ts);
    expect(replies).toHaveLength(2);
    expect(replies[1]?.text).toContain("<!subteam^S0LEADS>");
    expect(contentOf(harness.slack.message(CHANNEL, alert.ts))).toContain("escalated to <!subteam^S0LEADS>");
    harness.clock.now += 60 * MINUTE;
    expect(await harness.poller.escalateOnce()).toMatchObject({ escalated: 0 });
    expect(harness.slack.thread(CHANNEL, alert.ts)).toHaveLength(2);
  });

  it("never escalates an alert someone took, muted or resolved, and a released one escalates again", async () => {
    const harness = await setUp();
    const channels = { taken: "C0TAKEN", muted: "C0MUTED", resolved: "C0RESOLVED" };
    const watches = Object.fromEntries(
      Object.entries(channels).map(([name, channel]) => [name, harness.addWatch({ channel })]),
    );
    for (const watch of Object.values(watches)) {
      await harness.poller.pollOnce(watch.id);
      harness.store.setEscalation(watch.id, STEPS.slice(0, 1));
    }
    harness.sim.addFailedJobs(CUSTOMER, watches.taken?.recipeId ?? 0, 1);
    const alertIn: Record<string, string> = {};
    for (const [name, watch] of Object.entries(watches)) {
      expect(await harness.poller.pollOnce(watch.id)).toMatchObject({ alerted: 1 });
      alertIn[name] = harness.slack.messages(watch.channel)[0]?.ts ?? "";
    }
    const key = (name: keyof typeof channels) => ({
      channel: channels[name],
      ts: alertIn[name] ?? "",
      watchId: watches[name]?.id ?? 0,
    });
    harness.store.takeAlert(key("taken"), ALICE, harness.clock.now, null);
    harness.store.setMute(key("muted").watchId, "*", harness.clock.now + 120 * MINUTE);
    harness.store.resolveAlert(
      key("resolved"),
      { userId: ALICE, reason: "won't fix", at: harness.clock.now },
      { customer: String(CUSTOMER), recipeId: watches.resolved?.recipeId ?? 0, masterJobIds: [] },
    );

    harness.clock.now += 20 * MINUTE;
    expect(await harness.poller.escalateOnce()).toMatchObject({ escalated: 0 });
    for (const name of Object.keys(channels) as (keyof typeof channels)[])
      expect(harness.slack.thread(channels[name], alertIn[name] ?? "")).toEqual([]);

    harness.store.releaseAlert(channels.taken, alertIn.taken ?? "", ALICE);
    expect(await harness.poller.escalateOnce()).toMatchObject({ escalated: 1 });
    expect(harness.slack.thread(channels.taken, alertIn.taken ?? "")[0]?.text).toContain("<@U0SECOND>");
  });
});

describe("a taken alert's follow-ups", () => {
  it("mention whoever has the alert, not the watch's people", async () => {
    const harness = await setUp();
    const watch = harness.addWatch({ mentions: ["<@U0PRIMARY>"] });
    await harness.poller.pollOnce(watch.id);
    harness.sim.addFailedJobs(CUSTOMER, watch.recipeId, 1);
    await harness.poller.pollOnce(watch.id);
    const alert = harness.slack.messages(CHANNEL)[0];
    if (!alert) throw new Error("no alert");
    harness.store.takeAlert(
      { channel: CHANNEL, ts: alert.ts, watchId: watch.id },
      ALICE,
      harness.clock.now,
      null,
    );

    harness.clock.now += MINUTE;
    harness.sim.addFailedJobs(CUSTOMER, watch.recipeId, 1);
    expect(await harness.poller.pollOnce(watch.id)).toMatchObject({ followedUp: 1 });
    const [followUp] = harness.slack.thread(CHANNEL, alert.ts);
    expect(followUp?.text).toMatch(/^:eyes: <@U0ALICE> is on it: 1 more failed job/);
    expect(contentOf(followUp)).not.toContain("U0PRIMARY");
    expect(contentOf(harness.slack.message(CHANNEL, alert.ts))).toContain("<@U0ALICE> is on it since");
  });
});

describe("a recipe-stopped alert", () => {
  it("escalates like a failure alert and is redrawn with its cause, Start recipe and who was called", async () => {
    const harness = await setUp();
    const watch = harness.addWatch({ mentions: ["<@U0PRIMARY>"] });
    await harness.poller.pollOnce(watch.id);
    harness.store.setEscalation(watch.id, STEPS.slice(0, 1));
    await harness.poller.scanOnce();
    harness.sim.stopRecipeByWorkato(CUSTOMER, watch.recipeId);
    expect(await harness.poller.scanOnce()).toMatchObject({ stoppedAlerts: 1 });
    const alert = harness.slack.messages(CHANNEL)[0];
    if (!alert) throw new Error("no alert");

    harness.clock.now += 15 * MINUTE;
    expect(await harness.poller.escalateOnce()).toEqual({ checked: 1, escalated: 1 });
    expect(harness.slack.thread(CHANNEL, alert.ts)[0]?.text).toContain("<@U0SECOND>");
    const redrawn = harness.slack.message(CHANNEL, alert.ts);
    expect(contentOf(redrawn)).toContain("its trigger kept failing");
    expect(contentOf(redrawn)).toContain("escalated to <@U0SECOND>");
    expect(buttonLabels(redrawn)).toEqual(["I'm on it", "Start recipe"]);
  });
});
