// Benchmark: faults the bot does not expect, in sequence, each against the real app over HTTP (Workato simulator, fake
// Slack): the store refusing every write for 15 s in the middle of a 200-job repeat (a fault injected in the store
// seam, as a full disk or a stopped database), then Slack's chat.postMessage failing for 60 s (HTTP 500, then refused
// connections) in the middle of a 100-job repeat. For each: jobs POSTed to Workato 0/1/2+ times, results missing,
// duplicated or contradicting in the thread, whether the summary's counts are true, and the time to recover after
// the fault ends (wall clock) (to the next request sent, and to the summary).
// Usage: npm run bench:faults [-- STORE_FAULT_SECONDS SLACK_FAULT_SECONDS]   (default 15 60)
import { CUSTOMER, type Harness, RECIPE, startHarness } from "../sim/app-harness.js";
import { isRepeatSummary } from "../sim/repeat-summary.js";
import { outcomesByJob, repeatPosts, threadText, typedRepeat } from "../sim/repeat-thread.js";
import { asyncSqliteStore } from "../src/store/async-sqlite.js";
import { openSqliteStore } from "../src/store/sqlite-store.js";
import { faultyStore } from "../test/support/faulty-store.js";

const storeFaultMs = Number(process.argv[2] ?? 15) * 1000;
const slackFaultMs = Number(process.argv[3] ?? 60) * 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Run {
  harness: Harness;
  jobs: { id: string; repeatCount: number }[];
  thread: Awaited<ReturnType<typeof typedRepeat>>;
}

async function startRun(jobCount: number, harness: Harness): Promise<Run> {
  const jobs = harness.sim.addFailedJobs(CUSTOMER, RECIPE, jobCount);
  const thread = await typedRepeat(
    harness,
    jobs.map((job) => job.id),
  );
  return { harness, jobs, thread };
}

/** Waits for the summary, then prints what became of every job, and how long recovery took after `faultEndedAt`. */
async function report(name: string, run: Run, faultEndedAt: number): Promise<void> {
  const { harness, jobs } = run;
  const finished = await harness.slack.waitFor(
    () => {
      const thread = run.thread.thread();
      return isRepeatSummary(threadText(thread)) ? thread : undefined;
    },
    { timeoutMs: 180_000 },
  );
  const summaryMs = performance.now() - faultEndedAt;
  const firstPostAfter = repeatPosts(harness).find(
    (request) => request.at >= performance.timeOrigin + faultEndedAt,
  );
  const posted = new Map<string, number>();
  for (const request of repeatPosts(harness))
    for (const id of (request.body as { job_ids: string[] }).job_ids)
      posted.set(id, (posted.get(id) ?? 0) + 1);
  const times = (n: number) => jobs.filter((job) => Math.min(posted.get(job.id) ?? 0, 2) === n).length;
  const stated = outcomesByJob(finished);
  const statedOf = (job: { id: string }) => stated.get(job.id) ?? [];
  const missing = jobs.filter((job) => statedOf(job).length === 0).length;
  const duplicated = jobs.filter((job) => statedOf(job).length > 1).length;
  const contradicting = jobs.filter((job) => new Set(statedOf(job)).size > 1).length;
  const count = (outcome: string) => jobs.filter((job) => statedOf(job).at(-1) === outcome).length;
  const tally = `${count("enqueued")} enqueued, ${count("refused")} refused, ${count("unknown")} unknown`;
  const summaryTrue = threadText(finished).includes(tally);
  const text = threadText(finished);
  console.log(`\n${name} (${jobs.length} jobs)`);
  console.log(`  jobs POSTed 0 / 1 / 2+ times:           ${times(0)} / ${times(1)} / ${times(2)}`);
  console.log(
    `  results missing / duplicated / contradicting: ${missing} / ${duplicated} / ${contradicting}`,
  );
  console.log(`  summary true (${tally}):  ${summaryTrue ? "yes" : "NO"}`);
  console.log(
    `  "could not record" lines: ${(text.match(/could not record/g) ?? []).length}, "restarted" notes: ${(text.match(/restarted/gi) ?? []).length}`,
  );
  console.log(
    `  recovery after the fault ended: next request ${
      firstPostAfter
        ? `${Math.round(firstPostAfter.at - performance.timeOrigin - faultEndedAt)} ms`
        : "none needed"
    }, summary in the thread ${Math.round(summaryMs)} ms`,
  );
}

// 1. The store refuses every write for a while, from the third request on.
{
  const faults = faultyStore(asyncSqliteStore(openSqliteStore(":memory:")));
  const harness = await startHarness({ store: faults.store, storeCheckMs: 250, env: { LOG_LEVEL: "warn" } });
  try {
    const run = await startRun(200, harness);
    await harness.slack.waitFor(() => repeatPosts(harness).length >= 2, { timeoutMs: 30_000 });
    faults.failWrites(true);
    await sleep(storeFaultMs);
    faults.failWrites(false);
    await report(`Store refuses writes for ${storeFaultMs / 1000} s mid-repeat`, run, performance.now());
  } finally {
    await harness.close();
  }
}

// 2. Slack's chat.postMessage answers 500 for half the outage, then refuses connections, from the second reply on.
{
  const harness = await startHarness({ env: { LOG_LEVEL: "warn" } });
  try {
    const run = await startRun(100, harness);
    await harness.slack.waitFor(() =>
      run.thread.thread().some((reply) => reply.text.startsWith("Request 1:")),
    );
    harness.slack.failWhile("chat.postMessage", { error: "internal_error", status: 500 });
    await sleep(slackFaultMs / 2);
    harness.slack.failWhile("chat.postMessage", { error: "connection_refused", dropConnection: true });
    await sleep(slackFaultMs / 2);
    harness.slack.failWhile("chat.postMessage", null);
    await report(
      `Slack chat.postMessage fails for ${slackFaultMs / 1000} s mid-repeat`,
      run,
      performance.now(),
    );
  } finally {
    await harness.close();
  }
}
