// At start-up: carries on every repeat a crash or a deploy cut short, in its own thread. Jobs whose request was in
// flight are reconciled against Workato's list of reruns first, so none is repeated twice.
import type { Logger } from "pino";
import { reconcileInFlight } from "../repeat/reconcile.js";
import type { RepeatRecord } from "../store/store.js";
import { parseCustomerRef } from "../workato/customer-ref.js";
import { section } from "./blocks/elements.js";
import { buildRepeatBatchReply } from "./blocks/repeat-blocks.js";
import type { HandlerDeps } from "./handler-deps.js";
import { driveRepeat } from "./repeat-flow.js";

export function resumeUnfinishedRepeats(deps: HandlerDeps): void {
  for (const record of deps.store.unfinishedRepeats()) {
    const log = deps.logger.child({ repeatId: record.id, channel: record.channel, user: record.userId });
    deps.background.run("resume repeat", () => resumeRepeat(deps, record, log));
  }
}

async function resumeRepeat(deps: HandlerDeps, record: RepeatRecord, log: Logger): Promise<void> {
  const { store, poster } = deps;
  const customer = parseCustomerRef(record.customer);
  if (!customer.ok) {
    log.error({ customer: record.customer }, "cannot resume a repeat with an unreadable customer");
    store.finishRepeat(record.id, Date.now());
    return;
  }
  const jobs = store.repeatJobs(record.id);
  const inFlight = jobs.flatMap((job) =>
    job.status.state === "in_flight" ? [{ jobId: job.jobId, sentAt: job.status.sentAt }] : [],
  );
  const note = `:arrows_counterclockwise: The bot restarted during this repeat; carrying on. ${
    inFlight.length > 0
      ? `Checking with Workato what happened to the ${inFlight.length} jobs whose request was in flight.`
      : ""
  }`;
  await poster.post(record.channel, { text: note, blocks: [section(note)] }, record.threadTs);

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
      await poster.post(
        record.channel,
        buildRepeatBatchReply({ batchNumber, results: settled }),
        record.threadTs,
      );
    }
    log.info({ reconciled: settled.length, notRun: notRun.length }, "in-flight repeat jobs reconciled");
  }

  const waiting = store
    .repeatJobs(record.id)
    .flatMap((job) => (job.status.state === "waiting" ? [job.jobId] : []));
  log.info({ waiting: waiting.length }, "resuming repeat");
  await driveRepeat(deps, record, customer.ref, waiting, log);
}
