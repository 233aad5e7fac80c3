// The Start recipe and Unmute buttons of real alerts, clicked through a real Bolt app: signed requests in, the
// Workato simulator, the fake Slack and the store out; with and without the access policy's leave.
import { describe, expect, it } from "vitest";
import { listButtons } from "../../../sim/fake-slack/index.js";
import { DEFAULT_FAILURE_MESSAGE } from "../../../sim/workato-simulator/job-defaults.js";
import { parsePolicy } from "../../../src/access/policy.js";
import { onMute } from "../../../src/slack/watches/mute-actions.js";
import { onStartRecipe } from "../../../src/slack/watches/start-recipe-actions.js";
import { onUnmute } from "../../../src/slack/watches/unmute-actions.js";
import { errorSignature } from "../../../src/watch/error-signature.js";
import { watchButtonsAppPerTest } from "../../support/watch-buttons-app.js";
import { CHANNEL, CUSTOMER, RECIPE, type WatchHarness } from "../../support/watch-harness.js";

const SIGNING_SECRET = "test-signing-secret-stop";
const ALICE = "U0ALICE";
const BOB = "U0BOB";

/** Alice may repeat (and so start recipes) in the channel; Bob may only look. */
const POLICY = parsePolicy(
  JSON.stringify({ channels: { [CHANNEL]: { customers: [String(CUSTOMER)], repeaters: [ALICE] } } }),
  "policy.json",
);

const setUp = watchButtonsAppPerTest({
  signingSecret: SIGNING_SECRET,
  policy: POLICY,
  register: (app, deps) => {
    onMute(app, deps);
    onUnmute(app, deps);
    onStartRecipe(app, deps);
  },
});

async function stoppedAlert(harness: WatchHarness) {
  const watch = harness.addWatch();
  await harness.poller.pollOnce(watch.id);
  harness.sim.stopRecipeByWorkato(CUSTOMER, RECIPE);
  await harness.poller.scanOnce();
  const alert = harness.slack.messages(CHANNEL)[0];
  if (!alert) throw new Error("no stopped alert");
  return { watch, alert };
}

describe("Start recipe on a recipe-stopped alert", () => {
  it("starts it for someone who may repeat there, posts Workato's answer in the thread, and the alert says it runs again", async () => {
    const { harness, send } = await setUp();
    const { alert } = await stoppedAlert(harness);

    const click = await send.click({
      channel: CHANNEL,
      messageTs: alert.ts,
      button: { text: "Start recipe" },
      user: { id: ALICE },
    });
    expect(click.button.element.confirm).toBeDefined();
    const answer = await harness.slack.waitFor(() => harness.slack.thread(CHANNEL, alert.ts)[0]);
    expect(answer.text).toContain("started");
    expect(harness.sim.recipe(CUSTOMER, RECIPE).running).toBe(true);

    // The alert's top message is redrawn at once: it runs again, and nothing offers to start it a second time.
    const redrawn = await harness.slack.waitFor(() => {
      const message = harness.slack.message(CHANNEL, alert.ts);
      return message && message.replaceCount > 0 ? message : undefined;
    });
    expect(redrawn.text).toContain("runs again");
    expect(JSON.stringify(redrawn.blocks)).toContain("runs again");
    expect(JSON.stringify(redrawn.blocks)).not.toContain("No jobs run");
    expect(listButtons(redrawn)).toEqual([]);

    // A stale copy of the button, clicked again, starts nothing.
    await send.forgedAction({
      channel: CHANNEL,
      messageTs: alert.ts,
      user: { id: ALICE },
      action: click.button.element,
    });
    const again = await harness.slack.waitFor(() => harness.slack.ephemerals(CHANNEL, ALICE)[0]);
    expect(again.text).toContain("already runs");
    expect(harness.sim.requests.filter((request) => request.endpoint === "start")).toHaveLength(1);

    // The scan, seeing it run, has nothing more to say.
    await harness.poller.scanOnce();
    expect(harness.slack.thread(CHANNEL, alert.ts)).toHaveLength(1);
  });

  it("posts Workato's error when the recipe cannot start, and it stays stopped", async () => {
    const { harness, send } = await setUp();
    const { alert } = await stoppedAlert(harness);
    harness.sim.refuseRecipeStart(CUSTOMER, RECIPE, "Connection 'NetSuite' is not connected");

    await send.click({
      channel: CHANNEL,
      messageTs: alert.ts,
      button: { text: "Start recipe" },
      user: { id: ALICE },
    });
    const answer = await harness.slack.waitFor(() => harness.slack.thread(CHANNEL, alert.ts)[0]);
    expect(answer.text).toContain("Workato refused");
    expect(answer.text).toContain("Connection 'NetSuite' is not connected");
    expect(harness.sim.recipe(CUSTOMER, RECIPE).running).toBe(false);
  });

  it("is refused to someone who may not repeat in the channel, and nothing is started", async () => {
    const { harness, send } = await setUp();
    const { alert } = await stoppedAlert(harness);

    await send.click({
      channel: CHANNEL,
      messageTs: alert.ts,
      button: { text: "Start recipe" },
      user: { id: BOB },
    });
    const refusal = await harness.slack.waitFor(() => harness.slack.ephemerals(CHANNEL, BOB)[0]);
    expect(refusal.text).toContain("not allowed to repeat");
    expect(harness.sim.requests.filter((request) => request.endpoint === "start")).toHaveLength(0);
    expect(harness.slack.thread(CHANNEL, alert.ts)).toHaveLength(0);
  });
});

