// End to end: each repeat is followed to its end (its summary edited in place, jobs that failed again posted in its
// thread), and lists, buttons and the repeat command use what became of every failure, whoever repeated it.
import { describe, expect, it } from "vitest";
import { ALICE, CHANNEL, CUSTOMER, type Harness, RECIPE, SIGNING_SECRET } from "../../sim/app-harness.js";
import { type FakeMessage, type FakeSlack, listButtons } from "../../sim/fake-slack/index.js";
import { repeatByCommand } from "../../sim/repeat-command.js";
import { isRepeatSummary } from "../../sim/repeat-summary.js";
import { createSlackRequester } from "../../sim/slack-requests.js";
import type { WorkatoSimulator } from "../../sim/workato-simulator/index.js";
import { harnessPerTest } from "../support/harness-per-test.js";
import { restartableAppPerTest } from "../support/restartable-app.js";

const start = harnessPerTest();
const startRestartable = restartableAppPerTest();

const repeatedIds = (sim: WorkatoSimulator) =>
  sim.requests
    .filter((request) => request.endpoint === "repeat")
    .flatMap((request) => (request.body as { job_ids: string[] }).job_ids);
const textOf = (message: FakeMessage | undefined) =>
  message ? `${message.text} ${JSON.stringify(message.blocks)}` : "";
/** Every private answer sent through a response_url, as sent (a later answer may have replaced it on screen). */
const answersSent = (slack: FakeSlack) =>
  slack.calls
    .filter((call) => call.method === "response_url")
    .map((call) => `${String(call.args.text)} ${JSON.stringify(call.args.blocks)}`);
const isSummary = (message: FakeMessage) => isRepeatSummary(message.text);
const isFailedAgainReply = (message: FakeMessage) =>
  /repeated jobs? failed again/.test(message.text) && !isSummary(message);

async function listMessage(harness: Harness, command: string, index = 0): Promise<FakeMessage> {
  await harness.send.slashCommand({ text: command, user: ALICE, channel: CHANNEL });
  return harness.slack.waitFor(() => harness.slack.messages(CHANNEL)[index]);
}

/** The thread's summary once it says `pattern` (the follow-up edits it in place). */
function summarySaying(slack: FakeSlack, threadTs: string, pattern: RegExp, timeoutMs = 30_000) {
  return slack.waitFor(
    () =>
      slack.thread(CHANNEL, threadTs).find((message) => isSummary(message) && pattern.test(textOf(message))),
    { timeoutMs },
  );
}

/** Repeats all 10 failures from a list; 8 succeed and 2 fail again. */
async function repeatTen(harness: Harness) {
  const jobs = harness.sim.addFailedJobs(CUSTOMER, RECIPE, 10);
  const failing = [jobs[2]?.id, jobs[7]?.id] as string[];
  harness.sim.settleRepeats({
    afterMs: 300,
    outcome: (master) => (failing.includes(master) ? "failed" : "succeeded"),
    errorMessage: "NetSuite said: record locked\n  at step 4",
  });
  const list = await listMessage(harness, `list ${CUSTOMER} ${RECIPE} failed`);
  await harness.send.click({
    channel: CHANNEL,
    messageTs: list.ts,
    button: { text: "Repeat 10 failed" },
    user: ALICE,
  });
  const summary = await summarySaying(harness.slack, list.ts, /^Finished:/);
  const succeeded = jobs.map((job) => job.id).filter((id) => !failing.includes(id));
  return { list, failing: failing.sort(), succeeded, summary };
}

