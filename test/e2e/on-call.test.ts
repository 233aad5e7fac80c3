// End to end: taking an alert ("I'm on it"), taking it over and releasing it; resolving it by hand with a reason, so
// that Repeat N failed leaves its jobs out until it is reopened; and the access policy at every on-call button.
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { ALICE, BOB, CHANNEL, CUSTOMER, type Harness, RECIPE } from "../../sim/app-harness.js";
import { type FakeMessage, listButtons } from "../../sim/fake-slack/index.js";
import { harnessPerTest } from "../support/harness-per-test.js";

const start = harnessPerTest();
const contentOf = (message: FakeMessage | undefined) =>
  message ? `${message.text}\n${JSON.stringify(message.blocks)}` : "";
const labels = (message: FakeMessage | undefined) => (message ? listButtons(message).map((b) => b.text) : []);

/** A watch of RECIPE in `channel` whose first poll ran, then `failures` new failed jobs alerted in one message. */
async function alerted(harness: Harness, failures: number, channel = CHANNEL) {
  await harness.send.slashCommand({ text: `watch ${CUSTOMER} ${RECIPE}`, user: ALICE, channel });
  await harness.slack.waitFor(() => harness.slack.messages(channel)[0]);
  const [watch] = await harness.app.deps.store.watches({ channel });
  if (!watch) throw new Error("no watch");
  await vi.waitFor(
    async () => {
      if (!(await harness.app.deps.store.watch(watch.id))?.lastPolledAt) throw new Error("not polled yet");
    },
    { timeout: 10_000, interval: 20 },
  );
  const jobs = harness.sim.addFailedJobs(CUSTOMER, RECIPE, failures);
  expect(await harness.app.deps.poller.pollOnce(watch.id)).toMatchObject({ kind: "checked", alerted: 1 });
  const alert = await harness.slack.waitFor(() => harness.slack.messages(channel)[1]);
  return { watch, jobs, alert };
}

/** The alert once it has been redrawn more times than `after`. */
function redrawn(harness: Harness, alert: FakeMessage, after: number, channel = CHANNEL) {
  return harness.slack.waitFor(() => {
    const message = harness.slack.message(channel, alert.ts);
    return message && message.replaceCount > after ? message : undefined;
  });
}

describe("taking an alert", () => {
  it("shows who is on it; a second taker hears who has it and may take over; release gives it back", async () => {
    const harness = await start({
      env: {
        WATCH_INTERVAL_SECONDS: "3600",
        WORKATO_JOB_URL_TEMPLATE: "https://workato.example.com/recipes/{recipe_id}",
      },
    });
    const { alert } = await alerted(harness, 1);
    expect(labels(alert)).toContain("I'm on it");

    // Both click at once: one has it, the other is told privately, with Take over.
    await Promise.all([
      harness.send.click({ channel: CHANNEL, messageTs: alert.ts, button: { text: "I'm on it" }, user: BOB }),
      harness.send.click({
        channel: CHANNEL,
        messageTs: alert.ts,
        button: { text: "I'm on it" },
        user: ALICE,
      }),
    ]);
    const taken = await redrawn(harness, alert, 0);
    const holder = contentOf(taken).includes("<@U0BOB> is on it since") ? BOB : ALICE;
    const other = holder === BOB ? ALICE : BOB;
    expect(contentOf(taken)).toContain(`:eyes: <@${holder.id}> is on it since <!date^`);
    // Drawn by the same sink as the poller's: the link to Workato is still there.
    expect(labels(taken)).toContain("Open in Workato");
    expect(labels(taken)).toContain("Release");
    expect(labels(taken)).not.toContain("I'm on it");
    const told = await harness.slack.waitFor(() => harness.slack.ephemerals(CHANNEL, other.id)[0]);
    expect(told.text).toContain(`<@${holder.id}> is on this alert since`);
    const takeOver = listButtons(told).find((button) => button.text === "Take over");
    expect(takeOver?.element.confirm).toBeDefined();

    await harness.send.click({
      channel: CHANNEL,
      messageTs: told.ts,
      button: { text: "Take over" },
      user: other,
    });
    const takenOver = await harness.slack.waitFor(() => {
      const message = harness.slack.message(CHANNEL, alert.ts);
      return contentOf(message).includes(`<@${other.id}> is on it since`) ? message : undefined;
    });
    expect(contentOf(takenOver)).not.toContain(`<@${holder.id}> is on it`);
    const note = await harness.slack.waitFor(() => harness.slack.thread(CHANNEL, alert.ts)[0]);
    expect(note.text).toBe(`:eyes: <@${other.id}> took over this alert from <@${holder.id}>.`);
    expect(await harness.app.deps.store.alertState(CHANNEL, alert.ts)).toMatchObject({ takenBy: other.id });

    const before = takenOver.replaceCount;
    await harness.send.click({
      channel: CHANNEL,
      messageTs: alert.ts,
      button: { text: "Release" },
      user: other,
    });
    const released = await redrawn(harness, alert, before);
    expect(contentOf(released)).not.toContain("is on it");
    expect(labels(released)).toContain("I'm on it");
    expect(await harness.app.deps.store.alertState(CHANNEL, alert.ts)).toMatchObject({ takenBy: null });
  });
});

