// A recovery survives kill -9: its plan is stored before the first request, so the restarted bot reconciles what
// was in flight and sends the rest, every eligible job exactly once, with its progress message carrying on; results
// still queued for a busy Slack when it died reach the thread after the restart, each once.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ALICE, CHANNEL, CUSTOMER, RECIPE, SIGNING_SECRET } from "../../sim/app-harness.js";
import { type AppProcess, startAppProcess } from "../../sim/app-process.js";
import { startFakeSlack } from "../../sim/fake-slack/index.js";
import { repeatByCommand } from "../../sim/repeat-command.js";
import { createSlackRequester } from "../../sim/slack-requests.js";
import { startWorkatoSimulator } from "../../sim/workato-simulator/index.js";

const HOUR = 3_600_000;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startBotProcess(dir: string, slackApiUrl: string, sim: { token: string; url: string }) {
  const bot = await startAppProcess({
    SLACK_BOT_TOKEN: "xoxb-test-token",
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slackApiUrl,
    WORKATO_API_TOKEN: sim.token,
    WORKATO_BASE_URL: sim.url,
    SQLITE_PATH: join(dir, "bot.db"),
    REPEAT_COALESCE_MS: "200",
    LOG_LEVEL: "info",
  });
  cleanups.push(() => bot.stop());
  return bot;
}

describe("a recovery interrupted by kill -9", () => {
  it("posts the results still queued for a busy Slack after the restart, every job's result exactly once", async () => {
    const dir = mkdtempSync(join(tmpdir(), "workato-jobs-recovery-queued-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const sim = await startWorkatoSimulator({ pageSize: 10 });
    sim.addCustomer({ id: CUSTOMER });
    sim.addRecipe(CUSTOMER, { id: RECIPE, name: "Orders" });
    const slack = await startFakeSlack({ rateLimits: true });
    cleanups.push(
      () => sim.close(),
      () => slack.close(),
    );
    const now = Date.now();
    const { failures } = sim.seedFailures({
      customer: CUSTOMER,
      recipeId: RECIPE,
      count: 120,
      from: new Date(now - 3 * HOUR),
      to: new Date(now - 60_000),
    });
    const eligible = failures.filter((job) => job.startedAt.getTime() >= now - 2 * HOUR);
    const requests = Math.ceil(eligible.length / 25);
    const repeats = () => sim.requests.filter((request) => request.endpoint === "repeat");
    const resultReplies = (parentTs: string) =>
      slack.thread(CHANNEL, parentTs).filter((reply) => reply.text.startsWith("Jobs "));

    const bot = await startBotProcess(dir, slack.apiUrl, sim);
    const send = createSlackRequester({ appUrl: bot.url, signingSecret: SIGNING_SECRET, fake: slack });
    await repeatByCommand(
      { send, slack },
      { text: `repeat ${CUSTOMER} ${RECIPE} failed since 2h`, user: ALICE, channel: CHANNEL },
    );
    const parent = await slack.waitFor(() => slack.messages(CHANNEL)[0]);
    await slack.waitFor(() => resultReplies(parent.ts).length >= 1, { timeoutMs: 15_000 });
    // From here Slack keeps the thread busy (429, Retry-After 100 s) while Workato answers every request.
    slack.enforceRateLimits({ postMessage: { burst: 0, perSecond: 0.01 } });
    await slack.waitFor(() => repeats().length === requests, { timeoutMs: 20_000 });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const postedBeforeCrash = resultReplies(parent.ts).length;
    bot.child.kill("SIGKILL");
    await bot.stop();

    slack.enforceRateLimits(true);
    await startBotProcess(dir, slack.apiUrl, sim);
    await slack.waitFor(
      () => slack.thread(CHANNEL, parent.ts).some((reply) => reply.text.includes("Repeat finished")),
      { timeoutMs: 40_000 },
    );
    expect(repeats()).toHaveLength(requests);
    expect(resultReplies(parent.ts).length).toBeGreaterThan(postedBeforeCrash);
    const lines = resultReplies(parent.ts)
      .map((reply) => JSON.stringify(reply.blocks))
      .join("\n");
    const timesInThread = eligible.map((job) => lines.split(`\`${job.id}\``).length - 1);
    expect(timesInThread).toEqual(Array(eligible.length).fill(1));
  }, 90_000);

  it("resumes with the same reconciliation and repeats every eligible job exactly once", async () => {
    const dir = mkdtempSync(join(tmpdir(), "workato-jobs-recovery-crash-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const sim = await startWorkatoSimulator({ pageSize: 10 });
    sim.addCustomer({ id: CUSTOMER });
    sim.addRecipe(CUSTOMER, { id: RECIPE, name: "Orders" });
    const slack = await startFakeSlack({ rateLimits: true });
    cleanups.push(
      () => sim.close(),
      () => slack.close(),
    );
    const now = Date.now();
    const { failures } = sim.seedFailures({
      customer: CUSTOMER,
      recipeId: RECIPE,
      count: 180,
      from: new Date(now - 3 * HOUR),
      to: new Date(now - 60_000),
    });
    const eligible = failures.filter((job) => job.startedAt.getTime() >= now - 2 * HOUR);
    const startBot = async (): Promise<AppProcess> => {
      const bot = await startAppProcess({
        SLACK_BOT_TOKEN: "xoxb-test-token",
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: slack.apiUrl,
        WORKATO_API_TOKEN: sim.token,
        WORKATO_BASE_URL: sim.url,
        SQLITE_PATH: join(dir, "bot.db"),
        REPEAT_COALESCE_MS: "200",
        LOG_LEVEL: "info",
      });
      cleanups.push(() => bot.stop());
      return bot;
    };
    const repeats = () => sim.requests.filter((request) => request.endpoint === "repeat");

    const bot = await startBot();
    const send = createSlackRequester({ appUrl: bot.url, signingSecret: SIGNING_SECRET, fake: slack });
    await repeatByCommand(
      { send, slack },
      { text: `repeat ${CUSTOMER} ${RECIPE} failed since 2h`, user: ALICE, channel: CHANNEL },
    );
    const parent = await slack.waitFor(() => slack.messages(CHANNEL)[0]);
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
    bot.child.kill("SIGKILL");
    await bot.stop();

    const restarted = await startBot();
    const thread = await slack.waitFor(
      () => {
        const text = slack
          .thread(CHANNEL, parent.ts)
          .map((reply) => `${reply.text}\n${JSON.stringify(reply.blocks)}`)
          .join("\n");
        return text.includes("Repeat finished") ? text : undefined;
      },
      { timeoutMs: 40_000 },
    );
    expect(eligible.map((job) => job.repeatCount)).toEqual(Array(eligible.length).fill(1));
    expect(thread).toContain(`${eligible.length} enqueued · 0 failed · 0 unknown`);
    expect(thread).toContain("restarted");
    for (const job of eligible) expect(thread).toContain(job.id);
    expect(restarted.logLines.join("\n")).toMatch(/"reconciled":25,"notRun":0/);
    const progress = JSON.stringify(slack.message(CHANNEL, parent.ts)?.blocks);
    expect(progress).toContain("100%");
  }, 90_000);
});
