// The Mute buttons of a real alert, clicked through a real Bolt app: signed requests in, the fake Slack and store out.
import { describe, expect, it } from "vitest";
import { type FakeMessage, listButtons } from "../../../sim/fake-slack/index.js";
import { DEFAULT_FAILURE_MESSAGE } from "../../../sim/workato-simulator/job-defaults.js";
import { decodeMuteValue } from "../../../src/slack/blocks/action-ids.js";
import { onMute } from "../../../src/slack/watches/mute-actions.js";
import { errorSignature } from "../../../src/watch/error-signature.js";
import { type FaultyStore, faultyStore } from "../../support/faulty-store.js";
import { watchButtonsAppPerTest } from "../../support/watch-buttons-app.js";
import { CHANNEL, CUSTOMER, RECIPE, type WatchHarness } from "../../support/watch-harness.js";

const SIGNING_SECRET = "test-signing-secret-mute";

const setUp = watchButtonsAppPerTest({
  signingSecret: SIGNING_SECRET,
  register: (app, deps) => onMute(app, deps),
});

/** A watch with one alert posted in its channel, holding two kinds of error. */
async function alerted(harness: WatchHarness): Promise<{ watchId: number; alert: FakeMessage }> {
  const watch = harness.addWatch();
  await harness.poller.pollOnce(watch.id);
  harness.sim.addFailedJobs(CUSTOMER, RECIPE, 1);
  harness.sim.addJob(CUSTOMER, RECIPE, { status: "failed", error: "Salesforce: INVALID_SESSION_ID" });
  await harness.poller.pollOnce(watch.id);
  const alert = harness.slack.messages(CHANNEL)[0];
  if (!alert) throw new Error("no alert posted");
  return { watchId: watch.id, alert };
}

describe("Mute buttons", () => {
  it("mute that kind of error for an hour and redraw the alert from the store, saying who muted it", async () => {
    const { harness, send } = await setUp();
    const { watchId, alert } = await alerted(harness);
    const netsuite = errorSignature(DEFAULT_FAILURE_MESSAGE).signature;
    const index = listButtons(alert).findIndex((button) => button.value?.includes(netsuite));

    const click = await send.click({
      channel: CHANNEL,
      messageTs: alert.ts,
      button: { actionId: listButtons(alert)[index]?.actionId ?? "" },
      user: { id: "U0ALICE" },
    });
    expect(click.status).toBe(200);
    expect(click.button.text).toBe("Mute 1h");

    const marked = await harness.slack.waitFor(() => {
      const message = harness.slack.message(CHANNEL, alert.ts);
      return message && message.replaceCount > 0 ? message : undefined;
    });
    // Redrawn from the store: the mute's end and who set it, as any later redraw shows it too.
    expect(JSON.stringify(marked.blocks)).toContain("Muted until");
    expect(JSON.stringify(marked.blocks)).toContain("by <@U0ALICE>");
    const mutesLeft = listButtons(marked).filter((button) => button.text.startsWith("Mute"));
    expect(mutesLeft).toHaveLength(2);
    expect(mutesLeft.every((button) => !button.value?.includes(netsuite))).toBe(true);
    expect(harness.store.mutedUntil(watchId, netsuite)).toBe(harness.clock.now + 3_600_000);

    // The next failure of that kind is left out.
    harness.sim.addFailedJobs(CUSTOMER, RECIPE, 1);
    expect(await harness.poller.pollOnce(watchId)).toMatchObject({ muted: 1, followedUp: 0 });
  });

  it("refuse someone from another organisation (Slack Connect), leaving the alert as it was", async () => {
    const { harness, send } = await setUp();
    const { watchId, alert } = await alerted(harness);

    const click = await send.click({
      channel: CHANNEL,
      messageTs: alert.ts,
      button: { text: "Mute 24h" },
      user: { id: "U0GUEST", teamId: "T0OTHERORG" },
    });
    const signature = decodeMuteValue(click.button.value)?.s ?? "";

    const refusal = await harness.slack.waitFor(() => harness.slack.ephemerals(CHANNEL, "U0GUEST")[0]);
    expect(refusal.text).toContain("other organisations");
    // The refusal is sent after the check; the store is read after it arrived.
    expect(harness.store.mutedUntil(watchId, signature)).toBeNull();
    expect(harness.slack.message(CHANNEL, alert.ts)?.replaceCount).toBe(0);
  });

  it("refuse a mute for a watch of another channel, leaving the store and the alert untouched", async () => {
    const { harness, send } = await setUp();
    const { alert } = await alerted(harness);
    const elsewhere = harness.addWatch({ channel: "C0ELSEWHERE" });
    const button = listButtons(alert).find((candidate) => candidate.text === "Mute 24h");
    if (!button?.value) throw new Error("no Mute 24h button");
    const tampered = JSON.stringify({ ...JSON.parse(button.value), w: elsewhere.id });

    await send.forgedAction({
      channel: CHANNEL,
      messageTs: alert.ts,
      user: { id: "U0MALLORY" },
      action: { type: "button", action_id: button.actionId, block_id: button.blockId, value: tampered },
    });

    const refusal = await harness.slack.waitFor(() => harness.slack.ephemerals(CHANNEL, "U0MALLORY")[0]);
    expect(refusal.text).toContain("not one I can act on");
    expect(harness.store.mutedUntil(elsewhere.id, JSON.parse(button.value).s)).toBeNull();
    expect(harness.slack.message(CHANNEL, alert.ts)?.replaceCount).toBe(0);
  });
});

describe("A Mute button while the store cannot be written", () => {
  let faults: FaultyStore | undefined;
  const setUpFaulty = watchButtonsAppPerTest({
    signingSecret: SIGNING_SECRET,
    register: (app, deps) => {
      faults = faultyStore(deps.store);
      onMute(app, { ...deps, store: faults.store });
    },
  });

  it("answers 'Mute not saved' privately and leaves the alert unmarked", async () => {
    const { harness, send } = await setUpFaulty();
    const { watchId, alert } = await alerted(harness);
    faults?.failWrites(true);

    const click = await send.click({
      channel: CHANNEL,
      messageTs: alert.ts,
      button: { text: "Mute 1h" },
      user: { id: "U0ALICE" },
    });
    const answer = await harness.slack.waitFor(() => harness.slack.ephemerals(CHANNEL, "U0ALICE")[0]);
    expect(answer.text).toContain("Mute not saved: the bot can't reach its database");
    expect(harness.slack.message(CHANNEL, alert.ts)?.replaceCount).toBe(0);
    expect(harness.store.mutedUntil(watchId, decodeMuteValue(click.button.value)?.s ?? "")).toBeNull();
  });
});
