// Runs one repeat from request to summary, with its durable writes in a fixed order: recorded → marked in flight
// (durably) → sent → results recorded → reported. One function per write, so a store that answers later only needs
// an `await` in front of each; the reporter tells people how it goes and never decides anything.
import type { Logger } from "pino";
import type { Clock } from "../clock.js";
import type { OutcomeFollower } from "../lineage/outcome-follower.js";
import type { MetricsRecorder } from "../metrics/metrics.js";
import type { RecoveryPlanStore } from "../store/recovery-plan-store.js";
import type { AsyncStore, RepeatRecord, RepeatStore } from "../store/store.js";
import type { JobRepeatResult } from "../workato/client.js";
import type { CustomerRef } from "../workato/customer-ref.js";
import type { RepeatClaims } from "./claims.js";
import type { RepeatEnding, RepeatReporter, RepeatStart } from "./repeat-reporter.js";
import type { RepeatScheduler } from "./repeat-scheduler.js";
import type { RunningRepeats } from "./running-repeats.js";
import { type PauseNote, pauseNoteFor, type StoreGate, untilStored } from "./store-pause.js";

type AsyncRepeatStore = Pick<AsyncStore, keyof RepeatStore | keyof RecoveryPlanStore>;

export interface RepeatRunnerDeps {
  store: AsyncRepeatStore;
  scheduler: Pick<RepeatScheduler, "repeat">;
  claims: Pick<RepeatClaims, "release">;
  clock: Clock;
  /** counts Workato's answers per job; absent where a test builds the runner without metrics */
  metrics?: Pick<MetricsRecorder, "repeatJobs">;
  /** where Stop finds the repeats this process sends; without it a repeat cannot be stopped */
  runningRepeats?: RunningRepeats;
  /** follows the new jobs to their end once every request is answered; without it nobody learns their outcomes */
  follower?: Pick<OutcomeFollower, "follow">;
  /**
   * Whether the store can be written: with it, a step that must be on record waits the store out (the repeat is
   * paused) instead of being reported as failed; without it (tests of the runner alone), a failed write is final.
   */
  storeGate?: StoreGate;
}

export interface RepeatRequest extends RepeatStart {
  /** given back if the repeat cannot start, so the person can try again */
  claimKey: string;
  /** a recovery's plan (`repeat … failed since …`), stored with the repeat before anything is sent */
  recovery?: { since: number | null; again: boolean };
}

/** Opens the report, records the repeat, then drives it; nothing is sent unless both of the first two worked. */
export async function startRepeat(
  deps: RepeatRunnerDeps,
  request: RepeatRequest,
  reporter: RepeatReporter,
  log: Logger,
): Promise<void> {
  const record = await openAndRecordRepeat(deps, request, reporter, log);
  if (record) await driveRepeat(deps, record, request.customer, request.jobIds, reporter, log);
}

/**
 * Opens the report and records the repeat, its jobs all waiting; null (and the claim given back) when either failed.
 * With replicas this is all the replica that got the click does: the repeat dispatcher sends it (repeat-dispatcher.ts).
 */
export async function openAndRecordRepeat(
  deps: Pick<RepeatRunnerDeps, "store" | "claims" | "clock">,
  request: RepeatRequest,
  reporter: RepeatReporter,
  log: Logger,
): Promise<RepeatRecord | null> {
  // The report must exist before anything is repeated: results with nowhere to go would be lost.
  const opened = await reporter.opened(request);
  if (!opened.ok) {
    await deps.claims.release(request.claimKey);
    log.warn({ slackError: opened.error }, "repeat not started: cannot post in the channel");
    await reporter.cannotStart({ kind: "cannot_report", error: opened.error });
    return null;
  }
  const record = await recordRepeat(deps, request, opened.threadTs, log);
  if (!record) {
    await deps.claims.release(request.claimKey);
    await reporter.cannotStart({ kind: "cannot_record" });
    return null;
  }
  // Only once the repeat is on record may whatever offered it say so (and lose its button).
  await reporter.recorded(deps.clock.now(), record.id);
  log.info(
    { repeatId: record.id, jobs: request.jobIds.length, recipeId: request.recipeId },
    "repeat recorded",
  );
  return record;
}

