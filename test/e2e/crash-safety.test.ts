// A repeat survives the bot being killed: kill -9 the real process mid-repeat, start it again on the same SQLite
// file, and every job is repeated exactly once, with the thread's summary accounting for all of them.
import { describe, expect, it } from "vitest";
import { CUSTOMER, RECIPE, SIGNING_SECRET } from "../../sim/app-harness.js";
import type { AppProcess } from "../../sim/app-process.js";
import { threadText, typedRepeat } from "../../sim/repeat-thread.js";
import { createSlackRequester } from "../../sim/slack-requests.js";
import type { WorkatoSimulator } from "../../sim/workato-simulator/index.js";
import { type RestartableApp, restartableAppPerTest } from "../support/restartable-app.js";

const JOBS = 200;
const world = restartableAppPerTest();

const repeatRequests = (sim: WorkatoSimulator) =>
  sim.requests.filter((request) => request.endpoint === "repeat");

/**
 * The job ids of the repeat_jobs requests Workato took, one entry per time a job was sent to be run. A 429 is
 * refused on arrival and runs nothing, so its ids are sent again, as they must be: that is not a second send.
 */
const idsWorkatoTook = (sim: WorkatoSimulator) =>
  repeatRequests(sim)
    .filter((request) => request.status !== 429)
    .flatMap((request) => (request.body as { job_ids: string[] }).job_ids);

/** Workato's 1-per-second limit refuses the next repeat_jobs request, as jitter under load can make it. */
const refuseNextRepeat = (sim: WorkatoSimulator) =>
  sim.addFault({
    endpoint: "repeat",
    times: 1,
    effect: { type: "status", status: 429, body: { message: "Too many requests" }, retryAfterSeconds: 1 },
  });

async function killDuringRepeat(
  w: RestartableApp,
  killWhen: (bot: AppProcess) => Promise<void>,
  whileDown?: () => void,
): Promise<{ thread: string; jobs: ReturnType<WorkatoSimulator["addFailedJobs"]>; restartLogs: string }> {
  const jobs = w.sim.addFailedJobs(CUSTOMER, RECIPE, JOBS);
  const bot = await w.startBot();
  const send = createSlackRequester({ appUrl: bot.url, signingSecret: SIGNING_SECRET, fake: w.slack });
  const { thread: replies, finished } = await typedRepeat(
    { send, slack: w.slack },
    jobs.map((job) => job.id),
  );
  await killWhen(bot);
  const restarted = await w.killAndRestart(bot, whileDown);
  await finished();
  const thread = threadText(replies());
  return { thread, jobs, restartLogs: restarted.logLines.join("\n") };
}

describe("a repeat interrupted by kill -9", () => {
  it("resumes between requests and repeats every job exactly once", async () => {
    const w = await world();
    const { thread, jobs } = await killDuringRepeat(w, async () => {
      // Three requests answered, the fourth not yet sent.
      await w.slack.waitFor(
        () => repeatRequests(w.sim).filter((request) => request.status === 200).length === 3,
      );
      await new Promise((resolve) => setTimeout(resolve, 300));
    });
    expect(jobs.map((job) => job.repeatCount)).toEqual(Array(JOBS).fill(1));
    expect(thread).toContain(`${JOBS} enqueued, 0 refused, 0 unknown`);
    expect(thread).toContain("restarted");
  });

  it("reconciles a request that was in flight (processed, unanswered) instead of resending it", async () => {
    const w = await world();
    const { thread, jobs, restartLogs } = await killDuringRepeat(
      w,
      async () => {
        await w.slack.waitFor(() => repeatRequests(w.sim).length === 2);
        // The third request is processed by Workato but never answered.
        w.sim.addFault({
          endpoint: "repeat",
          times: 1,
          afterProcessing: true,
          effect: { type: "hang", ms: 60_000 },
        });
        await w.slack.waitFor(() => repeatRequests(w.sim).length === 3, { timeoutMs: 5000 });
        await new Promise((resolve) => setTimeout(resolve, 200));
      },
      // The restarted bot's first request is refused (429) and sent again: only the hung one must not be.
      () => refuseNextRepeat(w.sim),
    );
    expect(jobs.map((job) => job.repeatCount)).toEqual(Array(JOBS).fill(1));
    expect(thread).toContain(`${JOBS} enqueued, 0 refused, 0 unknown`);
    // Each job went to Workato in exactly one request it took: the 25 of the hung request were not sent again.
    expect(idsWorkatoTook(w.sim).sort()).toEqual(jobs.map((job) => job.id).sort());
    expect(repeatRequests(w.sim).some((request) => request.status === 429)).toBe(true);
    expect(restartLogs).toMatch(/"reconciled":25,"notRun":0/);
  });

  it("resends a request that was in flight but never reached Workato", async () => {
    const w = await world();
    const { thread, jobs, restartLogs } = await killDuringRepeat(w, async () => {
      await w.slack.waitFor(() => repeatRequests(w.sim).length === 2);
      // The third request hangs before Workato does anything with it.
      w.sim.addFault({ endpoint: "repeat", times: 1, effect: { type: "hang", ms: 60_000 } });
      await w.slack.waitFor(() => repeatRequests(w.sim).length === 3, { timeoutMs: 5000 });
      await new Promise((resolve) => setTimeout(resolve, 200));
    });
    expect(jobs.map((job) => job.repeatCount)).toEqual(Array(JOBS).fill(1));
    expect(thread).toContain(`${JOBS} enqueued, 0 refused, 0 unknown`);
    expect(restartLogs).toMatch(/"reconciled":0,"notRun":25/);
  });
});
