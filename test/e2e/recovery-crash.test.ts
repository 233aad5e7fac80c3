// A recovery survives kill -9: its plan is stored before the first request, so the restarted bot reconciles what
// was in flight and sends the rest, every eligible job exactly once, with its progress message carrying on; results
// still queued for a busy Slack when it died reach the thread after the restart, each once.
import { describe, expect, it } from "vitest";
import { ALICE, CHANNEL, CUSTOMER, RECIPE, SIGNING_SECRET } from "../../sim/app-harness.js";
import { repeatByCommand } from "../../sim/repeat-command.js";
import { isRepeatSummary } from "../../sim/repeat-summary.js";
import { createSlackRequester } from "../../sim/slack-requests.js";
import type { WorkatoSimulator } from "../../sim/workato-simulator/index.js";
import { type RestartableApp, restartableAppPerTest } from "../support/restartable-app.js";

const HOUR = 3_600_000;
const start = restartableAppPerTest();

/** `count` failures over the last three hours; returns those a recovery "since 2h" must repeat. */
function seedFailuresOverThreeHours(sim: WorkatoSimulator, count: number) {
  const now = Date.now();
  const { failures } = sim.seedFailures({
    customer: CUSTOMER,
    recipeId: RECIPE,
    count,
    from: new Date(now - 3 * HOUR),
    to: new Date(now - 60_000),
  });
  return failures.filter((job) => job.startedAt.getTime() >= now - 2 * HOUR);
}

/** Starts the app and has Alice recover the last two hours' failures; returns the app and the recovery's message. */
async function startRecoverySince2h(app: RestartableApp) {
  const bot = await app.startBot();
  const send = createSlackRequester({ appUrl: bot.url, signingSecret: SIGNING_SECRET, fake: app.slack });
  await repeatByCommand(
    { send, slack: app.slack },
    { text: `repeat ${CUSTOMER} ${RECIPE} failed since 2h`, user: ALICE, channel: CHANNEL },
  );
  const parent = await app.slack.waitFor(() => app.slack.messages(CHANNEL)[0]);
  return { bot, parent };
}

describe("a recovery interrupted by kill -9", () => {
  it("posts the results still queued for a busy Slack after the restart, every job's result exactly once", async () => {
    const app = await start({
      sim: { pageSize: 10 },
      slack: { rateLimits: true },
    });
    const { sim, slack, killAndRestart } = app;
    const eligible = seedFailuresOverThreeHours(sim, 120);
    const requests = Math.ceil(eligible.length / 25);
    const repeats = () => sim.requests.filter((request) => request.endpoint === "repeat");
    const resultReplies = (parentTs: string) =>
      slack.thread(CHANNEL, parentTs).filter((reply) => reply.text.startsWith("Jobs "));

    const { bot, parent } = await startRecoverySince2h(app);
    await slack.waitFor(() => resultReplies(parent.ts).length >= 1, { timeoutMs: 15_000 });
    // From here Slack keeps the thread busy (429, Retry-After 100 s) while Workato answers every request.
    slack.enforceRateLimits({ postMessage: { burst: 0, perSecond: 0.01 } });
    await slack.waitFor(() => repeats().length === requests, { timeoutMs: 20_000 });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const postedBeforeCrash = resultReplies(parent.ts).length;
    await killAndRestart(bot, () => slack.enforceRateLimits(true));
    await slack.waitFor(() => slack.thread(CHANNEL, parent.ts).some((reply) => isRepeatSummary(reply.text)), {
      timeoutMs: 40_000,
    });
    expect(repeats()).toHaveLength(requests);
    expect(resultReplies(parent.ts).length).toBeGreaterThan(postedBeforeCrash);
    const lines = resultReplies(parent.ts)
      .map((reply) => JSON.stringify(reply.blocks))
      .join("\n");
    const timesInThread = eligible.map((job) => lines.split(`\`${job.id}\``).length - 1);
    expect(timesInThread).toEqual(Array(eligible.length).fill(1));
  }, 90_000);

  it("resumes with the same reconciliation and repeats every eligible job exactly once", async () => {
    const app = await start({
      sim: { pageSize: 10 },
      slack: { rateLimits: true },
    });
    const { sim, slack, killAndRestart } = app;
    const eligible = seedFailuresOverThreeHours(sim, 180);
    const repeats = () => sim.requests.filter((request) => request.endpoint === "repeat");

    const { bot, parent } = await startRecoverySince2h(app);
    // The third request is processed by Workato but never answered when the bot dies.
    await slack.waitFor(() => repeats().length === 2, { timeoutMs: 15_000 });
    sim.addFault({
      endpoint: "repeat",
      times: 1,
      afterProcessing: true,
      effect: { type: "hang", ms: 60_000 },
    });
    await slack.waitFor(() => repeats().length === 3, { timeoutMs: 5000 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const restarted = await killAndRestart(bot);
    const thread = await slack.waitFor(
      () => {
        const text = slack
          .thread(CHANNEL, parent.ts)
          .map((reply) => `${reply.text}\n${JSON.stringify(reply.blocks)}`)
          .join("\n");
        return isRepeatSummary(text) ? text : undefined;
      },
      { timeoutMs: 40_000 },
    );
    expect(eligible.map((job) => job.repeatCount)).toEqual(Array(eligible.length).fill(1));
    expect(thread).toContain(`${eligible.length} enqueued, 0 refused, 0 unknown`);
    expect(thread).toContain("restarted");
    for (const job of eligible) expect(thread).toContain(job.id);
    expect(restarted.logLines.join("\n")).toMatch(/"reconciled":25,"notRun":0/);
    const progress = JSON.stringify(slack.message(CHANNEL, parent.ts)?.blocks);
    expect(progress).toContain("100%");
  }, 90_000);

  it("edits its one summary after a restart as the new jobs end, never posting a second", async () => {
    const app = await start({ sim: { pageSize: 10 } });
    const { sim, slack, killAndRestart } = app;
    const eligible = seedFailuresOverThreeHours(sim, 40);
    // The new jobs keep running until the bot is gone.
    sim.settleRepeats({ afterMs: 10 * 60_000, outcome: () => "succeeded" });
    const { bot, parent } = await startRecoverySince2h(app);
    const summaryOf = () => slack.thread(CHANNEL, parent.ts).find((reply) => isRepeatSummary(reply.text));
    const before = await slack.waitFor(summaryOf, { timeoutMs: 20_000 });
    expect(before.text).toMatch(/^Requests sent: \d+ enqueued, outcomes pending/);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await killAndRestart(bot, () => sim.settlePendingRepeats());
    const after = await slack.waitFor(
      () => {
        const summary = summaryOf();
        return summary?.text.startsWith("Finished:") ? summary : undefined;
      },
      { timeoutMs: 40_000 },
    );
    expect(after.ts).toBe(before.ts);
    expect(after.text).toBe(
      `Finished: ${eligible.length} succeeded, 0 failed again (${eligible.length} enqueued, 0 refused, 0 unknown)`,
    );
    expect(slack.thread(CHANNEL, parent.ts).filter((reply) => isRepeatSummary(reply.text))).toHaveLength(1);
  }, 90_000);
});