/** Sends the given jobs of a recorded repeat, reports each request, then the summary of all of its jobs. */
export async function driveRepeat(
  deps: RepeatRunnerDeps,
  record: RepeatRecord,
  customer: CustomerRef,
  jobIds: string[],
  reporter: RepeatReporter,
  log: Logger,
): Promise<void> {
  // One pause note for the whole drive: however many steps wait for the store, the thread hears it once.
  const note = pauseNoteFor(reporter);
  const stored = <T>(what: string, step: () => Promise<T>) =>
    untilStored(deps.storeGate, note, step, (error) =>
      log.warn({ err: error }, `${what}: the store cannot be reached; the repeat is paused until it can`),
    );
  const stopSignal = deps.runningRepeats?.started(record.id);
  const stopWatch = stopSignal
    ? await stored("watching for Stop", () => watchForStopElsewhere(deps, record))
    : undefined;
  const sentNow = await deps.scheduler.repeat({
    customer,
    recipeId: record.recipeId,
    jobIds,
    ...(stopSignal ? { stopSignal } : {}),
    batchesAlreadyReported: await stored("reading the repeat's replies", () =>
      deps.store.batchesReported(record.id),
    ),
    // The scheduler calls this just before the request leaves, so a crash after it leaves a trace to reconcile.
    onSend: (ids) => markInFlight(deps, record, ids),
    onRetry: (ids) => markWaiting(deps.store, record, ids),
    onPaused: () => void note.paused(),
    onResumed: () => void note.resumed(),
    onBatch: async (results, batchNumber) => {
      await recordResults(deps, record, results, batchNumber, note, log);
      await reporter.batch(results, batchNumber);
    },
  });
  clearInterval(stopWatch);
  deps.runningRepeats?.finished(record.id);
  // Follow-ups of outcomes may start from here: the last request of this repeat has been answered.
  const results = await stored("reading the repeat's results", () =>
    everyResult(deps.store, record, sentNow),
  );
  const ending = await stored("reading how the repeat ended", () => endingOf(deps.store, record, results));
  await reporter.summary(results, ending);
  await stored("finishing the repeat", () => finishRepeat(deps, record));
  await followOutcomes(deps, record, log);
  log.info(
    {
      repeatId: record.id,
      enqueued: results.filter((result) => result.outcome === "enqueued").length,
      failed: results.filter((result) => result.outcome === "failed").length,
      unknown: results.filter((result) => result.outcome === "unknown").length,
    },
    "repeat finished",
  );
}

/** With replicas, Stop may be clicked on another one: it is in the store within a poll. Recoveries only. */
async function watchForStopElsewhere(
  deps: RepeatRunnerDeps,
  record: RepeatRecord,
): Promise<NodeJS.Timeout | undefined> {
  if (!(await deps.store.recoveryPlan(record.id))) return undefined;
  const timer = setInterval(() => {
    deps.store.recoveryPlan(record.id).then(
      (plan) => {
        if (plan?.stoppedBy) deps.runningRepeats?.stop(record.id);
      },
      () => {},
    );
  }, STOP_POLL_MS);
  timer.unref();
  return timer;
}

const STOP_POLL_MS = 500;

/** Jobs left waiting are the ones Stop kept from being sent; the plan says who stopped it. */
async function endingOf(
  store: AsyncRepeatStore,
  record: RepeatRecord,
  results: readonly JobRepeatResult[],
): Promise<RepeatEnding> {
  const plan = await store.recoveryPlan(record.id);
  const total = (await store.repeatJobs(record.id)).length;
  return { notSent: Math.max(0, total - results.length), stoppedBy: plan?.stoppedBy ?? null };
}

// ── The durable writes, in the order they happen ───────────────────────────────────────────────────────────────