describe("a repeat followed to its end", () => {
  it("heads the summary with requests sent and outcomes pending, edits it to finished with 8 succeeded and 2 failed again, and posts the 2 in the thread with their buttons", async () => {
    const harness = await start();
    const { list, failing, summary } = await repeatTen(harness);

    expect(textOf(summary)).toContain("*Finished:* :white_check_mark: 8 succeeded · :x: 2 failed again");
    expect(summary?.text).toBe("Finished: 8 succeeded, 2 failed again (10 enqueued, 0 refused, 0 unknown)");
    expect(summary?.replaceCount).toBeGreaterThan(0);
    // Its heading said only what was known when it was posted: the requests, with the outcomes pending.
    const posted = harness.slack.calls.filter(
      (call) => call.method === "chat.postMessage" && isRepeatSummary(String(call.args.text)),
    );
    expect(posted.map((call) => String(call.args.text))).toEqual([
      "Requests sent: 10 enqueued, outcomes pending (10 enqueued, 0 refused, 0 unknown)",
    ]);
    const thread = harness.slack.thread(CHANNEL, list.ts);
    // ✅ means succeeded: the request's reply marks its 10 jobs enqueued, not with green ticks.
    const requestReply = thread.find((message) => message.text.startsWith("Request 1:"));
    expect(textOf(requestReply)).toContain(":outbox_tray: 10 enqueued");
    expect(textOf(requestReply)).not.toContain(":white_check_mark:");
    // One summary, edited in place, never a second one; one reply for the jobs that failed again.
    expect(thread.filter(isSummary)).toHaveLength(1);
    const replies = thread.filter(isFailedAgainReply);
    expect(replies).toHaveLength(1);
    const reply = replies[0] as FakeMessage;
    expect(textOf(reply)).toContain("NetSuite said: record locked");
    expect(textOf(reply)).not.toContain("at step 4");
    const again = listButtons(reply).filter((button) => button.text === "Repeat again");
    expect(again.map((button) => JSON.parse(button.value ?? "{}").j[0]).sort()).toEqual(failing);
    expect(listButtons(reply).filter((button) => button.text === "Details")).toHaveLength(2);

    // history tells outcomes, not just "enqueued".
    await harness.send.slashCommand({ text: "history", user: ALICE, channel: CHANNEL });
    const history = await harness.slack.waitFor(() =>
      harness.slack.ephemerals(CHANNEL, ALICE.id).find((message) => message.text.includes("recent repeat")),
    );
    expect(textOf(history)).toContain(
      ":outbox_tray: 10 enqueued · :no_entry_sign: 0 refused · :warning: 0 unknown → :white_check_mark: 8 succeeded · :x: 2 failed again",
    );
  }, 60_000);

  it("leaves the 8 out of Repeat N failed, and a click re-checks and POSTs none of them, nor one now running", async () => {
    const harness = await start();
    const { list, failing, succeeded } = await repeatTen(harness);
    harness.sim.settleRepeats(null);

    const again = await listMessage(harness, `list ${CUSTOMER} ${RECIPE} failed`, 1);
    expect(textOf(again)).toContain("→ :white_check_mark: succeeded");
    const [repeatFailed] = listButtons(again).filter((button) => /^Repeat \d+ failed$/.test(button.text));
    expect(repeatFailed?.text).toBe("Repeat 2 failed");
    expect(JSON.parse(repeatFailed?.value ?? "{}").j.sort()).toEqual(failing);
    expect(JSON.stringify(repeatFailed?.confirm)).toContain("Left out: 8 already repeated and succeeded.");
    // Each failed job (the originals and their failed repeats) offers "Repeat again" of its original.
    const perJob = listButtons(again).filter((button) => button.text === "Repeat again");
    expect(new Set(perJob.map((button) => JSON.parse(button.value ?? "{}").j[0]))).toEqual(new Set(failing));

    // Meanwhile one of the two is repeated again from the thread; its repeat stays running.
    const reply = harness.slack.thread(CHANNEL, list.ts).find(isFailedAgainReply) as FakeMessage;
    const repeatAgain = listButtons(reply).find(
      (button) => button.text === "Repeat again" && button.value?.includes(failing[0] as string),
    );
    await harness.send.click({
      channel: CHANNEL,
      messageTs: reply.ts,
      button: { actionId: repeatAgain?.actionId as string },
      user: ALICE,
    });
    // Once its answer is on record, the bot knows the new repeat as its own (running).
    for (let tries = 0; tries < 100; tries++) {
      const ours = await harness.app.deps.store.botRepeatsOf(String(CUSTOMER), RECIPE, [
        failing[0] as string,
      ]);
      if (ours.length === 2) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const before = repeatedIds(harness.sim).length;

    // The list is old now: its button still says 2, the click sends only the one still eligible, and says why.
    await harness.send.click({
      channel: CHANNEL,
      messageTs: again.ts,
      button: { text: "Repeat 2 failed" },
      user: ALICE,
    });
    const told = await harness.slack.waitFor(() =>
      harness.slack.ephemerals(CHANNEL, ALICE.id).find((message) => message.text.includes("not 2")),
    );
    expect(told?.text).toContain("1 repeat still running");
    await harness.slack.waitFor(() => (repeatedIds(harness.sim).length > before ? true : undefined));
    await harness.app.deps.background.settled();
    expect(repeatedIds(harness.sim).slice(before)).toEqual([failing[1]]);
    for (const id of succeeded)
      expect(repeatedIds(harness.sim).filter((sent) => sent === id)).toHaveLength(1);
  }, 60_000);

  it("recognises repeats made in Workato's own UI the same way", async () => {
    const harness = await start();
    const [done, running, never] = harness.sim.addFailedJobs(CUSTOMER, RECIPE, 3);
    harness.sim.repeatInWorkatoUi(done?.id as string, { outcome: "succeeded" });
    harness.sim.repeatInWorkatoUi(running?.id as string, { outcome: "pending" });

    const list = await listMessage(harness, `list ${CUSTOMER} ${RECIPE} failed`);
    const json = textOf(list);
    expect(json).toContain("repeated in Workato");
    expect(json).toContain(":hourglass_flowing_sand: repeat running");
    const [repeatFailed] = listButtons(list).filter((button) => /^Repeat \d+ failed$/.test(button.text));
    expect(repeatFailed?.text).toBe("Repeat 1 failed");
    expect(JSON.stringify(repeatFailed?.confirm)).toContain(
      "Left out: 1 already repeated and succeeded, 1 repeat still running.",
    );
    // The succeeded one offers no Repeat at all: the list never offers what is already done.
    const single = listButtons(list).find(
      (button) => /^Repeat/.test(button.text) && button.value?.includes(done?.id as string),
    );
    expect(single).toBeUndefined();

    await harness.send.click({
      channel: CHANNEL,
      messageTs: list.ts,
      button: { text: "Repeat 1 failed" },
      user: ALICE,
    });
    await harness.slack.waitFor(() => (repeatedIds(harness.sim).length > 0 ? true : undefined));
    await harness.app.deps.background.settled();
    expect(repeatedIds(harness.sim)).toEqual([never?.id]);
  }, 30_000);

  it("repeats fresh failures from a list on a recipe with more repeats than the re-check pages through", async () => {
    // 45 older failures, each repeated in Workato: 23 pages of repeats at 2 a page, more than the reader's 20.
    const harness = await start({ simulator: { pageSize: 2 } });
    for (const job of harness.sim.addFailedJobs(CUSTOMER, RECIPE, 45)) {
      harness.sim.repeatInWorkatoUi(job.id, { outcome: "succeeded" });
    }
    const fresh = harness.sim.addFailedJobs(CUSTOMER, RECIPE, 2).map((job) => job.id);

    const list = await listMessage(harness, `list ${CUSTOMER} ${RECIPE} failed`);
    const [repeatFailed] = listButtons(list).filter((button) => /^Repeat \d+ failed$/.test(button.text));
    expect(repeatFailed?.text).toBe("Repeat 2 failed");
    await harness.send.click({
      channel: CHANNEL,
      messageTs: list.ts,
      button: { text: "Repeat 2 failed" },
      user: ALICE,
    });
    // The click's re-check reads the repeats back to these jobs' start, not to the end of the listing.
    await harness.slack.waitFor(() => (repeatedIds(harness.sim).length > 0 ? true : undefined), {
      timeoutMs: 15_000,
    });
    await harness.app.deps.background.settled();
    expect(repeatedIds(harness.sim).sort()).toEqual([...fresh].sort());
    expect(answersSent(harness.slack).join(" ")).not.toContain("repeat state is unknown");
  }, 30_000);

  it("warns in a job's details view that its repeat succeeded or is running before anything happens", async () => {
    const harness = await start();
    const [done, running, failedAgain] = harness.sim.addFailedJobs(CUSTOMER, RECIPE, 3).map((job) => job.id);
    harness.sim.repeatInWorkatoUi(done as string, { outcome: "succeeded" });
    harness.sim.repeatInWorkatoUi(running as string, { outcome: "pending" });
    harness.sim.repeatInWorkatoUi(failedAgain as string, { outcome: "failed" });

    const repeatButtonOf = async (jobId: string, index: number) => {
      const details = await listMessage(harness, `show ${CUSTOMER} ${RECIPE} ${jobId}`, index);
      return listButtons(details).find((button) => button.actionId.startsWith("repeat_one"));
    };
    const ofDone = await repeatButtonOf(done as string, 0);
    expect(JSON.stringify(ofDone?.confirm)).toContain("already repeated and the repeat succeeded");
    const ofRunning = await repeatButtonOf(running as string, 1);
    expect(JSON.stringify(ofRunning?.confirm)).toContain("is still running");
    const ofFailedAgain = await repeatButtonOf(failedAgain as string, 2);
    expect(ofFailedAgain?.text).toBe("Repeat again");
  }, 30_000);

  it("never resends a job whose repeat request may have run (its answer was lost) from another button", async () => {
    const harness = await start();
    const [lost, fresh] = harness.sim.addFailedJobs(CUSTOMER, RECIPE, 2).map((job) => job.id);
    const list = await listMessage(harness, `list ${CUSTOMER} ${RECIPE} failed`);
    // Workato takes the request, then the connection drops: the bot cannot know whether it ran.
    harness.sim.addFault({ endpoint: "repeat", times: 1, afterProcessing: true, effect: { type: "reset" } });
    const single = listButtons(list).find(
      (button) => button.text === "Repeat" && button.value?.includes(lost as string),
    );
    await harness.send.click({
      channel: CHANNEL,
      messageTs: list.ts,
      button: { actionId: single?.actionId ?? "" },
      user: ALICE,
    });
    await summarySaying(harness.slack, list.ts, /unknown/i);
    await harness.app.deps.background.settled();

    // Listed again at once (Workato's listing of repeats is still cached): neither the list nor its button may
    // offer it as never repeated.
    const again = await listMessage(harness, `list ${CUSTOMER} ${RECIPE} failed`, 1);
    const [repeatFailed] = listButtons(again).filter((button) => /^Repeat \d+ failed$/.test(button.text));
    expect(repeatFailed?.text).toBe("Repeat 1 failed");
    await harness.send.click({
      channel: CHANNEL,
      messageTs: again.ts,
      button: { actionId: repeatFailed?.actionId ?? "" },
      user: ALICE,
    });
    await harness.slack.waitFor(() => (repeatedIds(harness.sim).length > 1 ? true : undefined));
    await harness.app.deps.background.settled();
    expect(repeatedIds(harness.sim)).toEqual([lost, fresh]);
  }, 30_000);

  it("says repeat state unknown when Workato refuses the rerun_only listing, and repeats nothing by guesswork", async () => {
    const harness = await start();
    const jobs = harness.sim.addFailedJobs(CUSTOMER, RECIPE, 3);
    harness.sim.addFault({ endpoint: "list", effect: { type: "status", status: 500 } });

    const ids = jobs.map((job) => job.id);
    await harness.send.slashCommand({
      text: `repeat ${CUSTOMER} ${RECIPE} ${ids.join(" ")}`,
      user: ALICE,
      channel: CHANNEL,
    });
    const answer = await harness.slack.waitFor(
      () =>
        harness.slack
          .ephemerals(CHANNEL, ALICE.id)
          .find((message) => message.text.includes("Nothing to repeat")),
      { timeoutMs: 20_000 },
    );
    expect(textOf(answer)).toContain("repeat state unknown");
    for (const id of ids) expect(textOf(answer)).toContain(id);
    expect(listButtons(answer).filter((button) => button.actionId.startsWith("repeat_confirm"))).toEqual([]);
    expect(repeatedIds(harness.sim)).toEqual([]);
  }, 30_000);

  it("lists already repeated jobs apart in the command's confirmation, and `again` includes them on purpose", async () => {
    const harness = await start();
    const [done, fresh] = harness.sim.addFailedJobs(CUSTOMER, RECIPE, 2);
    harness.sim.repeatInWorkatoUi(done?.id as string, { outcome: "succeeded" });

    await repeatByCommand(harness, {
      text: `repeat ${CUSTOMER} ${RECIPE} ${done?.id} ${fresh?.id}`,
      user: ALICE,
      channel: CHANNEL,
    });
    await harness.slack.waitFor(() => (repeatedIds(harness.sim).length > 0 ? true : undefined));
    const confirmation = answersSent(harness.slack).find((answer) => answer.startsWith("Repeat 1 job"));
    expect(confirmation).toContain("already repeated and succeeded");
    expect(confirmation).toContain(done?.id);
    await harness.app.deps.background.settled();
    expect(repeatedIds(harness.sim)).toEqual([fresh?.id]);

    await repeatByCommand(harness, {
      text: `repeat ${CUSTOMER} ${RECIPE} ${done?.id} again`,
      user: ALICE,
      channel: CHANNEL,
    });
    await harness.slack.waitFor(() => (repeatedIds(harness.sim).length > 1 ? true : undefined));
    const onPurpose = answersSent(harness.slack).find((answer) =>
      answer.includes("Repeated again on purpose"),
    );
    expect(onPurpose).toContain(done?.id);
    expect(repeatedIds(harness.sim)).toEqual([fresh?.id, done?.id]);
  }, 30_000);
});

describe("follow-ups across a restart", () => {
  it("resumes a follow-up cut short by kill -9 and posts nothing twice", async () => {
    const { sim, slack, startBot, killAndRestart } = await startRestartable();
    const jobs = sim.addFailedJobs(CUSTOMER, RECIPE, 4);
    const first = jobs[0]?.id as string;
    // The first fails again at once; the others keep running until the bot is gone.
    sim.settleRepeats({
      afterMs: (master) => (master === first ? 200 : 10 * 60_000),
      outcome: (master) => (master === first ? "failed" : "succeeded"),
    });
    const bot = await startBot();
    const send = createSlackRequester({ appUrl: bot.url, signingSecret: SIGNING_SECRET, fake: slack });
    await repeatByCommand(
      { send, slack },
      {
        text: `repeat ${CUSTOMER} ${RECIPE} ${jobs.map((job) => job.id).join(" ")}`,
        user: ALICE,
        channel: CHANNEL,
      },
    );
    const parent = await slack.waitFor(() => slack.messages(CHANNEL)[0]);
    const before = await summarySaying(slack, parent.ts, /1 failed again · \S+ 3 running/);
    await killAndRestart(bot, () => sim.settlePendingRepeats());
    const after = await summarySaying(slack, parent.ts, /^Finished: 3 succeeded, 1 failed again/);
    const thread = slack.thread(CHANNEL, parent.ts);
    expect(after?.ts).toBe(before?.ts);
    expect(thread.filter(isSummary)).toHaveLength(1);
    expect(thread.filter(isFailedAgainReply)).toHaveLength(1);
    expect(repeatedIds(sim).sort()).toEqual(jobs.map((job) => job.id).sort());
  }, 90_000);
});
