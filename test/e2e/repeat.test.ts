// End to end: repeating jobs from buttons and commands, with every result in the parent message's thread.
import { describe, expect, it } from "vitest";
import { ALICE, BOB, CHANNEL, CUSTOMER, type Harness, RECIPE, RECIPE_NAME } from "../../sim/app-harness.js";
import { type FakeMessage, listButtons } from "../../sim/fake-slack/index.js";
import { repeatByCommand } from "../../sim/repeat-command.js";
import { isRepeatSummary } from "../../sim/repeat-summary.js";
import { harnessPerTest } from "../support/harness-per-test.js";

const start = harnessPerTest();

const repeatRequests = (harness: Harness) =>
  harness.sim.requests.filter((request) => request.endpoint === "repeat");
const text = (messages: FakeMessage[]) =>
  messages.map((message) => `${message.text} ${JSON.stringify(message.blocks)}`).join("\n");

/** Waits for the thread's final summary and returns the whole thread. */
async function finishedThread(
  harness: Harness,
  threadTs: string,
  timeoutMs = 20_000,
): Promise<FakeMessage[]> {
  return harness.slack.waitFor(
    () => {
      const thread = harness.slack.thread(CHANNEL, threadTs);
      return isRepeatSummary(text(thread)) ? thread : undefined;
    },
    { timeoutMs },
  );
}

async function listMessage(harness: Harness, command: string): Promise<FakeMessage> {
  await harness.send.slashCommand({ text: command, user: ALICE, channel: CHANNEL });
  return harness.slack.waitFor(() => harness.slack.messages(CHANNEL)[0]);
}

