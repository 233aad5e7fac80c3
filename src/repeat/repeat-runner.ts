// Runs one repeat from request to summary, with its durable writes in a fixed order: recorded → marked in flight
// (durably) → sent → results recorded → reported. One function per write, so a store that answers later only needs
// an `await` in front of each; the reporter tells people how it goes and never decides anything.
import type { Logger } from "pino";
import type { Clock } from "../clock.js";
import type { RepeatRecord, RepeatStore } from "../store/store.js";
import type { JobRepeatResult } from "../workato/client.js";
import type { CustomerRef } from "../workato/customer-ref.js";
import type { RepeatClaims } from "./claims.js";
import type { RepeatReporter, RepeatStart } from "./repeat-reporter.js";
import type { RepeatScheduler } from "./repeat-scheduler.js";

export interface RepeatRunnerDeps {
  store: RepeatStore;
  scheduler: Pick<RepeatScheduler, "repeat">;
  claims: Pick<RepeatClaims, "release">;
  clock: Clock;
}

export interface RepeatRequest extends RepeatStart {
  /** given back if the repeat cannot start, so the person can try again */
  claimKey: string;
}

/** Opens the report, records the repeat, then drives it; nothing is sent unless both of the first two worked. */
export async function startRepeat(
  deps: RepeatRunnerDeps,
  request: RepeatRequest,
  reporter: RepeatReporter,
  log: Logger,
): Promise<void> {
  // The report must exist before anything is repeated: results with nowhere to go would be lost.
  const opened = await reporter.opened(request);
  if (!opened.ok) {
    deps.claims.release(request.claimKey);
    log.warn({ slackError: opened.error }, "repeat not started: cannot post in the channel");
    await reporter.cannotStart({ kind: "cannot_report", error: opened.error });
    return;
  }
  const record = recordRepeat(deps, request, opened.threadTs, log);
  if (!record) {
    deps.claims.release(request.claimKey);
    await reporter.cannotStart({ kind: "cannot_record" });
    return;
  }
  // Only once the repeat is on record may whatever offered it say so (and lose its button).
  await reporter.recorded(deps.clock.now());
  log.info(
    { repeatId: record.id, jobs: request.jobIds.length, recipeId: request.recipeId },
    "repeat started",
  );
  await driveRepeat(deps, record, request.customer, request.jobIds, reporter, log);
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
  const sentNow = await deps.scheduler.repeat({
    customer,
    recipeId: record.recipeId,
    jobIds,
    batchesAlreadyReported: deps.store.batchesReported(record.id),
    // The scheduler calls this just before the request leaves, so a crash after it leaves a trace to reconcile.
    onSend: (ids) => markInFlight(deps, record, ids),
    onRetry: (ids) => markWaiting(deps.store, record, ids),
    onBatch: async (results, batchNumber) => {
      recordResults(deps.store, record, results, batchNumber, log);
      await reporter.batch(results, batchNumber);
    },
  });
  const results = everyResult(deps.store, record, sentNow);
  await reporter.summary(results);
  finishRepeat(deps, record);
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

// ── The durable writes, in the order they happen ───────────────────────────────────────────────────────────────

/** 1. Recorded, with the thread it reports in, before anything is sent: a crash from here on resumes there. */
function recordRepeat(
  deps: RepeatRunnerDeps,
  request: RepeatRequest,
  threadTs: string,
  log: Logger,
): RepeatRecord | null {
  try {
    return deps.store.createRepeat(
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
  } catch (error) {
    log.error({ err: error }, "repeat not started: could not record it");
    return null;
  }
}

/** 2. Marked in flight, durably; throwing here cancels the request (see RepeatDemand.onSend). */
function markInFlight(deps: RepeatRunnerDeps, record: RepeatRecord, jobIds: string[]): void {
  deps.store.markInFlight(items(record, jobIds), deps.clock.now());
}

/** A request that certainly did not run: its jobs wait again, and are sent after a restart too. */
function markWaiting(store: RepeatStore, record: RepeatRecord, jobIds: string[]): void {
  store.markWaiting(items(record, jobIds));
}

/** 4. Results recorded; a failure here still lets the thread hear them (the summary uses them regardless). */
function recordResults(
  store: RepeatStore,
  record: RepeatRecord,
  results: readonly JobRepeatResult[],
  batchNumber: number,
  log: Logger,
): void {
  try {
    store.recordResults(record.id, results, batchNumber);
  } catch (error) {
    log.error({ err: error, batchNumber }, "could not record a repeat batch's results");
  }
}

function finishRepeat(deps: RepeatRunnerDeps, record: RepeatRecord): void {
  deps.store.finishRepeat(record.id, deps.clock.now());
}

/** Every job of the repeat: those settled before a restart come from the store, the rest from this run. */
function everyResult(
  store: RepeatStore,
  record: RepeatRecord,
  sentNow: readonly JobRepeatResult[],
): JobRepeatResult[] {
  const now = new Map(sentNow.map((result) => [result.jobId, result]));
  return store.repeatJobs(record.id).flatMap((job) => {
    const result = now.get(job.jobId) ?? (job.status.state === "done" ? job.status.result : undefined);
    return result ? [result] : [];
  });
}

function items(record: RepeatRecord, jobIds: readonly string[]) {
  return jobIds.map((jobId) => ({ repeatId: record.id, jobId }));
}
