// The outcome follower against the real simulator over HTTP and a real SQLite store: every repeat followed to its end.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type Clock, manualClock, systemClock } from "../../src/clock.js";
import { createLineageReader } from "../../src/lineage/lineage-reader.js";
import { createOutcomeFollower } from "../../src/lineage/outcome-follower.js";
import type {
  FailedAgainJob,
  FollowCounts,
  FollowUpEnd,
  OutcomeSink,
} from "../../src/lineage/outcome-sink.js";
import { openSqliteStore } from "../../src/store/sqlite-store.js";
import {
  CUSTOMER,
  type LineageWorld,
  mastersOf,
  newJobIdOf,
  RECIPE,
  repeatByBot,
  setUp,
} from "./lineage-setup.js";

/** What the Slack side would have been told, in order. */
function recordingSink() {
  const calls: (
    | { kind: "progress"; repeatId: number; counts: FollowCounts }
    | { kind: "failedAgain"; repeatId: number; jobs: FailedAgainJob[] }
    | { kind: "finished"; repeatId: number; end: FollowUpEnd }
  )[] = [];
  const sink: OutcomeSink = {
    progress: (repeat, counts) => void calls.push({ kind: "progress", repeatId: repeat.id, counts }),
    failedAgain: (repeat, jobs) => void calls.push({ kind: "failedAgain", repeatId: repeat.id, jobs }),
    finished: (repeat, end) => void calls.push({ kind: "finished", repeatId: repeat.id, end }),
  };
  return { sink, calls };
}

function followerFor(world: LineageWorld, sink: OutcomeSink, clock: Clock = systemClock, limitMs?: number) {
  return createOutcomeFollower({
    workato: world.workato,
    store: world.store,
    sink,
    clock,
    ...(limitMs !== undefined ? { limitMs } : {}),
  });
}

