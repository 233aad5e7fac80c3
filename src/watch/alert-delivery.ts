// Delivering a poll's alert decisions: the new alert (one message), then each follow-up in its alert's thread, with
// what was delivered recorded per signature right after each post, and the alert redrawn in place from the store.
import type { Logger } from "pino";
import type { LineageReader } from "../lineage/lineage-reader.js";
import type { AlertedJob, AsyncStore, WatchRecord } from "../store/store.js";
import type { AlertDecisions } from "./alert-decisions.js";
import type { AlertMessages } from "./alert-messages.js";
import { redrawAlert } from "./alert-redraw.js";
import { type AlertSink, type AlertTarget, type FailureGroup, NOTHING_HANDLED } from "./alert-sink.js";
import { fingerprintOf } from "./alert-view.js";
import { jobsOfAlert, recordWatchView } from "./alert-views.js";

/** Jobs kept per alert thread: to recognise failures already alerted, and for the lineage of what is left. */
const THREAD_JOBS_KEPT = 500;

export interface AlertDeliveryDeps {
  store: Pick<
    AsyncStore,
    "saveAlertThread" | "mutedUntil" | "mutedBy" | "alertThreads" | "saveView" | "alertState" | "escalationOf"
  >;
  alerts: AlertSink;
  messages: AlertMessages;
  lineage: LineageReader;
}

export interface Delivery {
  watch: WatchRecord;
  target: AlertTarget;
  decisions: Pick<AlertDecisions, "freshGroups" | "followUps">;
  /** the listing stopped before the cursor: older new failures are not listed */
  truncated: boolean;
  at: number;
  log: Logger;
}

export type Delivered = { ok: true; alerted: number; followedUp: number } | { ok: false; slackError: string };

export async function deliverAlerts(deps: AlertDeliveryDeps, delivery: Delivery): Promise<Delivered> {
  const { watch, target, decisions, truncated, at, log } = delivery;
  let alerted = 0;
  let followedUp = 0;
  if (decisions.freshGroups.length > 0) {
    const groups = decisions.freshGroups.map(({ group }) => group);
    const mention = watch.mentions.length > 0 && decisions.freshGroups.some(({ firstEver }) => firstEver);
    const posted = await deps.alerts.postAlert({ target, groups, mention, truncated, at });
    if (!posted.ok) return { ok: false, slackError: posted.error };
    for (const group of groups) {
      const jobs = group.jobs.slice(0, THREAD_JOBS_KEPT).map(plainJob);
      await deps.store.saveAlertThread({
        watchId: watch.id,
        signature: group.signature,
        channel: watch.channel,
        ts: posted.ts,
        firstSeenAt: at,
        lastSeenAt: at,
        count: group.jobs.length,
        jobIds: jobs.map((job) => job.id),
        firstLine: group.firstLine,
        jobs,
        mentioned: mention,
        resolvedAt: null,
      });
    }
    deps.messages.remember(
      watch.channel,
      posted.ts,
      fingerprintOf({
        target,
        channel: watch.channel,
        ts: posted.ts,
        mention,
        truncated,
        postedAt: at,
        groups: groups.map((group) => ({
          ...group,
          total: group.jobs.length,
          outstanding: group.jobs,
          handled: NOTHING_HANDLED,
          lastSeenAt: at,
          mutedUntil: null,
        })),
      }),
      at,
    );
    await recordWatchView(
      deps.store,
      watch,
      { channel: watch.channel, ts: posted.ts, at },
      { kind: "alert", watchId: watch.id },
      groups.flatMap((group) => group.jobs),
    );
    alerted = groups.length;
    log.info({ signatures: groups.length, jobs: countJobs(groups), mention }, "alert posted");
  }

  for (const [threadTs, replies] of decisions.followUps) {
    const channel = replies[0]?.thread.channel ?? watch.channel;
    const posted = await deps.alerts.postFollowUp({
      target,
      channel,
      threadTs,
      takenBy: (await deps.store.alertState(channel, threadTs))?.takenBy ?? null,
      groups: replies.map(({ group, thread }) => ({
        group,
        total: thread.count + group.jobs.length,
        firstSeenAt: thread.firstSeenAt,
      })),
    });
    if (!posted.ok) return { ok: false, slackError: posted.error };
    await recordWatchView(
      deps.store,
      watch,
      { channel, ts: posted.ts, threadTs, at },
      {
        kind: "alert_follow_up",
        watchId: watch.id,
        groups: replies.map(({ group, thread }) => ({
          signature: group.signature,
          jobIds: group.jobs.map((job) => job.id),
          total: thread.count + group.jobs.length,
        })),
      },
      replies.flatMap(({ group }) => group.jobs),
    );
    for (const { group, thread } of replies) {
      const added = group.jobs.map((job): AlertedJob => ({ ...plainJob(job), followUp: true }));
      // The alert's own jobs are kept first (the oldest follow-ups go when there are too many), so it still shows them.
      const own = thread.jobs.filter((job) => job.followUp !== true);
      const earlier = thread.jobs.filter((job) => job.followUp === true);
      const jobs = [...own, ...added, ...earlier].slice(0, THREAD_JOBS_KEPT);
      await deps.store.saveAlertThread({
        ...thread,
        lastSeenAt: at,
        count: thread.count + group.jobs.length,
        jobIds: [...group.jobs.map((job) => job.id), ...thread.jobIds].slice(0, THREAD_JOBS_KEPT),
        firstLine: thread.firstLine || group.firstLine,
        jobs,
        // New failures of a kind reopen it.
        resolvedAt: null,
      });
    }
    followedUp += replies.length;
    const threads = (await deps.store.alertThreads({ watchId: watch.id })).filter(
      (thread) => thread.ts === threadTs && thread.channel === channel,
    );
    // The alert counts its replies' jobs too: a change to any of them redraws it.
    const alertPostedAt = Math.min(...threads.map((thread) => thread.firstSeenAt));
    await recordWatchView(
      deps.store,
      watch,
      { channel, ts: threadTs, at: Number.isFinite(alertPostedAt) ? alertPostedAt : at },
      { kind: "alert", watchId: watch.id },
      jobsOfAlert(threads),
    );
    await redrawAlert(deps, target, threads, at, "background", log);
  }
  return { ok: true, alerted, followedUp };
}

/** Only the stored fields: a job object may carry more from where it was built. */
function plainJob(job: AlertedJob): AlertedJob {
  return { id: job.id, masterJobId: job.masterJobId, startedAt: job.startedAt };
}

function countJobs(groups: readonly FailureGroup[]): number {
  return groups.reduce((sum, group) => sum + group.jobs.length, 0);
}
