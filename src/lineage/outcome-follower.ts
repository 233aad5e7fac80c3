// Follows each repeat's new jobs to their end at background priority: reads rerun_only pages in rounds spaced by
// what they cost, records every outcome durably, then tells the OutcomeSink only what it has not been told yet.
import type { Logger } from "pino";
import type { Clock } from "../clock.js";
import type {
  FollowCounts,
  FollowedJobRecord,
  FollowedOutcome,
  FollowUpRecord,
} from "../store/follow-up-store.js";
import type { ViewChanges } from "../views/redrawer.js";
import type { WorkatoClient } from "../workato/client.js";
import { type CustomerRef, parseCustomerRef } from "../workato/customer-ref.js";
import { WorkatoApiError } from "../workato/errors.js";
import type { JobSummary } from "../workato/schemas.js";
import { createListingPlaces, type ListingPlaces, readFollowedJobs } from "./followed-pages.js";
import { errorOf, repeatStateOf, timeOf } from "./listed-repeat.js";
import type { OutcomeSink } from "./outcome-sink.js";
import type { FollowUpPersistence } from "./store-seams.js";

export interface OutcomeFollowerOptions {
  workato: Pick<WorkatoClient, "listJobs">;
  store: FollowUpPersistence;
  sink: OutcomeSink;
  /**
   * Told as soon as the bot knows more of a repeat's jobs (sent, then each outcome), so the alerts showing them are
   * redrawn then, not at the next re-check round.
   */
  views?: ViewChanges;
  clock: Clock;
  logger?: Logger;
  /** a follow-up ends this long after the repeat was first sent; default 1 h */
  limitMs?: number;
  /** GETs per minute follow-ups may average, all repeats together; default 100 (a tenth of Workato's budget) */
  getsPerMinute?: number;
  /** shortest pause between rounds, which bounds how late an outcome is reported; default 3 s */
  minRoundMs?: number;
  /** longest pause between rounds; default 60 s */
  maxRoundMs?: number;
  /** pages one recipe may cost in one round; default 40 */
  maxPagesPerRound?: number;
  /** Workato's clock against ours; default 2 min */
  clockSkewMs?: number;
}

export interface RoundReport {
  gets: number;
  /** follow-ups still under way after the round */
  following: number;
}

export interface OutcomeFollower {
  /** Starts following a repeat whose requests were sent (again after more were sent: it adds the new jobs). */
  follow(repeatId: number): Promise<void>;
  /** After a restart: takes up every follow-up the store says was under way; returns how many. */
  resumeUnfinished(): Promise<number>;
  /** One round now (tests and benchmarks drive it; start() runs rounds by itself). */
  runRound(): Promise<RoundReport>;
  /** Runs rounds while anything is followed, each pause as long as the last round's GETs are worth. */
  start(): void;
  stop(): Promise<void>;
}

export const DEFAULT_FOLLOW_LIMIT_MS = 60 * 60_000;