describe("Repeat N failed", () => {
  it("repeats 60 failed jobs in 3 requests a second apart and names every outcome in the thread", async () => {
    const harness = await start({ simulator: { pageSize: 60 } });
    const jobs = harness.sim.addFailedJobs(CUSTOMER, RECIPE, 60);
    const list = await listMessage(harness, `list ${CUSTOMER} ${RECIPE} failed`);

    const click = await harness.send.click({
      channel: CHANNEL,
      messageTs: list.ts,
      button: { text: "Repeat 60 failed" },
      user: ALICE,
    });
    expect(click.status).toBe(200);
    expect(click.ms).toBeLessThan(3000);
    // Slack shows this dialog before sending the click.
    expect(JSON.stringify(click.button.confirm)).toContain("60");

    const thread = await finishedThread(harness, list.ts);
    const starts = repeatRequests(harness).map((request) => request.at);
    expect(
      repeatRequests(harness).map((request) => (request.body as { job_ids: string[] }).job_ids.length),
    ).toEqual([25, 25, 10]);
    expect((starts[1] ?? 0) - (starts[0] ?? 0)).toBeGreaterThanOrEqual(1000);
    expect((starts[2] ?? 0) - (starts[1] ?? 0)).toBeGreaterThanOrEqual(1000);
    expect(jobs.map((job) => job.repeatCount)).toEqual(Array(60).fill(1));

    const replies = text(thread);
    for (const job of jobs) expect(replies).toContain(job.id);
    // Every new job id is in the thread too.
    for (const repeat of harness.sim.jobs(CUSTOMER, RECIPE).filter((job) => job.isRepeat)) {
      expect(replies).toContain(repeat.id);
    }
    expect(
      thread.filter((message) => /Request \d/.test(message.text + JSON.stringify(message.blocks))),
    ).toHaveLength(3);
    expect(replies).toMatch(/60 enqueued, 0 refused, 0 unknown/);

    // The parent now says who asked, and has no repeat button to click again.
    const parent = harness.slack.message(CHANNEL, list.ts);
    expect(JSON.stringify(parent?.blocks)).toContain(`Repeat requested by <@${ALICE.id}>`);
    expect(listButtons(parent ?? list).map((button) => button.text)).not.toContain("Repeat 60 failed");
  });

  it("repeats nothing twice when the button is double-clicked and the click is redelivered", async () => {
    const harness = await start();
    const jobs = harness.sim.addFailedJobs(CUSTOMER, RECIPE, 3);
    const list = await listMessage(harness, `list ${CUSTOMER} ${RECIPE}`);
    const click = (retryNum?: number) =>
      harness.send.click(
        { channel: CHANNEL, messageTs: list.ts, button: { text: "Repeat 3 failed" }, user: ALICE },
        retryNum === undefined ? {} : { retryNum },
      );

    const answers = await Promise.all([click(), click(), click(1)]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    await finishedThread(harness, list.ts);
    await harness.app.deps.background.settled();

    expect(jobs.map((job) => job.repeatCount)).toEqual([1, 1, 1]);
    expect(repeatRequests(harness)).toHaveLength(1);
    const told = harness.slack
      .ephemerals(CHANNEL, ALICE.id)
      .filter((message) => /already asked/.test(message.text));
    expect(told).toHaveLength(2);
  });

  it("repeats a failed repeat's original job from its single Repeat button", async () => {
    const harness = await start();
    const [original] = harness.sim.addFailedJobs(CUSTOMER, RECIPE, 1);
    const failedRepeat = harness.sim.addJob(CUSTOMER, RECIPE, {
      status: "failed",
      error: "Still broken",
      masterJobId: original?.id as string,
      isRepeat: true,
    });
    const list = await listMessage(harness, `list ${CUSTOMER} ${RECIPE}`);
    // Its repeat failed, so its button (and the original's) says "Repeat again" (issue 11).
    const repeatButtons = listButtons(list).filter((button) => button.text === "Repeat again");
    const forTheRepeat = repeatButtons.find((button) => button.value?.includes(original?.id as string));
    expect(forTheRepeat).toBeDefined();
    expect(forTheRepeat?.value).not.toContain(failedRepeat.id);

    await harness.send.click({
      channel: CHANNEL,
      messageTs: list.ts,
      button: { actionId: forTheRepeat?.actionId as string },
      user: ALICE,
    });
    await finishedThread(harness, list.ts);
    expect(original?.repeatCount).toBe(1);
    expect(repeatRequests(harness).map((request) => request.body)).toEqual([{ job_ids: [original?.id] }]);
  });
});

describe("/workato-jobs repeat", () => {
  it("posts who is repeating what, then each job's outcome in the thread", async () => {
    const harness = await start();
    const [a, b] = harness.sim.addFailedJobs(CUSTOMER, RECIPE, 2);
    const ack = await repeatByCommand(harness, {
      text: `repeat ext:A2300 ${RECIPE} ${a?.id} ${b?.id} j-doesnotexist`,
      user: ALICE,
      channel: CHANNEL,
    });
    expect(ack.status).toBe(200);

    const parent = await harness.slack.waitFor(() => harness.slack.messages(CHANNEL)[0]);
    expect(parent.text).toContain(
      `<@${ALICE.id}> is repeating 3 jobs of Salesforce accounts to NetSuite for ext:A2300`,
    );
    const thread = await finishedThread(harness, parent.ts);
    expect(text(thread)).toMatch(/2 enqueued, 1 refused, 0 unknown/);
    expect(text(thread)).toContain("job not found");
    expect(repeatRequests(harness)[0]?.rawPath).toBe(
      `/api/managed_users/EA2300/recipes/${RECIPE}/repeat_jobs`,
    );
  });

  it("tells the person how to invite the bot when it is not in the channel, and repeats nothing", async () => {
    const harness = await start();
    const [job] = harness.sim.addFailedJobs(CUSTOMER, RECIPE, 1);
    harness.slack.setBotInChannel(CHANNEL, false);
    await repeatByCommand(harness, {
      text: `repeat ${CUSTOMER} ${RECIPE} ${job?.id}`,
      user: ALICE,
      channel: CHANNEL,
    });
    const answer = await harness.slack.waitFor(() =>
      harness.slack.ephemerals(CHANNEL, ALICE.id).find((message) => text([message]).includes("/invite")),
    );
    expect(text([answer])).toContain("/invite @workato-jobs");
    await harness.app.deps.background.settled();
    expect(repeatRequests(harness)).toHaveLength(0);
    expect(job?.repeatCount).toBe(0);
  });

  it("shares one request between two people repeating 10 jobs each within a second, each thread with its own", async () => {
    const harness = await start({ env: { REPEAT_COALESCE_MS: "1000" } });
    const jobs = harness.sim.addFailedJobs(CUSTOMER, RECIPE, 20).map((job) => job.id);
    await repeatByCommand(harness, {
      text: `repeat ${CUSTOMER} ${RECIPE} ${jobs.slice(0, 10).join(" ")}`,
      user: ALICE,
      channel: CHANNEL,
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await repeatByCommand(harness, {
      text: `repeat ${CUSTOMER} ${RECIPE} ${jobs.slice(10).join(" ")}`,
      user: BOB,
      channel: CHANNEL,
    });

    const parents = await harness.slack.waitFor(() => {
      const messages = harness.slack.messages(CHANNEL);
      return messages.length === 2 ? messages : undefined;
    });
    const [aliceThread, bobThread] = await Promise.all(
      parents.map((parent) => finishedThread(harness, parent.ts)),
    );
    expect(
      repeatRequests(harness).map((request) => (request.body as { job_ids: string[] }).job_ids.length),
    ).toEqual([20]);
    for (const id of jobs.slice(0, 10)) {
      expect(text(aliceThread ?? [])).toContain(id);
      expect(text(bobThread ?? [])).not.toContain(id);
    }
    for (const id of jobs.slice(10)) expect(text(bobThread ?? [])).toContain(id);
  });
});

describe("/workato-jobs history", () => {
  it("lists this channel's recent repeats privately: who, how many, how they ended", async () => {
    const harness = await start();
    const jobs = harness.sim.addFailedJobs(CUSTOMER, RECIPE, 2).map((job) => job.id);
    await repeatByCommand(harness, {
      text: `repeat ${CUSTOMER} ${RECIPE} ${jobs.join(" ")} j-gone1`,
      user: ALICE,
      channel: CHANNEL,
    });
    const parent = await harness.slack.waitFor(() => harness.slack.messages(CHANNEL)[0]);
    await finishedThread(harness, parent.ts);

    await harness.send.slashCommand({ text: "history", user: BOB, channel: CHANNEL });
    const answer = await harness.slack.waitFor(() => harness.slack.ephemerals(CHANNEL, BOB.id)[0]);
    const shown = JSON.stringify(answer.blocks);
    expect(shown).toContain(`<@${ALICE.id}>`);
    expect(shown).toContain(`3 jobs of ${RECIPE_NAME} (recipe 28904) for 23456`);
    expect(shown).toContain(":outbox_tray: 2 enqueued · :no_entry_sign: 1 refused · :warning: 0 unknown");

    await harness.send.slashCommand({ text: "history", user: BOB, channel: "C0ELSEWHERE" });
    const elsewhere = await harness.slack.waitFor(() => harness.slack.ephemerals("C0ELSEWHERE", BOB.id)[0]);
    expect(elsewhere.text).toContain("No repeats yet");
  });
});

describe("confirming a typed repeat", () => {
  it("repeats nothing until the person confirms, and a second confirmation or someone else's click repeats nothing more", async () => {
    const harness = await start();
    const [job] = harness.sim.addFailedJobs(CUSTOMER, RECIPE, 1);
    await harness.send.slashCommand({
      text: `repeat ${CUSTOMER} ${RECIPE} ${job?.id}`,
      user: ALICE,
      channel: CHANNEL,
    });
    const question = await harness.slack.waitFor(() => harness.slack.ephemerals(CHANNEL, ALICE.id)[0]);
    await harness.app.deps.background.settled();
    expect(repeatRequests(harness)).toEqual([]);
    const confirm = listButtons(question).find((button) => button.text === "Repeat 1 job");
    expect(JSON.stringify(confirm?.confirm)).toContain("Repeat 1 job?");

    // Bob cannot use Alice's confirmation, even with its token.
    await harness.send.forgedAction({
      channel: CHANNEL,
      messageTs: question.ts,
      user: BOB,
      ephemeral: true,
      action: { type: "button", action_id: confirm?.actionId, block_id: "b", value: confirm?.value },
    });
    await harness.app.deps.background.settled();
    expect(repeatRequests(harness)).toEqual([]);

    const click = () =>
      harness.send.click({
        channel: CHANNEL,
        messageTs: question.ts,
        button: { text: "Repeat 1 job" },
        user: ALICE,
      });
    await Promise.all([click(), click()]);
    const parent = await harness.slack.waitFor(() => harness.slack.messages(CHANNEL)[0]);
    await finishedThread(harness, parent.ts);
    await harness.app.deps.background.settled();
    expect(job?.repeatCount).toBe(1);
    expect(harness.slack.messages(CHANNEL)).toHaveLength(1);
  });
});

describe("repeat buttons after paging", () => {
  it("repeats the jobs a redrawn page shows, even though its buttons reuse the earlier page's action ids", async () => {
    const harness = await start({ simulator: { pageSize: 3 } });
    const jobs = harness.sim.addFailedJobs(CUSTOMER, RECIPE, 6);
    const list = await listMessage(harness, `list ${CUSTOMER} ${RECIPE}`);
    await harness.send.click({
      channel: CHANNEL,
      messageTs: list.ts,
      button: { text: "Repeat 3 failed" },
      user: ALICE,
    });
    await finishedThread(harness, list.ts);
    await harness.send.click({
      channel: CHANNEL,
      messageTs: list.ts,
      button: { text: "Older" },
      user: ALICE,
    });
    await harness.slack.waitFor(() =>
      listButtons(harness.slack.message(CHANNEL, list.ts) ?? list).some((b) => b.text === "Repeat 3 failed"),
    );
    await harness.send.click({
      channel: CHANNEL,
      messageTs: list.ts,
      button: { text: "Repeat 3 failed" },
      user: ALICE,
    });
    await harness.slack.waitFor(() => jobs.every((job) => job.repeatCount === 1), { timeoutMs: 15_000 });
    expect(jobs.map((job) => job.repeatCount)).toEqual([1, 1, 1, 1, 1, 1]);
  });
});