const tempDirs: string[] = [];
afterEach(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("the outcome follower", () => {
  it("follows 10 repeats until 8 succeeded and 2 failed again, tells the sink so and keeps it in the store", async () => {
    const world = await setUp();
    const jobs = world.sim.addFailedJobs(CUSTOMER, RECIPE, 10).map((job) => job.id);
    const { repeatId, results } = await repeatByBot(world, jobs);
    const { sink, calls } = recordingSink();
    const follower = followerFor(world, sink);
    await follower.follow(repeatId);

    await follower.runRound();
    expect(calls).toEqual([
      { kind: "progress", repeatId, counts: { succeeded: 0, failed: 0, running: 10, total: 10 } },
    ]);

    const failing = jobs.slice(3, 5);
    for (const job of jobs) {
      const outcome = failing.includes(job) ? "failed" : "succeeded";
      world.sim.settleRepeat(newJobIdOf(results, job), outcome, { errorMessage: "NetSuite: record locked" });
    }
    const report = await follower.runRound();

    expect(report.following).toBe(0);
    const failedAgain = calls.find((call) => call.kind === "failedAgain");
    expect(failedAgain?.kind === "failedAgain" && failedAgain.jobs.map((job) => job.masterJobId)).toEqual(
      failing,
    );
    expect(failedAgain?.kind === "failedAgain" && failedAgain.jobs[0]?.error).toBe("NetSuite: record locked");
    expect(calls.at(-1)).toEqual({
      kind: "finished",
      repeatId,
      end: {
        counts: { succeeded: 8, failed: 2, running: 0, total: 10 },
        reason: "settled",
        stillRunning: [],
      },
    });

    const stored = world.store.followedJobs(repeatId);
    expect(stored.filter((job) => job.state === "succeeded")).toHaveLength(8);
    expect(stored.filter((job) => job.state === "failed").map((job) => job.masterJobId)).toEqual(failing);
    expect(world.store.followUpOf(repeatId)?.finishReason).toBe("settled");
    expect(world.store.unfinishedFollowUps()).toEqual([]);

    // The next list knows: the 8 are done, the 2 are to be repeated again.
    const reader = createLineageReader({
      workato: world.workato,
      botRepeats: world.store,
      clock: systemClock,
    });
    const handling = await reader.read(world.customer, RECIPE, mastersOf(world, jobs), {
      priority: "interactive",
    });
    expect(jobs.filter((job) => handling(job).kind === "succeeded")).toHaveLength(8);
    expect(jobs.filter((job) => handling(job).kind === "failed_again")).toEqual(failing);
  });

  it("resumes a follow-up after a restart without telling the sink anything twice", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lineage-"));
    tempDirs.push(dir);
    const path = join(dir, "bot.sqlite");
    const world = await setUp({ storePath: path });
    const jobs = world.sim.addFailedJobs(CUSTOMER, RECIPE, 6).map((job) => job.id);
    const { repeatId, results } = await repeatByBot(world, jobs);
    const before = recordingSink();
    const first = followerFor(world, before.sink);
    await first.follow(repeatId);
    world.sim.settleRepeat(newJobIdOf(results, jobs[0] ?? ""), "failed");
    world.sim.settleRepeat(newJobIdOf(results, jobs[1] ?? ""), "succeeded");
    await first.runRound();
    expect(before.calls.map((call) => call.kind)).toEqual(["failedAgain", "progress"]);
    await first.stop();

    // The process dies; a new one opens the same file.
    world.store.close();
    const reopened = { ...world, store: openSqliteStore(path) };
    const after = recordingSink();
    const second = followerFor(reopened, after.sink);
    expect(await second.resumeUnfinished()).toBe(1);
    await second.runRound();
    expect(after.calls).toEqual([]);

    for (const job of jobs.slice(2))
      world.sim.settleRepeat(newJobIdOf(results, job), job === jobs[5] ? "failed" : "succeeded");
    await second.runRound();
    expect(after.calls.map((call) => call.kind)).toEqual(["failedAgain", "finished"]);
    const failedAgain = after.calls[0];
    expect(failedAgain?.kind === "failedAgain" && failedAgain.jobs.map((job) => job.masterJobId)).toEqual([
      jobs[5],
    ]);
    const finished = after.calls[1];
    expect(finished?.kind === "finished" && finished.end.counts).toEqual({
      succeeded: 4,
      failed: 2,
      running: 0,
      total: 6,
    });
    reopened.store.close();
  });

  it("ends the follow-up at the time limit and reports what was still running", async () => {
    const clock = manualClock(Date.parse("2026-03-02T09:00:00Z"));
    const world = await setUp({ clock });
    const jobs = world.sim.addFailedJobs(CUSTOMER, RECIPE, 3).map((job) => job.id);
    const { repeatId, results } = await repeatByBot(world, jobs, { clock });
    const { sink, calls } = recordingSink();
    const follower = followerFor(world, sink, clock);
    await follower.follow(repeatId);
    world.sim.settleRepeat(newJobIdOf(results, jobs[0] ?? ""), "succeeded");

    clock.advance(59 * 60_000);
    await follower.runRound();
    expect(calls.map((call) => call.kind)).toEqual(["progress"]);

    clock.advance(60_000);
    const report = await follower.runRound();

    expect(report.following).toBe(0);
    expect(calls.at(-1)).toEqual({
      kind: "finished",
      repeatId,
      end: {
        counts: { succeeded: 1, failed: 0, running: 2, total: 3 },
        reason: "time_limit",
        stillRunning: jobs.slice(1).map((job) => ({ masterJobId: job, newJobId: newJobIdOf(results, job) })),
      },
    });
    expect(world.store.followUpOf(repeatId)?.finishReason).toBe("time_limit");
  });

  it("runs rounds by itself once started, until the repeat's jobs have settled in Workato", async () => {
    const world = await setUp({ sim: { settleRepeats: { afterMs: 150, outcome: "succeeded" } } });
    const jobs = world.sim.addFailedJobs(CUSTOMER, RECIPE, 12).map((job) => job.id);
    const { repeatId } = await repeatByBot(world, jobs);
    let finished: (end: FollowUpEnd) => void = () => undefined;
    const ended = new Promise<FollowUpEnd>((resolve) => {
      finished = resolve;
    });
    const follower = createOutcomeFollower({
      workato: world.workato,
      store: world.store,
      clock: systemClock,
      minRoundMs: 20,
      getsPerMinute: 6000,
      sink: {
        progress: () => undefined,
        failedAgain: () => undefined,
        finished: (_repeat, end) => finished(end),
      },
    });
    follower.start();
    await follower.follow(repeatId);

    const end = await ended;
    await follower.stop();
    expect(end.counts).toEqual({ succeeded: 12, failed: 0, running: 0, total: 12 });
  });

  it("does not follow jobs whose repeat request failed: they have no new job", async () => {
    const world = await setUp();
    const [job] = world.sim.addFailedJobs(CUSTOMER, RECIPE, 1).map((one) => one.id);
    const { repeatId, results } = await repeatByBot(world, [job ?? "", "j-no-such-job"]);
    expect(results.map((result) => result.outcome)).toEqual(["enqueued", "failed"]);
    const { sink } = recordingSink();
    const follower = followerFor(world, sink);
    await follower.follow(repeatId);

    expect(world.store.followedJobs(repeatId).map((followed) => followed.masterJobId)).toEqual([job]);
  });

  it("reads only the page of the last straggler once the others have settled", async () => {
    const world = await setUp();
    const jobs = world.sim.addFailedJobs(CUSTOMER, RECIPE, 40).map((one) => one.id);
    const { repeatId, results } = await repeatByBot(world, jobs);
    const { sink } = recordingSink();
    const follower = followerFor(world, sink);
    await follower.follow(repeatId);

    // Finding 40 new jobs takes the 8 pages of five they fill.
    expect((await follower.runRound()).gets).toBe(8);
    const straggler = jobs[17] ?? "";
    for (const job of jobs)
      if (job !== straggler) world.sim.settleRepeat(newJobIdOf(results, job), "succeeded");
    expect((await follower.runRound()).gets).toBe(8);
    expect((await follower.runRound()).gets).toBe(1);
    world.sim.settleRepeat(newJobIdOf(results, straggler), "succeeded");
    const last = await follower.runRound();
    expect(last).toEqual({ gets: 1, following: 0 });
  });
});
