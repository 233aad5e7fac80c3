// Delivering a poll's alert decisions: the new alert (one message), then each follow-up in its alert's thread, with
// what was delivered recorded per signature right after each post, and the alert's counts redrawn in place.
import type { Logger } from "pino";
import type { WatchRecord, WatchStore } from "../store/store.js";
import { type AlertDecisions, muteInForce, storedAlertHistory } from "./alert-decisions.js";
import type { AlertMessages } from "./alert-messages.js";
import type { AlertSink, AlertTarget, FailureGroup } from "./alert-sink.js";

/** Job ids kept per alert thread to recognise failures already alerted (after a crash before the cursor moved). */
const THREAD_JOB_IDS_KEPT = 500;

export interface AlertDeliveryDeps {
  store: WatchStore;
  alerts: AlertSink;
  messages: AlertMessages;
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
      deps.store.saveAlertThread({
        watchId: watch.id,
        signature: group.signature,
        channel: watch.channel,
        ts: posted.ts,
        firstSeenAt: at,
        lastSeenAt: at,
        count: group.jobs.length,
        jobIds: group.jobs.map((job) => job.id).slice(0, THREAD_JOB_IDS_KEPT),
      });
    }
    deps.messages.remember({
      target,
      channel: watch.channel,
      ts: posted.ts,
      mention,
      truncated,
      postedAt: at,
      groups: groups.map((group) => ({
        signature: group.signature,
        firstLine: group.firstLine,
        jobs: group.jobs,
        total: group.jobs.length,
        lastSeenAt: at,
        mutedUntil: null,
      })),
    });
    alerted = groups.length;
    log.info({ signatures: groups.length, jobs: countJobs(groups), mention }, "alert posted");
  }

  for (const [threadTs, replies] of decisions.followUps) {
    const channel = replies[0]?.thread.channel ?? watch.channel;
    const posted = await deps.alerts.postFollowUp({
      target,
      channel,
      threadTs,
      groups: replies.map(({ group, thread }) => ({
        group,
        total: thread.count + group.jobs.length,
        firstSeenAt: thread.firstSeenAt,
      })),
    });
    if (!posted.ok) return { ok: false, slackError: posted.error };
    for (const { group, thread } of replies) {
      deps.store.saveAlertThread({
        ...thread,
        lastSeenAt: at,
        count: thread.count + group.jobs.length,
        jobIds: [...group.jobs.map((job) => job.id), ...thread.jobIds].slice(0, THREAD_JOB_IDS_KEPT),
      });
    }
    followedUp += replies.length;
    await redrawAlert(deps, watch.id, channel, threadTs, at, log);
  }
  return { ok: true, alerted, followedUp };
}

/** The alert's counts, drawn again from the store; skipped when the message is not known (see alert-messages.ts). */
async function redrawAlert(
  deps: AlertDeliveryDeps,
  watchId: number,
  channel: string,
  ts: string,
  at: number,
  log: Logger,
): Promise<void> {
  const message = deps.messages.get(channel, ts);
  if (!message) {
    log.info({ ts }, "alert count not redrawn: the alert was posted before this process started");
    return;
  }
  const history = storedAlertHistory(deps.store, watchId);
  for (const group of message.groups) {
    const thread = history.thread(group.signature);
    if (thread?.ts === ts) {
      group.total = thread.count;
      group.lastSeenAt = thread.lastSeenAt;
    }
    group.mutedUntil = muteInForce(history, group.signature, at);
  }
  const updated = await deps.alerts.updateAlert(message);
  if (!updated.ok) log.warn({ ts, slackError: updated.error }, "alert count not updated");
}

function countJobs(groups: readonly FailureGroup[]): number {
  return groups.reduce((sum, group) => sum + group.jobs.length, 0);
}
