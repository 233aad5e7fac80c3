// End to end: `/workato-jobs repeat … failed since …` over many pages, with Slack's rate limits enforced: exactly
// the eligible jobs are repeated once each, at Workato's limit, every result reaches the thread, and Stop stops.
import { describe, expect, it } from "vitest";
import { ALICE, BOB, CHANNEL, CUSTOMER, type Harness, RECIPE } from "../../sim/app-harness.js";
import { type FakeMessage, listButtons } from "../../sim/fake-slack/index.js";
import { repeatByCommand } from "../../sim/repeat-command.js";
import { isRepeatSummary } from "../../sim/repeat-summary.js";
import type { SimJob } from "../../sim/workato-simulator/index.js";
import { harnessPerTest } from "../support/harness-per-test.js";

const start = harnessPerTest();
const HOUR = 3_600_000;

const repeatRequests = (harness: Harness) =>
  harness.sim.requests.filter((request) => request.endpoint === "repeat");
const sentIds = (harness: Harness) =>
  repeatRequests(harness).flatMap((request) => (request.body as { job_ids: string[] }).job_ids);
const textOf = (messages: FakeMessage[]) =>
  messages.map((message) => `${message.text}\n${JSON.stringify(message.blocks)}`).join("\n");

async function recoveryWorld(count: number, repeated = { succeeded: 0, pending: 0, failed: 0 }) {
  const harness = await start({ simulator: { pageSize: 10 }, slack: { rateLimits: true } });
  const now = Date.now();
  const seeded = harness.sim.seedFailures({
    customer: CUSTOMER,
    recipeId: RECIPE,
    count,
    from: new Date(now - 3 * HOUR),
    to: new Date(now - 60_000),
    repeated,
  });
  const since = now - 2 * HOUR;
  const inRange = (job: SimJob) => job.startedAt.getTime() >= since;
  return { harness, seeded, since, inRange };
}

/** Waits for the thread's summary; returns the thread. */
async function finishedThread(harness: Harness, parentTs: string, timeoutMs = 40_000) {
  return harness.slack.waitFor(
    () => {
      const thread = harness.slack.thread(CHANNEL, parentTs);
      return isRepeatSummary(textOf(thread)) ? thread : undefined;
    },
    { timeoutMs },
  );
}

