// Keeps the log of alerted failures a daily digest counts: wraps the alert sink, and after each alert (or thread
// follow-up) that reached the channel records its jobs with the time. The poller is unchanged by it.
import type { Logger } from "pino";
import type { Clock } from "../clock.js";
import type { DigestStore, WatchFailureRecord } from "../store/digest-store.js";
import type { Promised } from "../store/store.js";
import type { AlertSink, FailureGroup } from "../watch/alert-sink.js";

/** A digest reads 24 hours back; a day more covers a late digest after a restart. */
export const FAILURE_LOG_KEPT_MS = 48 * 60 * 60_000;

export type FailureLogStore = Pick<
  Promised<DigestStore>,
  "recordWatchFailures" | "forgetWatchFailuresBefore"
>;

function failuresOf(watchId: number, groups: readonly FailureGroup[], at: number): WatchFailureRecord[] {
  return groups.flatMap((group) =>
    group.jobs.map((job) => ({
      watchId,
      jobId: job.id,
      masterJobId: job.masterJobId,
      signature: group.signature,
      firstLine: group.firstLine,
      seenAt: at,
    })),
  );
}

/**
 * The same sink, recording what it delivered. A failure to record is logged and does not fail the delivery: the alert
 * is in the channel, and the digest then undercounts rather than the poller alerting it again.
 */
export function withFailureLog(
  sink: AlertSink,
  deps: { store: FailureLogStore; clock: Clock; logger: Logger },
): AlertSink {
  async function record(watchId: number, groups: readonly FailureGroup[]): Promise<void> {
    const at = deps.clock.now();
    try {
      await deps.store.recordWatchFailures(failuresOf(watchId, groups, at));
      await deps.store.forgetWatchFailuresBefore(at - FAILURE_LOG_KEPT_MS);
    } catch (error) {
      deps.logger.warn({ err: error, watch: watchId }, "could not record alerted failures for the digest");
    }
  }

  return {
    ...sink,
    async postAlert(alert) {
      const posted = await sink.postAlert(alert);
      if (posted.ok) await record(alert.target.watch.id, alert.groups);
      return posted;
    },
    async postFollowUp(followUp) {
      const posted = await sink.postFollowUp(followUp);
      if (posted.ok)
        await record(
          followUp.target.watch.id,
          followUp.groups.map(({ group }) => group),
        );
      return posted;
    },
  };
}