export function createOutcomeFollower(options: OutcomeFollowerOptions): OutcomeFollower {
  const { workato, store, sink, clock, logger } = options;
  const limitMs = options.limitMs ?? DEFAULT_FOLLOW_LIMIT_MS;
  const msPerGet = 60_000 / (options.getsPerMinute ?? 100);
  const minRoundMs = options.minRoundMs ?? 3_000;
  const maxRoundMs = options.maxRoundMs ?? 60_000;
  const readLimits = {
    maxPages: options.maxPagesPerRound ?? 40,
    clockSkewMs: options.clockSkewMs ?? 120_000,
  };

  const following = new Map<number, FollowUpRecord>();
  const placesByRecipe = new Map<string, ListingPlaces>();
  let round: Promise<RoundReport> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let running = false;

  async function take(followUp: FollowUpRecord | undefined): Promise<void> {
    if (!followUp || followUp.finishedAt !== null) return;
    if (followUp.counts.total === 0) {
      // Every request of this repeat failed or went unanswered: no new job to follow, nothing to report.
      await store.finishFollowUp(followUp.repeat.id, clock.now(), "settled");
      return;
    }
    following.set(followUp.repeat.id, followUp);
    if (running && timer === null && round === null) schedule(minRoundMs);
  }

  function schedule(delayMs: number): void {
    if (!running || timer !== null) return;
    timer = setTimeout(() => {
      timer = null;
      runRound()
        .then((report) => {
          if (report.following > 0) schedule(pauseAfter(report.gets));
        })
        .catch((error: unknown) => {
          logger?.error({ err: error }, "follow-up round failed");
          schedule(maxRoundMs);
        });
    }, delayMs);
  }

  function pauseAfter(gets: number): number {
    return Math.min(maxRoundMs, Math.max(minRoundMs, gets * msPerGet));
  }

  async function runRound(): Promise<RoundReport> {
    if (round) return round;
    round = roundOnce().finally(() => {
      round = null;
    });
    return round;
  }

  async function roundOnce(): Promise<RoundReport> {
    let gets = 0;
    const byRecipe = new Map<string, FollowUpRecord[]>();
    for (const followUp of following.values()) {
      const key = `${followUp.repeat.customer}/${followUp.repeat.recipeId}`;
      byRecipe.set(key, [...(byRecipe.get(key) ?? []), followUp]);
    }
    for (const [key, followUps] of byRecipe) {
      gets += await followRecipe(key, followUps);
    }
    for (const key of placesByRecipe.keys()) if (!byRecipe.has(key)) placesByRecipe.delete(key);
    return { gets, following: following.size };
  }

  /** One recipe's follow-ups: one reading of the listing for all of them, then each repeat's report. */
  async function followRecipe(key: string, followUps: readonly FollowUpRecord[]): Promise<number> {
    const first = followUps[0];
    if (!first) return 0;
    const jobsByRepeat = new Map<number, FollowedJobRecord[]>();
    for (const followUp of followUps) {
      jobsByRepeat.set(followUp.repeat.id, await store.followedJobs(followUp.repeat.id));
    }
    const targets = [...jobsByRepeat.values()].flat().filter((job) => job.state === "running");
    const customer = parseCustomerRef(first.repeat.customer);
    let seen = new Map<string, JobSummary>();
    let gets = 0;
    if (targets.length > 0 && customer.ok) {
      const places = placesByRecipe.get(key) ?? createListingPlaces();
      placesByRecipe.set(key, places);
      try {
        const read = await readFollowedJobs(
          rerunPages(customer.ref, first.repeat.recipeId),
          targets,
          places,
          readLimits,
        );
        ({ seen, gets } = read);
      } catch (error) {
        if (!(error instanceof WorkatoApiError)) throw error;
        // Outcomes wait for the next round; the time limit still applies below.
        logger?.warn(
          { code: error.code, recipeId: first.repeat.recipeId },
          "follow-up could not read repeats",
        );
      }
    }
    const now = clock.now();
    for (const followUp of followUps) {
      const jobs = jobsByRepeat.get(followUp.repeat.id) ?? [];
      const settled = settledNow(jobs, seen, now);
      if (settled.length > 0) {
        await store.recordFollowedOutcomes(followUp.repeat.id, settled);
        const settledIds = new Set(settled.map((outcome) => outcome.newJobId));
        viewsShow(
          followUp,
          jobs.filter((job) => settledIds.has(job.newJobId)),
        );
      }
      try {
        await report(followUp, applyOutcomes(jobs, settled), now);
      } catch (error) {
        logger?.error(
          { err: error, repeatId: followUp.repeat.id },
          "follow-up report failed; retried next round",
        );
      }
    }
    return gets;
  }

  /** The views showing these jobs' masters are redrawn from what the store now says. */
  function viewsShow(followUp: FollowUpRecord, jobs: readonly FollowedJobRecord[]): void {
    if (jobs.length === 0) return;
    options.views?.changed({
      kind: "jobs",
      customer: followUp.repeat.customer,
      recipeId: followUp.repeat.recipeId,
      masterJobIds: [...new Set(jobs.map((job) => job.masterJobId))],
    });
  }

  function rerunPages(customer: CustomerRef, recipeId: number) {
    return async (offsetJobId: string | undefined) => {
      const page = await workato.listJobs(
        customer,
        recipeId,
        { rerunOnly: true, ...(offsetJobId !== undefined ? { offsetJobId } : {}) },
        { priority: "background" },
      );
      return page.items;
    };
  }

  /** Tells the sink what changed, each step recorded once the sink has taken it. */
  async function report(
    followUp: FollowUpRecord,
    jobs: readonly FollowedJobRecord[],
    now: number,
  ): Promise<void> {
    const repeat = followUp.repeat;
    const counts = countsOf(jobs);
    const newlyFailed = jobs.filter((job) => job.state === "failed" && !job.reported);
    if (newlyFailed.length > 0) {
      await sink.failedAgain(
        repeat,
        newlyFailed.map((job) => ({
          masterJobId: job.masterJobId,
          newJobId: job.newJobId,
          error: job.error,
          completedAt: job.completedAt,
        })),
      );
      await store.markFailedAgainReported(
        repeat.id,
        newlyFailed.map((job) => job.newJobId),
      );
    }
    const timedOut = now >= followUp.startedAt + limitMs;
    if (counts.running === 0 || timedOut) {
      const reason = counts.running === 0 ? "settled" : "time_limit";
      const stillRunning = jobs
        .filter((job) => job.state === "running")
        .map((job) => ({ masterJobId: job.masterJobId, newJobId: job.newJobId }));
      await sink.finished(repeat, { counts, reason, stillRunning });
      await store.finishFollowUp(repeat.id, now, reason);
      following.delete(repeat.id);
      return;
    }
    if (!sameCounts(counts, followUp.reportedCounts)) {
      await sink.progress(repeat, counts);
      await store.saveReportedCounts(repeat.id, counts);
      followUp.reportedCounts = counts;
    }
  }

  return {
    async follow(repeatId) {
      const followUp = await store.startFollowUp(repeatId, clock.now());
      await take(followUp);
      // Sent: its jobs' repeats run, so the alerts showing them no longer offer Repeat.
      if (followUp && followUp.finishedAt === null)
        viewsShow(followUp, await store.followedJobs(followUp.repeat.id));
    },

    async resumeUnfinished() {
      const unfinished = await store.unfinishedFollowUps();
      for (const followUp of unfinished) await take(followUp);
      return following.size;
    },

    runRound,

    start() {
      running = true;
      if (following.size > 0) schedule(0);
    },

    async stop() {
      running = false;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      await round?.catch(() => undefined);
    },
  };
}

