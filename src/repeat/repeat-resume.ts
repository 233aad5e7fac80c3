// At start-up: carries on every repeat a crash or a deploy cut short, reporting where it began. Jobs whose request
// was in flight are reconciled against Workato's list of reruns first, so none is repeated twice.
import type { Logger } from "pino";
import type { BackgroundWork } from "../background.js";
import type { RepeatRecord } from "../store/store.js";
import type { WorkatoClient } from "../workato/client.js";
import { parseCustomerRef } from "../workato/customer-ref.js";
import { reconcileInFlight } from "./reconcile.js";
import type { RepeatReporter } from "./repeat-reporter.js";
import { driveRepeat, type RepeatRunnerDeps } from "./repeat-runner.js";

export interface RepeatResumeDeps extends RepeatRunnerDeps {
  workato: WorkatoClient;
  background: BackgroundWork;
  logger: Logger;
  /** the reporter of a recorded repeat: it reports where the repeat was started (its thread) */
  reporterFor(record: RepeatRecord): RepeatReporter;
}

export async function resumeUnfinishedRepeats(deps: RepeatResumeDeps): Promise<void> {
  for (const record of await deps.store.unfinishedRepeats()) {
    const log = deps.logger.child({ repeatId: record.id, channel: record.channel, user: record.userId });
    deps.background.run("resume repeat", () => resumeRepeat(deps, record, log));
  }
}

/**
 * Carries on one recorded repeat that was started before: reconciles, then drives. `after` says why it stopped: a
 * restart (or another replica's hand-over) is said in the thread; a drive of this very process that gave way to the
 * store (it could not be read) carries on without a word, because the bot did not restart.
 */
export async function resumeRepeat(
  deps: RepeatResumeDeps,
  record: RepeatRecord,
  log: Logger,
  after: "restart" | "store_outage" = "restart",
): Promise<void> {
  const { store } = deps;
  const customer = parseCustomerRef(record.customer);
  if (!customer.ok) {
    log.error({ customer: record.customer }, "cannot resume a repeat with an unreadable customer");
    await store.finishRepeat(record.id, deps.clock.now());
    return;
  }
  const reporter = deps.reporterFor(record);
  const inFlight = (await store.repeatJobs(record.id)).flatMap((job) =>
    job.status.state === "in_flight" ? [{ jobId: job.jobId, sentAt: job.status.sentAt }] : [],
  );
  if (after === "restart") await reporter.restarted(inFlight.length);

  if (inFlight.length > 0) {
    const reconciled = await reconcileInFlight(deps.workato, customer.ref, record.recipeId, inFlight);
    const settled = reconciled.flatMap((item) => (item.ran === false ? [] : [item.result]));
    const notRun = reconciled.flatMap((item) =>
      item.ran === false ? [{ repeatId: record.id, jobId: item.jobId }] : [],
    );
    // Not among Workato's reruns: the request never ran, so those jobs are sent again below.
    await store.markWaiting(notRun);
    if (settled.length > 0) {
      const batchNumber = (await store.batchesReported(record.id)) + 1;
      await store.recordResults(record.id, settled, batchNumber);
      await reporter.batch(settled, batchNumber);
    }
    log.info({ reconciled: settled.length, notRun: notRun.length }, "in-flight repeat jobs reconciled");
  }

  const waiting = (await store.repeatJobs(record.id)).flatMap((job) =>
    job.status.state === "waiting" ? [job.jobId] : [],
  );
  // A recovery stopped before the crash stays stopped: its waiting jobs are the ones Stop kept back.
  const stopped = (await store.recoveryPlan(record.id))?.stoppedBy ?? null;
  log.info({ waiting: waiting.length, stopped: stopped !== null }, "resuming repeat");
  await driveRepeat(deps, record, customer.ref, stopped === null ? waiting : [], reporter, log);
}
