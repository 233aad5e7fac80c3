// The watch poller end to end: the Workato simulator over HTTP, the fake Slack behind a real Poster, the SQLite store.
import { describe, expect, it } from "vitest";
import { DEFAULT_FAILURE_MESSAGE } from "../../sim/workato-simulator/job-defaults.js";
import { parsePolicy } from "../../src/access/policy.js";
import { errorSignature } from "../../src/watch/error-signature.js";
import { kindButtons, ON_CALL_BUTTONS } from "../support/alert-fixtures.js";
import {
  buttonLabels,
  CHANNEL,
  CUSTOMER,
  contentOf,
  RECIPE,
  type WatchHarness,
  watchedWithCursor,
  watchHarnessPerTest,
} from "../support/watch-harness.js";

const setUp = watchHarnessPerTest();

const MINUTE = 60_000;
const posts = (harness: WatchHarness) =>
  harness.slack.calls.filter((call) => call.method === "chat.postMessage" && call.ok);

/** A failure whose error differs from the others of its kind only in ids, numbers and a timestamp. */
function timeoutError(n: number): string {
  return `Salesforce: request ${n} timed out after ${3000 + n} ms at 2026-03-01T09:0${n % 10}:00Z (job j-Abc${n}Xyz-q${n})\nRetry later`;
}

