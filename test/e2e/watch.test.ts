// End to end: watch a recipe from Slack, get an alert for a new failure, mute it from the alert, repeat from it.
import { describe, expect, it } from "vitest";
import { ALICE, CHANNEL, CUSTOMER, RECIPE } from "../../sim/app-harness.js";
import { listButtons } from "../../sim/fake-slack/index.js";
import { kindButtons, ON_CALL_BUTTONS } from "../support/alert-fixtures.js";
import { firstPolledWatch } from "../support/first-poll.js";
import { harnessPerTest } from "../support/harness-per-test.js";
import { watchedFromSlack } from "../support/watched-from-slack.js";

const start = harnessPerTest();

describe("watches", () => {
  it("alerts the channel about a new failure after /workato-jobs watch, and mutes it from the alert", async () => {
    const harness = await start({ env: { WATCH_INTERVAL_SECONDS: "3600" } });
    harness.sim.addFailedJobs(CUSTOMER, RECIPE, 2);
    await harness.send.slashCommand({
      text: `watch ${CUSTOMER} ${RECIPE} <@U0BOB|bob>`,
      user: ALICE,
      channel: CHANNEL,
    });
    const started = await harness.slack.waitFor(() => harness.slack.messages(CHANNEL)[0]);
    expect(started.text).toContain("is now watching");
    const watch = await firstPolledWatch(harness);

    const [fresh] = harness.sim.addFailedJobs(CUSTOMER, RECIPE, 1);
    expect(await harness.app.deps.poller.pollOnce(watch.id)).toMatchObject({ kind: "checked", alerted: 1 });
    const alert = await harness.slack.waitFor(() => harness.slack.messages(CHANNEL)[1]);
    expect(alert.text).toContain("<@U0BOB>");
    expect(JSON.stringify(alert.blocks)).toContain(fresh?.id);
    expect(listButtons(alert).map((b) => b.text)).toEqual([...ON_CALL_BUTTONS, ...kindButtons(1)]);

    await harness.send.click({
      channel: CHANNEL,
      messageTs: alert.ts,
      button: { text: "Mute 1h" },
      user: ALICE,
    });
    const muted = await harness.slack.waitFor(() => {
      const m = harness.slack.message(CHANNEL, alert.ts);
      return m && m.replaceCount > 0 ? m : undefined;
    });
    // Redrawn from the store: until when, and who muted it.
    expect(JSON.stringify(muted.blocks)).toContain("Muted until");
    expect(JSON.stringify(muted.blocks)).toContain("by <@U0ALICE>");

    await harness.send.slashCommand({ text: "watches", user: ALICE, channel: CHANNEL });
    const list = await harness.slack.waitFor(() => harness.slack.ephemerals(CHANNEL, ALICE.id)[0]);
    expect(list.text).toContain("1 watch in this channel");
  });

  it("repeats the still-failing job from an alert on a recipe with more repeats than the re-check pages, and not the one repeated since", async () => {
    const harness = await start({ env: { WATCH_INTERVAL_SECONDS: "3600" }, simulator: { pageSize: 2 } });
    // 50 old failures, each repeated once: 25 pages of repeats at 2 a page, more than the re-check reads unbounded.
    const now = Date.now();
    harness.sim.seedFailures({
      customer: CUSTOMER,
      recipeId: RECIPE,
      count: 50,
      from: new Date(now - 3 * 86_400_000),
      to: new Date(now - 2 * 86_400_000),
      repeated: { succeeded: 50 },
    });
    const watch = await watchedFromSlack(harness);

    const [newer, older] = harness.sim.addFailedJobs(CUSTOMER, RECIPE, 2);
    if (!newer || !older) throw new Error("no jobs");
    expect(await harness.app.deps.poller.pollOnce(watch.id)).toMatchObject({ kind: "checked", alerted: 1 });
    const alert = await harness.slack.waitFor(() => harness.slack.messages(CHANNEL)[1]);
    expect(listButtons(alert).map((b) => b.text)).toContain("Repeat 2 failed");
    // Handled in Workato after the alert was drawn: the click's re-check must find that repeat, and leave it out.
    harness.sim.repeatInWorkatoUi(older.id, { outcome: "succeeded", afterMs: 0 });
    const repeatsBefore = harness.sim.requests.filter((request) => request.endpoint === "repeat").length;

    await harness.send.click({
      channel: CHANNEL,
      messageTs: alert.ts,
      button: { text: "Repeat 2 failed" },
      user: ALICE,
    });
    const sent = await harness.slack.waitFor(() => {
      const repeats = harness.sim.requests.filter((request) => request.endpoint === "repeat");
      return repeats.length > repeatsBefore ? repeats : undefined;
    });
    expect(
      sent.slice(repeatsBefore).map((request) => (request.body as { job_ids: string[] }).job_ids),
    ).toEqual([[newer.id]]);
  });
});