describe("resolving an alert by hand", () => {
  it("shows who resolved it and why, drops its Repeat button, and Repeat N failed leaves its jobs out until reopened", async () => {
    const harness = await start({ env: { WATCH_INTERVAL_SECONDS: "3600" } });
    const { alert, jobs } = await alerted(harness, 2);
    expect(labels(alert)).toContain("Repeat 2 failed");

    await harness.send.click({
      channel: CHANNEL,
      messageTs: alert.ts,
      button: { text: "Resolve…" },
      user: ALICE,
    });
    const modal = await harness.slack.waitFor(() => harness.slack.openedModals()[0]);
    expect(JSON.stringify(modal.view)).toContain("fixed at the source");
    // Neither a reason chosen nor written: the dialog stays open and says why.
    const empty = await harness.send.submitView({ modal, user: ALICE, values: {} });
    expect(JSON.parse(empty.body)).toMatchObject({ response_action: "errors" });
    const submitted = await harness.send.submitView({
      modal,
      user: ALICE,
      values: {
        resolve_reason: {
          reason: {
            type: "radio_buttons",
            selected_option: {
              text: { type: "plain_text", text: "fixed at the source" },
              value: "fixed at the source",
            },
          },
        },
        resolve_other: { other: { type: "plain_text_input", value: null } },
      },
    });
    expect(submitted.status).toBe(200);
    const resolved = await harness.slack.waitFor(() => {
      const message = harness.slack.message(CHANNEL, alert.ts);
      return contentOf(message).includes("Resolved by") ? message : undefined;
    });
    expect(contentOf(resolved)).toContain(":heavy_check_mark: Resolved by <@U0ALICE>: fixed at the source");
    expect(labels(resolved)).not.toContain("Repeat 2 failed");
    expect(labels(resolved)).toContain("Reopen");

    // `repeat … failed` reads them as handled too, and says so.
    await harness.send.slashCommand({
      text: `repeat ${CUSTOMER} ${RECIPE} failed`,
      user: ALICE,
      channel: CHANNEL,
    });
    const preview = await harness.slack.waitFor(() =>
      harness.slack.ephemerals(CHANNEL, ALICE.id).find((message) => contentOf(message).includes("failed")),
    );
    expect(contentOf(preview)).toContain("2 resolved by hand in their alert");
    expect(contentOf(preview)).toContain("nothing to repeat");

    // One more failure since: a list's Repeat N failed now sends only that one, and says why the others stay.
    const [fresh] = harness.sim.addFailedJobs(CUSTOMER, RECIPE, 1);
    await harness.send.slashCommand({
      text: `list ${CUSTOMER} ${RECIPE} failed`,
      user: ALICE,
      channel: CHANNEL,
    });
    const list = await harness.slack.waitFor(() => harness.slack.messages(CHANNEL)[2]);
    const repeatButton = listButtons(list).find((button) => /^Repeat \d+ failed$/.test(button.text));
    if (!repeatButton) throw new Error(`no Repeat N failed in ${labels(list).join(", ")}`);
    const repeatsBefore = harness.sim.requests.filter((request) => request.endpoint === "repeat").length;
    await harness.send.click({
      channel: CHANNEL,
      messageTs: list.ts,
      button: { text: repeatButton.text },
      user: ALICE,
    });
    const sent = await harness.slack.waitFor(() => {
      const repeats = harness.sim.requests.filter((request) => request.endpoint === "repeat");
      return repeats.length > repeatsBefore ? repeats.slice(repeatsBefore) : undefined;
    });
    expect(sent.map((request) => (request.body as { job_ids: string[] }).job_ids)).toEqual([[fresh?.id]]);
    const said = await harness.slack.waitFor(() =>
      harness.slack
        .ephemerals(CHANNEL, ALICE.id)
        .find((message) => message.text.startsWith("Repeating 1 job")),
    );
    expect(said.text).toContain("2 resolved by hand");
    expect(jobs).toHaveLength(2);

    const before = harness.slack.message(CHANNEL, alert.ts)?.replaceCount ?? 0;
    await harness.send.click({
      channel: CHANNEL,
      messageTs: alert.ts,
      button: { text: "Reopen" },
      user: ALICE,
    });
    const reopened = await redrawn(harness, alert, before);
    expect(contentOf(reopened)).not.toContain("Resolved by");
    expect(labels(reopened)).toContain("Resolve…");
    expect(
      await harness.app.deps.store.handResolvedJobs(
        String(CUSTOMER),
        RECIPE,
        jobs.map((job) => job.id),
      ),
    ).toEqual([]);
  });
});