describe("watching a recipe", () => {
  it("sets its starting point on the first check and alerts nothing about failures from before", async () => {
    const harness = await setUp();
    const history = harness.sim.addFailedJobs(CUSTOMER, RECIPE, 3);
    const watch = harness.addWatch();

    const outcome = await harness.poller.pollOnce(watch.id);

    expect(outcome).toEqual({ kind: "cursor_set", cursorJobId: history.at(-1)?.id });
    expect(harness.store.watch(watch.id)?.cursorJobId).toBe(history.at(-1)?.id);
    expect(posts(harness)).toHaveLength(0);
  });

  it("alerts a new failure once, and a later check with nothing new posts nothing", async () => {
    const harness = await setUp();
    harness.sim.addFailedJobs(CUSTOMER, RECIPE, 2);
    const watch = await watchedWithCursor(harness);
    const [first, second] = harness.sim.addFailedJobs(CUSTOMER, RECIPE, 2);

    expect(await harness.poller.pollOnce(watch.id)).toMatchObject({
      kind: "checked",
      newFailures: 2,
      alerted: 1,
    });
    harness.clock.now += MINUTE;
    expect(await harness.poller.pollOnce(watch.id)).toMatchObject({
      kind: "checked",
      newFailures: 0,
      alerted: 0,
    });

    const messages = harness.slack.messages(CHANNEL);
    expect(messages).toHaveLength(1);
    const alert = contentOf(messages[0]);
    expect(alert).toContain(first?.id);
    expect(alert).toContain(second?.id);
    expect(alert).toContain("2 new failed jobs");
    expect(alert).toContain("NetSuite: Upsert customer failed: 400 Bad Request");
    expect(buttonLabels(messages[0])).toEqual([...ON_CALL_BUTTONS, ...kindButtons(2)]);
  });

  it("puts two kinds of error in one message, one section each, grouping failures that differ only in ids and numbers", async () => {
    const harness = await setUp();
    const watch = await watchedWithCursor(harness);
    harness.sim.addJob(CUSTOMER, RECIPE, { status: "failed", error: timeoutError(1) });
    harness.sim.addFailedJobs(CUSTOMER, RECIPE, 1);
    harness.sim.addJob(CUSTOMER, RECIPE, { status: "failed", error: timeoutError(7) });

    expect(await harness.poller.pollOnce(watch.id)).toMatchObject({
      kind: "checked",
      newFailures: 3,
      alerted: 2,
    });

    const messages = harness.slack.messages(CHANNEL);
    expect(messages).toHaveLength(1);
    expect(buttonLabels(messages[0])).toEqual([...ON_CALL_BUTTONS, ...kindButtons(2), ...kindButtons(1)]);
    expect(contentOf(messages[0])).toContain("3 new failed jobs");
  });

  it("sends later failures of the same kind within the hour to the alert's thread and updates its count in place", async () => {
    const harness = await setUp();
    const watch = await watchedWithCursor(harness);
    harness.sim.addFailedJobs(CUSTOMER, RECIPE, 2);
    await harness.poller.pollOnce(watch.id);
    const alert = harness.slack.messages(CHANNEL)[0];
    if (!alert) throw new Error("no alert");

    harness.clock.now += 20 * MINUTE;
    const later = harness.sim.addFailedJobs(CUSTOMER, RECIPE, 3);
    expect(await harness.poller.pollOnce(watch.id)).toMatchObject({
      kind: "checked",
      alerted: 0,
      followedUp: 1,
    });

    expect(harness.slack.messages(CHANNEL)).toHaveLength(1);
    const thread = harness.slack.thread(CHANNEL, alert.ts);
    expect(thread).toHaveLength(1);
    for (const job of later) expect(contentOf(thread[0])).toContain(job.id);
    expect(contentOf(thread[0])).toContain("5 of this kind");
    expect(buttonLabels(thread[0])).toEqual(["Details", "Repeat 3 failed"]);
    const updated = harness.slack.message(CHANNEL, alert.ts);
    expect(updated?.replaceCount).toBe(1);
    expect(contentOf(updated)).toContain("5 so far");
    // The headline and its button stay true: every failure of the kind so far, the thread's included (issue 14 §3).
    expect(contentOf(updated)).toContain("5 failed jobs left");
    expect(buttonLabels(updated)).toContain("Repeat 5 failed");
  });

  it("starts a new alert for the same kind once an hour has passed without it", async () => {
    const harness = await setUp();
    const watch = await watchedWithCursor(harness);
    harness.sim.addFailedJobs(CUSTOMER, RECIPE, 1);
    await harness.poller.pollOnce(watch.id);

    harness.clock.now += 61 * MINUTE;
    harness.sim.addFailedJobs(CUSTOMER, RECIPE, 1);
    expect(await harness.poller.pollOnce(watch.id)).toMatchObject({ alerted: 1, followedUp: 0 });
    expect(harness.slack.messages(CHANNEL)).toHaveLength(2);
  });

  it("mentions the watch's people and groups on the first alert of a kind only", async () => {
    const harness = await setUp();
    const watch = await watchedWithCursor(harness, ["<@U0BOB>", "<!subteam^S0ONCALL>"]);
    harness.sim.addFailedJobs(CUSTOMER, RECIPE, 1);
    await harness.poller.pollOnce(watch.id);

    harness.clock.now += 2 * 60 * MINUTE;
    harness.sim.addFailedJobs(CUSTOMER, RECIPE, 1);
    await harness.poller.pollOnce(watch.id);

    harness.clock.now += MINUTE;
    harness.sim.addJob(CUSTOMER, RECIPE, { status: "failed", error: timeoutError(3) });
    await harness.poller.pollOnce(watch.id);

    const [first, again, newKind] = harness.slack.messages(CHANNEL);
    expect(first?.text).toContain("<@U0BOB> <!subteam^S0ONCALL>");
    expect(contentOf(first)).toContain("<@U0BOB> <!subteam^S0ONCALL>");
    expect(contentOf(again)).not.toContain("<@U0BOB>");
    expect(contentOf(newKind)).toContain("<!subteam^S0ONCALL>");
  });

  it("leaves a muted kind of error out until the mute ends, and everything out while the whole watch is muted", async () => {
    const harness = await setUp();
    const watch = await watchedWithCursor(harness);
    const { signature } = errorSignature(DEFAULT_FAILURE_MESSAGE);
    harness.store.setMute(watch.id, signature, harness.clock.now + 60 * MINUTE);

    harness.sim.addFailedJobs(CUSTOMER, RECIPE, 2);
    expect(await harness.poller.pollOnce(watch.id)).toMatchObject({ muted: 2, alerted: 0 });
    harness.sim.addJob(CUSTOMER, RECIPE, { status: "failed", error: timeoutError(2) });
    expect(await harness.poller.pollOnce(watch.id)).toMatchObject({ muted: 0, alerted: 1 });

    harness.store.setMute(watch.id, "*", harness.clock.now + 60 * MINUTE);
    harness.sim.addJob(CUSTOMER, RECIPE, { status: "failed", error: timeoutError(4) });
    expect(await harness.poller.pollOnce(watch.id)).toMatchObject({ muted: 1, alerted: 0, followedUp: 0 });

    harness.clock.now += 61 * MINUTE;
    const afterMute = harness.sim.addFailedJobs(CUSTOMER, RECIPE, 1);
    expect(await harness.poller.pollOnce(watch.id)).toMatchObject({ alerted: 1 });
    const messages = harness.slack.messages(CHANNEL);
    expect(messages).toHaveLength(2);
    expect(contentOf(messages[1])).toContain(afterMute[0]?.id);
  });

  it("pauses a watch after three 403s in a row and tells its channel the API client's role needs jobs access", async () => {
    const harness = await setUp();
    const watch = await watchedWithCursor(harness);
    harness.sim.denyJobsAccess(true);

    expect(await harness.poller.pollOnce(watch.id)).toMatchObject({ kind: "error", code: "auth" });
    expect(await harness.poller.pollOnce(watch.id)).toMatchObject({ kind: "error", code: "auth" });
    const paused = await harness.poller.pollOnce(watch.id);

    expect(paused).toMatchObject({ kind: "paused" });
    expect(harness.store.watch(watch.id)?.pausedReason).toMatch(/role needs Jobs "List" and "Get details"/);
    const notice = harness.slack.messages(CHANNEL)[0];
    expect(contentOf(notice)).toContain("Stopped watching");
    expect(contentOf(notice)).toContain('"List" and "Get details"');
    expect(contentOf(notice)).toContain(`/workato-jobs watch ${CUSTOMER} ${RECIPE}`);
    const requestsWhilePaused = harness.listRequests();
    expect(await harness.poller.pollOnce(watch.id)).toEqual({ kind: "skipped", why: "paused" });
    expect(harness.listRequests()).toBe(requestsWhilePaused);
  });

  it("keeps trying through 5xx answers without pausing, and alerts what failed meanwhile once Workato answers", async () => {
    const harness = await setUp();
    const watch = await watchedWithCursor(harness);
    const failures = harness.sim.addFailedJobs(CUSTOMER, RECIPE, 1);
    // The client retries a GET three times before giving up on a poll.
    harness.sim.addFault({ endpoint: "list", times: 4 * 3, effect: { type: "status", status: 503 } });

    for (let round = 0; round < 3; round++) {
      expect(await harness.poller.pollOnce(watch.id)).toMatchObject({ kind: "error", code: "server_error" });
    }
    expect(harness.store.watch(watch.id)?.pausedReason).toBeNull();
    expect(await harness.poller.pollOnce(watch.id)).toMatchObject({ kind: "checked", alerted: 1 });
    expect(contentOf(harness.slack.messages(CHANNEL)[0])).toContain(failures[0]?.id);
  });

  it("keeps the cursor when Slack refuses the alert, so the next check posts it", async () => {
    const harness = await setUp();
    const watch = await watchedWithCursor(harness);
    const cursor = harness.store.watch(watch.id)?.cursorJobId;
    harness.sim.addFailedJobs(CUSTOMER, RECIPE, 1);
    harness.slack.failNext("chat.postMessage", { error: "internal_error" });

    expect(await harness.poller.pollOnce(watch.id)).toMatchObject({ kind: "error", code: "delivery" });
    expect(harness.store.watch(watch.id)?.cursorJobId).toBe(cursor);
    expect(await harness.poller.pollOnce(watch.id)).toMatchObject({ kind: "checked", alerted: 1 });
    expect(harness.slack.messages(CHANNEL)).toHaveLength(1);
  });

  it("reads a burst of failures across pages, and says so when it is more than five pages", async () => {
    const harness = await setUp({ simulator: { pageSize: 5 } });
    harness.sim.addFailedJobs(CUSTOMER, RECIPE, 1);
    const watch = await watchedWithCursor(harness);
    harness.sim.addFailedJobs(CUSTOMER, RECIPE, 12);
    const before = harness.listRequests();

    expect(await harness.poller.pollOnce(watch.id)).toMatchObject({ newFailures: 12 });
    // 5 + 5 + (2 new, then the cursor)
    expect(harness.listRequests() - before).toBe(3);
    expect(contentOf(harness.slack.messages(CHANNEL)[0])).not.toContain("only the newest are listed");

    harness.clock.now += 2 * 60 * MINUTE;
    harness.sim.addFailedJobs(CUSTOMER, RECIPE, 30);
    expect(await harness.poller.pollOnce(watch.id)).toMatchObject({ newFailures: 25 });
    expect(contentOf(harness.slack.messages(CHANNEL)[1])).toContain("only the newest are listed");
  });
});

