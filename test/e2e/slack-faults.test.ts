// Slack failing, end to end: the real app against a fake Slack whose chat.postMessage answers HTTP 500, then drops
// every connection, for a while in the middle of a repeat. Results are delayed, never lost, never posted twice.
import { describe, expect, it } from "vitest";
import { CUSTOMER, RECIPE, SIGNING_SECRET } from "../../sim/app-harness.js";
import { isRepeatSummary } from "../../sim/repeat-summary.js";
import {
  outcomesByJob,
  repeatPosts,
  resultsByReply,
  threadText,
  typedRepeat,
} from "../../sim/repeat-thread.js";
import { createSlackRequester } from "../../sim/slack-requests.js";
import { harnessPerTest } from "../support/harness-per-test.js";
import { restartableAppPerTest } from "../support/restartable-app.js";

const start = harnessPerTest();
const world = restartableAppPerTest();
const OUTAGE_PHASE_MS = 4000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("a Slack that fails while a repeat reports", () => {
  it("posts every result of a 100-job repeat once and in order after 500s and refused connections", async () => {
    const harness = await start();
    const jobs = harness.sim.addFailedJobs(CUSTOMER, RECIPE, 100);
    const { thread, finished: summarised } = await typedRepeat(
      harness,
      jobs.map((job) => job.id),
    );
    await harness.slack.waitFor(() => thread().some((reply) => reply.text.startsWith("Request 1:")));

    harness.slack.failWhile("chat.postMessage", { error: "internal_error", status: 500 });
    await sleep(OUTAGE_PHASE_MS);
    harness.slack.failWhile("chat.postMessage", { error: "connection_refused", dropConnection: true });
    await sleep(OUTAGE_PHASE_MS);
    // Workato was asked about everything meanwhile: Slack never holds the requests up.
    expect(jobs.map((job) => job.repeatCount)).toEqual(Array(100).fill(1));
    expect(thread().filter((reply) => reply.text.startsWith("Request"))).toHaveLength(1);
    harness.slack.failWhile("chat.postMessage", null);

    const finished = await summarised();
    const requests = finished.filter((reply) => /^Request \d+:/.test(reply.text));
    expect(requests.map((reply) => reply.text.match(/^Request (\d+):/)?.[1])).toEqual(["1", "2", "3", "4"]);
    // Each job's result once, in the reply of the request that carried it.
    const sent = repeatPosts(harness).map((request) => (request.body as { job_ids: string[] }).job_ids);
    expect(resultsByReply(finished)).toEqual(sent);
    expect(jobs.map((job) => job.repeatCount)).toEqual(Array(100).fill(1));
    expect(threadText(finished)).toMatch(/100 enqueued, 0 refused, 0 unknown/);
    // The summary comes last, once.
    expect(finished.filter((reply) => isRepeatSummary(threadText([reply])))).toHaveLength(1);
    expect(isRepeatSummary(threadText(finished.slice(-1)))).toBe(true);
  }, 60_000);

  it("posts after a restart the results Slack never took before the bot was killed, each once", async () => {
    const w = await world();
    const jobs = w.sim.addFailedJobs(CUSTOMER, RECIPE, 100);
    const bot = await w.startBot();
    const send = createSlackRequester({ appUrl: bot.url, signingSecret: SIGNING_SECRET, fake: w.slack });
    const { thread, finished: summarised } = await typedRepeat(
      { send, slack: w.slack },
      jobs.map((job) => job.id),
    );
    await w.slack.waitFor(() => thread().some((reply) => reply.text.startsWith("Request 1:")));
    w.slack.failWhile("chat.postMessage", { error: "internal_error", status: 500 });
    // Every request answered and recorded, three of its four replies never taken by Slack.
    await w.slack.waitFor(() => jobs.every((job) => job.repeatCount === 1));
    await sleep(500);

    await w.killAndRestart(bot, () => w.slack.failWhile("chat.postMessage", null));
    const finished = await summarised();
    const stated = outcomesByJob(finished);
    expect(jobs.map((job) => stated.get(job.id))).toEqual(Array(100).fill(["enqueued"]));
    expect(jobs.map((job) => job.repeatCount)).toEqual(Array(100).fill(1));
    expect(threadText(finished)).toMatch(/100 enqueued, 0 refused, 0 unknown/);
  }, 60_000);
});