describe("repeat … failed since", () => {
  it("repeats exactly the eligible failures of 30+ pages once each, 25 at most a second apart, every result in the thread", async () => {
    const { harness, seeded, inRange } = await recoveryWorld(450, { succeeded: 12, pending: 6, failed: 6 });
    const repeatedAlready = new Set(
      seeded.repeats.filter((repeat) => repeat.status !== "failed").map((repeat) => repeat.masterJobId),
    );
    const eligible = seeded.failures.filter((job) => inRange(job) && !repeatedAlready.has(job.id));

    const confirmed = await repeatByCommand(
      { send: harness.send, slack: harness.slack },
      { text: `repeat ${CUSTOMER} ${RECIPE} failed since 2h`, user: ALICE, channel: CHANNEL },
    );
    expect(confirmed.status).toBe(200);
    const failedListings = harness.sim.requests.filter(
      (request) => request.endpoint === "list" && request.query.status === "failed",
    );
    expect(failedListings.length).toBeGreaterThanOrEqual(30);
    const preview = textOf(harness.slack.ephemerals(CHANNEL, ALICE.id));
    expect(preview).toContain("already repeated (left out)");
    expect(preview).toContain(`Repeat ${eligible.length} jobs`);

    const parent = await harness.slack.waitFor(() => harness.slack.messages(CHANNEL)[0]);
    const thread = await finishedThread(harness, parent.ts);

    const ids = sentIds(harness);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(ids)).toEqual(new Set(eligible.map((job) => job.id)));
    const requests = repeatRequests(harness);
    for (const request of requests)
      expect((request.body as { job_ids: string[] }).job_ids.length).toBeLessThanOrEqual(25);
    for (let i = 1; i < requests.length; i++) {
      expect((requests[i]?.at ?? 0) - (requests[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(1000);
    }
    const replies = textOf(thread);
    for (const job of eligible) expect(replies).toContain(job.id);
    expect(replies).toContain(`${eligible.length} enqueued, 0 refused, 0 unknown`);
    // The parent became the progress message and says it finished.
    const progress = textOf([harness.slack.message(CHANNEL, parent.ts) ?? parent]);
    expect(progress).toContain("100%");
    expect(listButtons(harness.slack.message(CHANNEL, parent.ts) ?? parent).map((b) => b.text)).not.toContain(
      "Stop",
    );
  }, 60_000);

  it("loses no result when Slack answers 429 for a while", async () => {
    const { harness, inRange, seeded } = await recoveryWorld(90);
    const eligible = seeded.failures.filter(inRange);
    await repeatByCommand(
      { send: harness.send, slack: harness.slack },
      { text: `repeat ${CUSTOMER} ${RECIPE} failed since 2h`, user: ALICE, channel: CHANNEL },
    );
    const parent = await harness.slack.waitFor(() => harness.slack.messages(CHANNEL)[0]);
    await harness.slack.waitFor(() => repeatRequests(harness).length >= 1);
    // More 429s in a row than @slack/web-api retries (3): the pacer must keep the results and post them later.
    for (let i = 0; i < 6; i++) {
      harness.slack.failNext("chat.postMessage", { error: "ratelimited", status: 429, retryAfterSeconds: 1 });
    }
    const thread = await finishedThread(harness, parent.ts, 60_000);
    expect(harness.logLines.join("\n")).toContain("Slack busy; trying the thread message again");
    const replies = textOf(thread);
    for (const job of eligible) expect(replies).toContain(job.id);
    expect(replies).toContain(`${eligible.length} enqueued, 0 refused, 0 unknown`);
  }, 70_000);

  it("Stop after the second request sends nothing more, names who stopped it, and the same command picks up the rest", async () => {
    const { harness, inRange, seeded } = await recoveryWorld(150);
    const eligible = seeded.failures.filter(inRange);
    await repeatByCommand(
      { send: harness.send, slack: harness.slack },
      { text: `repeat ${CUSTOMER} ${RECIPE} failed since 2h`, user: ALICE, channel: CHANNEL },
    );
    const parent = await harness.slack.waitFor(() => {
      const message = harness.slack.messages(CHANNEL)[0];
      return message && listButtons(message).some((b) => b.text === "Stop") ? message : undefined;
    });
    await harness.slack.waitFor(() => repeatRequests(harness).filter((r) => r.status === 200).length >= 2);
    const current = harness.slack.message(CHANNEL, parent.ts) ?? parent;
    const stop = listButtons(current).find((b) => b.text === "Stop");
    expect(JSON.stringify(stop?.confirm)).toContain("Stop");
    await harness.send.click({ channel: CHANNEL, messageTs: parent.ts, button: { text: "Stop" }, user: BOB });
    const requestsAtStop = repeatRequests(harness).length;

    const thread = await finishedThread(harness, parent.ts);
    // One request may have been on its way when Stop was clicked; none starts after.
    expect(repeatRequests(harness).length).toBeLessThanOrEqual(Math.max(requestsAtStop, 3));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const sent = sentIds(harness);
    expect(repeatRequests(harness).length).toBeLessThanOrEqual(3);
    const notSent = eligible.length - sent.length;
    expect(notSent).toBeGreaterThan(0);
    const replies = textOf(thread);
    expect(replies).toContain(`Stopped* by <@${BOB.id}>: ${notSent} jobs not sent`);
    // The stop shows in the progress message too, and its bar does not claim 100 %.
    const progress = textOf([harness.slack.message(CHANNEL, parent.ts) ?? parent]);
    expect(progress).toContain(`Stopped by <@${BOB.id}>: ${notSent} jobs not sent`);
    expect(progress).not.toContain("100%");

    // The same command later offers exactly what was not sent.
    await repeatByCommand(
      { send: harness.send, slack: harness.slack },
      { text: `repeat ${CUSTOMER} ${RECIPE} failed since 2h`, user: ALICE, channel: CHANNEL },
    );
    const second = await harness.slack.waitFor(() => {
      const messages = harness.slack.messages(CHANNEL);
      return messages.length >= 2 ? messages[messages.length - 1] : undefined;
    });
    await finishedThread(harness, second.ts);
    const all = sentIds(harness);
    expect(new Set(all).size).toBe(all.length);
    expect(new Set(all)).toEqual(new Set(eligible.map((job) => job.id)));
  }, 60_000);

  it("posts exactly one summary, headed requests sent then finished, edited in place as the new jobs end", async () => {
    const { harness, inRange, seeded } = await recoveryWorld(60);
    const eligible = seeded.failures.filter(inRange);
    harness.sim.settleRepeats({ afterMs: 300, outcome: () => "succeeded" });
    await repeatByCommand(
      { send: harness.send, slack: harness.slack },
      { text: `repeat ${CUSTOMER} ${RECIPE} failed since 2h`, user: ALICE, channel: CHANNEL },
    );
    const parent = await harness.slack.waitFor(() => harness.slack.messages(CHANNEL)[0]);
    const summary = await harness.slack.waitFor(
      () =>
        harness.slack
          .thread(CHANNEL, parent.ts)
          .find((reply) => reply.text.startsWith(`Finished: ${eligible.length} succeeded`)),
      { timeoutMs: 40_000 },
    );
    expect(summary.text).toBe(
      `Finished: ${eligible.length} succeeded, 0 failed again (${eligible.length} enqueued, 0 refused, 0 unknown)`,
    );
    expect(summary.replaceCount).toBeGreaterThan(0);
    const thread = harness.slack.thread(CHANNEL, parent.ts);
    expect(thread.filter((reply) => isRepeatSummary(reply.text))).toHaveLength(1);
    // Posted once, saying only what was known then; every later word came by editing it.
    const summariesPosted = harness.slack.calls.filter(
      (call) =>
        call.method === "chat.postMessage" &&
        call.args.thread_ts === parent.ts &&
        isRepeatSummary(String(call.args.text)),
    );
    expect(summariesPosted.map((call) => String(call.args.text))).toEqual([
      `Requests sent: ${eligible.length} enqueued, outcomes pending (${eligible.length} enqueued, 0 refused, 0 unknown)`,
    ]);
    // ✅ means succeeded: no reply before the outcomes shows one for a job that was only enqueued.
    for (const reply of thread.filter((message) => message.ts !== summary.ts))
      expect(textOf([reply])).not.toContain(":white_check_mark:");
    const progress = harness.slack.message(CHANNEL, parent.ts) ?? parent;
    expect(textOf([progress])).toContain(`${":large_green_square:".repeat(10)} *100%*`);
    expect(textOf([progress])).not.toContain("`");
  }, 60_000);

  it("answers a Stop clicked after every request was sent with nothing left to stop, and records no stop", async () => {
    const { harness, inRange, seeded } = await recoveryWorld(40);
    const eligible = seeded.failures.filter(inRange);
    await repeatByCommand(
      { send: harness.send, slack: harness.slack },
      { text: `repeat ${CUSTOMER} ${RECIPE} failed since 2h`, user: ALICE, channel: CHANNEL },
    );
    const parent = await harness.slack.waitFor(() => {
      const message = harness.slack.messages(CHANNEL)[0];
      return message && listButtons(message).some((b) => b.text === "Stop") ? message : undefined;
    });
    // The Stop of the message as someone still sees it, clicked once Workato has every request.
    const stop = listButtons(parent).find((b) => b.text === "Stop");
    await harness.slack.waitFor(() => (sentIds(harness).length === eligible.length ? true : undefined));
    await harness.send.forgedAction({
      channel: CHANNEL,
      messageTs: parent.ts,
      user: BOB,
      action: { type: "button", action_id: stop?.actionId, block_id: stop?.blockId, value: stop?.value },
    });
    const answer = await harness.slack.waitFor(() =>
      harness.slack.calls.find(
        (call) => call.method === "response_url" && String(call.args.text).includes("stop"),
      ),
    );
    expect(String(answer.args.text)).toBe(
      `Nothing left to stop: all ${eligible.length} jobs were sent. The summary in the thread follows them to their outcomes.`,
    );
    const thread = await finishedThread(harness, parent.ts);
    expect(textOf(thread)).not.toContain("Stopped");
    const progress = harness.slack.message(CHANNEL, parent.ts) ?? parent;
    expect(textOf([progress])).not.toContain("Stopped");
    expect(listButtons(progress).map((b) => b.text)).not.toContain("Stop");
    expect(sentIds(harness)).toHaveLength(eligible.length);
  }, 60_000);

  it("confirms a recovery on a recipe with more older repeats than the re-check pages through", async () => {
    const harness = await start({ simulator: { pageSize: 2 } });
    const now = Date.now();
    // An older outage, all repeated: 23 pages of repeats at 2 a page, more than the lineage reader's 20.
    harness.sim.seedFailures({
      customer: CUSTOMER,
      recipeId: RECIPE,
      count: 45,
      from: new Date(now - 6 * HOUR),
      to: new Date(now - 4 * HOUR),
      repeated: { succeeded: 45, pending: 0, failed: 0 },
    });
    const fresh = harness.sim.seedFailures({
      customer: CUSTOMER,
      recipeId: RECIPE,
      count: 3,
      from: new Date(now - HOUR),
      to: new Date(now - 60_000),
    });

    await repeatByCommand(
      { send: harness.send, slack: harness.slack },
      { text: `repeat ${CUSTOMER} ${RECIPE} failed since 2h`, user: ALICE, channel: CHANNEL },
    );
    // The confirmation's re-check reads the repeats back to `since`, not to the end of the listing.
    const parent = await harness.slack.waitFor(() => harness.slack.messages(CHANNEL)[0]);
    await finishedThread(harness, parent.ts);
    expect(new Set(sentIds(harness))).toEqual(new Set(fresh.failures.map((job) => job.id)));
  }, 40_000);

  it("answers a bad since privately with examples and asks Workato nothing", async () => {
    const harness = await start({ slack: { rateLimits: true } });
    for (const when of ["2x", "yesterday-ish", "2999-01-01T00:00Z"]) {
      const seen = harness.slack.ephemerals(CHANNEL, ALICE.id).length;
      await harness.send.slashCommand({
        text: `repeat ${CUSTOMER} ${RECIPE} failed since ${when}`,
        user: ALICE,
        channel: CHANNEL,
      });
      const answer = await harness.slack.waitFor(() => harness.slack.ephemerals(CHANNEL, ALICE.id)[seen]);
      const text = textOf([answer]);
      expect(text).toMatch(when.startsWith("2999") ? /in the future/ : /not a time I can read/);
      expect(text).toContain("since 2h");
      expect(text).toContain("since today");
    }
    expect(
      harness.sim.requests.filter((request) => request.endpoint === "list" || request.endpoint === "repeat"),
    ).toEqual([]);
    expect(harness.slack.messages(CHANNEL)).toEqual([]);
  });
});