describe("where alerts may go", () => {
  it("pauses a watch whose channel may no longer see the customer, without posting anything there", async () => {
    const policy = parsePolicy(
      JSON.stringify({ channels: { [CHANNEL]: { customers: ["99999"] } } }),
      "policy.json",
    );
    const harness = await setUp({ policy });
    const poller = harness.newPoller({
      mayAlert: (watch, customer) =>
        harness.access.canView({ channel: watch.channel, userId: watch.createdBy }, customer),
    });
    const watch = harness.addWatch();
    await poller.pollOnce(watch.id);
    harness.sim.addFailedJobs(CUSTOMER, RECIPE, 1);

    expect(await poller.pollOnce(watch.id)).toMatchObject({ kind: "paused" });
    expect(harness.store.watch(watch.id)?.pausedReason).toContain(`not allowed to see customer ${CUSTOMER}`);
    expect(posts(harness)).toHaveLength(0);
  });

  it("pauses a watch when the bot is not in its channel, and says why in the watch list", async () => {
    const harness = await setUp();
    const watch = await watchedWithCursor(harness);
    harness.slack.setBotInChannel(CHANNEL, false);
    harness.sim.addFailedJobs(CUSTOMER, RECIPE, 1);

    expect(await harness.poller.pollOnce(watch.id)).toMatchObject({ kind: "paused" });
    expect(harness.store.watch(watch.id)?.pausedReason).toContain("not a member of this channel");
  });
});