describe("Unmute on a muted alert", () => {
  async function mutedAlert(harness: WatchHarness, send: Awaited<ReturnType<typeof setUp>>["send"]) {
    const watch = harness.addWatch();
    await harness.poller.pollOnce(watch.id);
    harness.sim.addFailedJobs(CUSTOMER, RECIPE, 1);
    await harness.poller.pollOnce(watch.id);
    const alert = harness.slack.messages(CHANNEL)[0];
    if (!alert) throw new Error("no alert");
    await send.click({
      channel: CHANNEL,
      messageTs: alert.ts,
      button: { text: "Mute 1h" },
      user: { id: BOB },
    });
    const muted = await harness.slack.waitFor(() => {
      const message = harness.slack.message(CHANNEL, alert.ts);
      return message && message.replaceCount > 0 ? message : undefined;
    });
    return { watch, alert: muted };
  }

  it("ends the mute, gives the Mute buttons back and notes who unmuted; the next failure is alerted", async () => {
    const { harness, send } = await setUp();
    const { watch, alert } = await mutedAlert(harness, send);
    const signature = errorSignature(DEFAULT_FAILURE_MESSAGE).signature;
    expect(listButtons(alert).map((button) => button.text)).toContain("Unmute");

    await send.click({
      channel: CHANNEL,
      messageTs: alert.ts,
      button: { text: "Unmute" },
      user: { id: BOB },
    });
    const unmuted = await harness.slack.waitFor(() => {
      const message = harness.slack.message(CHANNEL, alert.ts);
      return message && message.replaceCount > 1 ? message : undefined;
    });
    expect(JSON.stringify(unmuted.blocks)).toContain("Unmuted by <@U0BOB>");
    expect(JSON.stringify(unmuted.blocks)).not.toContain("Muted until");
    expect(listButtons(unmuted).map((button) => button.text)).toEqual(
      expect.arrayContaining(["Mute 1h", "Mute 24h"]),
    );
    expect(listButtons(unmuted).map((button) => button.text)).not.toContain("Unmute");
    expect(harness.store.mutedUntil(watch.id, signature)).toBeLessThanOrEqual(harness.clock.now);

    harness.clock.now += 61 * 60_000;
    harness.sim.addFailedJobs(CUSTOMER, RECIPE, 1);
    expect(await harness.poller.pollOnce(watch.id)).toMatchObject({ muted: 0, alerted: 1 });
  });

  it("is refused to someone of another organisation, and the mute stays", async () => {
    const { harness, send } = await setUp();
    const { watch, alert } = await mutedAlert(harness, send);
    const signature = errorSignature(DEFAULT_FAILURE_MESSAGE).signature;
    const until = harness.store.mutedUntil(watch.id, signature);

    await send.click({
      channel: CHANNEL,
      messageTs: alert.ts,
      button: { text: "Unmute" },
      user: { id: "U0GUEST", teamId: "T0OTHERORG" },
    });
    await harness.slack.waitFor(() => harness.slack.ephemerals(CHANNEL, "U0GUEST")[0]);
    expect(harness.store.mutedUntil(watch.id, signature)).toBe(until);
    expect(harness.slack.message(CHANNEL, alert.ts)?.replaceCount).toBe(1);
  });
});