function policyFile(): string {
  const path = join(
    tmpdir(),
    `workato-jobs-oncall-${process.pid}-${Math.random().toString(36).slice(2)}.yml`,
  );
  writeFileSync(
    path,
    `channels:\n  ${CHANNEL}:\n    customers: [${CUSTOMER}]\n    repeaters: [${ALICE.id}]\n`,
  );
  return path;
}

describe("on-call buttons and the access policy", () => {
  it("refuses every on-call button to whoever the policy keeps out, and changes nothing", async () => {
    const harness = await start({ env: { WATCH_INTERVAL_SECONDS: "3600", ACCESS_POLICY: policyFile() } });
    const { alert } = await alerted(harness, 1);
    const guest = { id: "U0GUEST", teamId: "T0OTHERORG" };
    // A Slack Connect guest may not even see the customer: I'm on it is refused.
    await harness.send.click({
      channel: CHANNEL,
      messageTs: alert.ts,
      button: { text: "I'm on it" },
      user: guest,
    });
    const refused = await harness.slack.waitFor(() => harness.slack.ephemerals(CHANNEL, guest.id)[0]);
    expect(refused.text).not.toContain("is on this alert");
    // Bob may see but not repeat: Resolve… (which marks jobs handled) is refused, and no dialog opens.
    await harness.send.click({
      channel: CHANNEL,
      messageTs: alert.ts,
      button: { text: "Resolve…" },
      user: BOB,
    });
    const denied = await harness.slack.waitFor(() => harness.slack.ephemerals(CHANNEL, BOB.id)[0]);
    expect(denied.text).toContain("not allowed to repeat");
    expect(harness.slack.openedModals()).toEqual([]);
    // Alice takes and resolves it; then Bob's Reopen is refused, and the guest's Release and Take over too.
    await harness.send.click({
      channel: CHANNEL,
      messageTs: alert.ts,
      button: { text: "I'm on it" },
      user: ALICE,
    });
    await redrawn(harness, alert, 0);
    await harness.send.click({
      channel: CHANNEL,
      messageTs: alert.ts,
      button: { text: "Resolve…" },
      user: ALICE,
    });
    const modal = await harness.slack.waitFor(() => harness.slack.openedModals()[0]);
    // A submission by someone who may not repeat (the dialog travelled, or the policy changed) is refused in it.
    const byBob = await harness.send.submitView({
      modal,
      user: BOB,
      values: { resolve_other: { other: { type: "plain_text_input", value: "duplicate of another alert" } } },
    });
    expect(JSON.parse(byBob.body)).toMatchObject({ response_action: "errors" });
    expect((await harness.app.deps.store.alertState(CHANNEL, alert.ts))?.resolvedBy).toBeNull();
    await harness.send.submitView({
      modal,
      user: ALICE,
      values: { resolve_other: { other: { type: "plain_text_input", value: "duplicate of another alert" } } },
    });
    const resolved = await harness.slack.waitFor(() => {
      const message = harness.slack.message(CHANNEL, alert.ts);
      return contentOf(message).includes("Resolved by") ? message : undefined;
    });
    expect(contentOf(resolved)).toContain("Resolved by <@U0ALICE>: duplicate of another alert");

    const bobBefore = harness.slack.ephemerals(CHANNEL, BOB.id).length;
    await harness.send.click({
      channel: CHANNEL,
      messageTs: alert.ts,
      button: { text: "Reopen" },
      user: BOB,
    });
    await harness.slack.waitFor(() => harness.slack.ephemerals(CHANNEL, BOB.id).length > bobBefore);
    expect(harness.slack.ephemerals(CHANNEL, BOB.id).at(-1)?.text).toContain("not allowed to repeat");

    await harness.app.deps.store.reopenAlert(CHANNEL, alert.ts);
    const guestBefore = harness.slack.ephemerals(CHANNEL, guest.id).length;
    await harness.send.forgedAction({
      channel: CHANNEL,
      messageTs: alert.ts,
      user: guest,
      action: { type: "button", action_id: "alert_release:0", value: JSON.stringify({ w: 1 }) },
    });
    await harness.send.forgedAction({
      channel: CHANNEL,
      messageTs: alert.ts,
      user: guest,
      action: {
        type: "button",
        action_id: "alert_take_over:0",
        value: JSON.stringify({ w: 1, m: alert.ts, o: ALICE.id }),
      },
    });
    await harness.slack.waitFor(() => harness.slack.ephemerals(CHANNEL, guest.id).length >= guestBefore + 2);
    await harness.app.deps.background.settled();
    expect(await harness.app.deps.store.alertState(CHANNEL, alert.ts)).toMatchObject({ takenBy: ALICE.id });
  });
});