describe("restarts and crashes", () => {
  it("sends no duplicate alert after a restart and alerts the failures that happened while the bot was down", async () => {
    const harness = await setUp();
    const watch = await watchedWithCursor(harness);
    const before = harness.sim.addFailedJobs(CUSTOMER, RECIPE, 1);
    await harness.poller.pollOnce(watch.id);

    await harness.poller.stop();
    harness.clock.now += 5 * MINUTE;
    const sameKind = harness.sim.addFailedJobs(CUSTOMER, RECIPE, 1);
    const otherKind = harness.sim.addJob(CUSTOMER, RECIPE, { status: "failed", error: timeoutError(5) });
    const poller = harness.restart();

    expect(await poller.pollOnce(watch.id)).toMatchObject({
      kind: "checked",
      newFailures: 2,
      alerted: 1,
      followedUp: 1,
    });
    expect(await poller.pollOnce(watch.id)).toMatchObject({ kind: "checked", newFailures: 0 });

    const [first, second] = harness.slack.messages(CHANNEL);
    expect(harness.slack.messages(CHANNEL)).toHaveLength(2);
    expect(contentOf(first)).toContain(before[0]?.id);
    expect(contentOf(second)).toContain(otherKind.id);
    expect(contentOf(second)).not.toContain(before[0]?.id);
    // The same kind within the hour still goes to the first alert's thread, kept in the store across the restart.
    expect(contentOf(harness.slack.thread(CHANNEL, first?.ts ?? "")[0])).toContain(sameKind[0]?.id);
  });

  it("does not alert twice when the process died after posting but before the cursor moved", async () => {
    const harness = await setUp();
    const watch = await watchedWithCursor(harness);
    harness.sim.addFailedJobs(CUSTOMER, RECIPE, 2);
    const crashingStore = {
      ...harness.asyncStore,
      async updateWatchPoll() {
        throw new Error("the process died here");
      },
    };
    const crashing = harness.newPoller({ store: crashingStore });
    expect(await crashing.pollOnce(watch.id)).toMatchObject({ kind: "error", code: "internal" });
    expect(harness.slack.messages(CHANNEL)).toHaveLength(1);

    const poller = harness.restart();
    expect(await poller.pollOnce(watch.id)).toMatchObject({ kind: "checked", alerted: 0, alreadyAlerted: 2 });
    expect(harness.slack.messages(CHANNEL)).toHaveLength(1);
    expect(harness.slack.thread(CHANNEL, harness.slack.messages(CHANNEL)[0]?.ts ?? "")).toHaveLength(0);
  });
});