/** The jobs this round saw finish, with what Workato said of them. */
function settledNow(
  jobs: readonly FollowedJobRecord[],
  seen: ReadonlyMap<string, JobSummary>,
  now: number,
): FollowedOutcome[] {
  const settled: FollowedOutcome[] = [];
  for (const job of jobs) {
    const listed = job.state === "running" ? seen.get(job.newJobId) : undefined;
    if (!listed) continue;
    const state = repeatStateOf(listed.status);
    if (state === "running") continue;
    settled.push({
      newJobId: job.newJobId,
      state,
      error: errorOf(listed),
      completedAt: timeOf(listed.completed_at),
      settledAt: now,
    });
  }
  return settled;
}

function applyOutcomes(
  jobs: readonly FollowedJobRecord[],
  settled: readonly FollowedOutcome[],
): FollowedJobRecord[] {
  const byJob = new Map(settled.map((outcome) => [outcome.newJobId, outcome]));
  return jobs.map((job) => {
    const outcome = byJob.get(job.newJobId);
    return outcome ? { ...job, ...outcome } : job;
  });
}

function countsOf(jobs: readonly FollowedJobRecord[]): FollowCounts {
  const counts: FollowCounts = { succeeded: 0, failed: 0, running: 0, total: jobs.length };
  for (const job of jobs) counts[job.state]++;
  return counts;
}

function sameCounts(a: FollowCounts, b: FollowCounts | null): boolean {
  return (
    b !== null &&
    a.succeeded === b.succeeded &&
    a.failed === b.failed &&
    a.running === b.running &&
    a.total === b.total
  );
}