/** 1. Recorded, with the thread it reports in, before anything is sent: a crash from here on resumes there. */
async function recordRepeat(
  deps: Pick<RepeatRunnerDeps, "store" | "clock">,
  request: RepeatRequest,
  threadTs: string,
  log: Logger,
): Promise<RepeatRecord | null> {
  try {
    const record = await deps.store.createRepeat(
      {
        userId: request.userId,
        channel: request.channel,
        threadTs,
        customer: request.customer.display,
        recipeId: request.recipeId,
      },
      request.jobIds,
      deps.clock.now(),
    );
    // 1b. A recovery's plan, before anything is sent: a restart resumes it as a recovery (or keeps it stopped).
    if (request.recovery) await deps.store.saveRecoveryPlan(record.id, request.recovery);
    return record;
  } catch (error) {
    log.error({ err: error }, "repeat not started: could not record it");
    return null;
  }
}

/** 2. Marked in flight, durably; a rejection here cancels the request (see RepeatDemand.onSend). */
async function markInFlight(deps: RepeatRunnerDeps, record: RepeatRecord, jobIds: string[]): Promise<void> {
  await deps.store.markInFlight(items(record, jobIds), deps.clock.now());
}

/** A request that certainly did not run: its jobs wait again, and are sent after a restart too. */
async function markWaiting(store: AsyncRepeatStore, record: RepeatRecord, jobIds: string[]): Promise<void> {
  await store.markWaiting(items(record, jobIds));
}

/**
 * 4. Results recorded before the thread hears them: while the store is out they wait here (the repeat is paused), so
 * a result is stated only once it is on record, and a crash meanwhile reconciles it instead of contradicting it. Any
 * other failure still lets the thread hear them (the summary uses them regardless).
 */
async function recordResults(
  deps: RepeatRunnerDeps,
  record: RepeatRecord,
  results: readonly JobRepeatResult[],
  batchNumber: number,
  note: PauseNote,
  log: Logger,
): Promise<void> {
  for (const outcome of ["enqueued", "failed", "unknown"] as const) {
    const n = results.filter((result) => result.outcome === outcome).length;
    if (n > 0) deps.metrics?.repeatJobs(outcome, n);
  }
  try {
    await untilStored(
      deps.storeGate,
      note,
      () => deps.store.recordResults(record.id, results, batchNumber),
      (error) =>
        log.warn({ err: error, batchNumber }, "results held until the store can record them; repeat paused"),
    );
  } catch (error) {
    log.error({ err: error, batchNumber }, "could not record a repeat batch's results");
  }
}

/** 6. Followed: after the summary exists, so the follow-up has a message to edit as outcomes arrive. */
async function followOutcomes(deps: RepeatRunnerDeps, record: RepeatRecord, log: Logger): Promise<void> {
  try {
    await deps.follower?.follow(record.id);
  } catch (error) {
    // The repeat itself is done and on record; a restart's resumeUnfinished() cannot find it, so say so loudly.
    log.error({ err: error, repeatId: record.id }, "could not start following a repeat's outcomes");
  }
}

async function finishRepeat(deps: RepeatRunnerDeps, record: RepeatRecord): Promise<void> {
  await deps.store.finishRepeat(record.id, deps.clock.now());
}

/** Every job of the repeat: those settled before a restart come from the store, the rest from this run. */
async function everyResult(
  store: AsyncRepeatStore,
  record: RepeatRecord,
  sentNow: readonly JobRepeatResult[],
): Promise<JobRepeatResult[]> {
  const now = new Map(sentNow.map((result) => [result.jobId, result]));
  return (await store.repeatJobs(record.id)).flatMap((job) => {
    const result = now.get(job.jobId) ?? (job.status.state === "done" ? job.status.result : undefined);
    return result ? [result] : [];
  });
}

function items(record: RepeatRecord, jobIds: readonly string[]) {
  return jobIds.map((jobId) => ({ repeatId: record.id, jobId }));
}
