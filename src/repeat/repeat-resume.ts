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

export function resumeUnfinishedRepeats(deps: RepeatResumeDeps): void {
  for (const record of deps.store.unfinishedRepeats()) {
    const log = deps.logger.child({ repeatId: record.id, channel: record.channel, user: record.userId });
    deps.background.run("resume repeat", () => resumeRepeat(deps, record, log));
  }
}

async function resumeRepeat(deps: RepeatResumeDeps, record: RepeatRecord, log: Logger): Promise<void> {
  const { store } = deps;
  const customer = parseCustomerRef(record.customer);
  if (!customer.ok) {
    log.error({ customer: record.customer }, "cannot resume a repeat with an unreadable customer");
    store.finishRepeat(record.id, deps.clock.now());
    return;
  }
  const reporter = deps.reporterFor(record);
  const inFlight = store
    .repeatJobs(record.id)
    .flatMap((job) =>
      job.status.state === "in_flight" ? [{ jobId: job.jobId, sentAt: job.status.sentAt }] : [],
    );
  await reporter.restarted(inFlight.length);

  if (inFlight.length > 0) {
    const reconciled = await reconcileInFlight(deps.workato, customer.ref, record.recipeId, inFlight);
    const settled = reconciled.flatMap((item) => (item.ran === false ? [] : [item.result]));
    const notRun = reconciled.flatMap((item) =>
      item.ran === false ? [{ repeatId: record.id, jobId: item.jobId }] : [],
    );
    // Not among Workato's reruns: the request never ran, so those jobs are sent again below.
    store.markWaiting(notRun);
    if (settled.length > 0) {
      const batchNumber = store.batchesReported(record.id) + 1;
      store.recordResults(record.id, settled, batchNumber);
      await reporter.batch(settled, batchNumber);
    }
    log.info({ reconciled: settled.length, notRun: notRun.length }, "in-flight repeat jobs reconciled");
  }

  const waiting = store
    .repeatJobs(record.id)
    .flatMap((job) => (job.status.state === "waiting" ? [job.jobId] : []));
  log.info({ waiting: waiting.length }, "resuming repeat");
  await driveRepeat(deps, record, customer.ref, waiting, reporter, log);
}
