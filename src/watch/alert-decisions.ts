// Deciding what happens to a poll's new failures, as pure functions of the failures and the watch's alert history:
// grouped by error signature, then muted, already alerted, a follow-up in a recent alert's thread, or a new alert.
import type { AlertThreadRecord, AsyncStore } from "../store/store.js";
import type { JobSummary } from "../workato/schemas.js";
import type { FailedJob, FailureGroup } from "./alert-sink.js";
import { errorSignature } from "./error-signature.js";

/** What the watch's past says about one kind of error. */
export interface AlertHistory {
  /** end of the mute on this kind (or on the whole watch), or null */
  mutedUntil(signature: string): number | null;
  /** the alert this kind was last posted in */
  thread(signature: string): AlertThreadRecord | undefined;
}

export interface AlertDecisions {
  /** kinds to alert afresh, in one top-level message; firstEver: this kind was never alerted on this watch */
  freshGroups: { group: FailureGroup; firstEver: boolean }[];
  /** more of kinds alerted within the window, by the ts of the alert whose thread gets the reply */
  followUps: Map<string, { group: FailureGroup; thread: AlertThreadRecord }[]>;
  /** failures left out because their kind (or the whole watch) is muted */
  muted: number;
  /** failures an earlier poll alerted but did not get to move the cursor past */
  alreadyAlerted: number;
}

/** Failures grouped by signature, in order of each signature's newest failure. */
export function groupBySignature(jobs: readonly JobSummary[]): FailureGroup[] {
  const groups = new Map<string, FailureGroup>();
  for (const job of jobs) {
    const { signature, firstLine } = errorSignature(job.error ?? null);
    const failed: FailedJob = {
      id: job.id,
      masterJobId: job.master_job_id ?? job.id,
      startedAt: job.started_at ?? null,
    };
    const group = groups.get(signature);
    if (group) group.jobs.push(failed);
    else groups.set(signature, { signature, firstLine, jobs: [failed] });
  }
  return [...groups.values()];
}

/**
 * New failures (newest first) by what happens to them: muted, already alerted (a poll that posted but did not get to
 * move the cursor), more of a kind alerted within `windowMs` of `at` (a reply in its thread), or a kind to alert afresh.
 */
export function decideAlerts(
  fresh: readonly JobSummary[],
  history: AlertHistory,
  at: number,
  windowMs: number,
): AlertDecisions {
  const decisions: AlertDecisions = { freshGroups: [], followUps: new Map(), muted: 0, alreadyAlerted: 0 };
  for (const group of groupBySignature(fresh)) {
    if (muteInForce(history, group.signature, at) !== null) {
      decisions.muted += group.jobs.length;
      continue;
    }
    const thread = history.thread(group.signature);
    const known = new Set(thread?.jobIds ?? []);
    const jobs = group.jobs.filter((job) => !known.has(job.id));
    decisions.alreadyAlerted += group.jobs.length - jobs.length;
    if (jobs.length === 0) continue;
    const unseen = { ...group, jobs };
    if (thread && thread.lastSeenAt >= at - windowMs) {
      const replies = decisions.followUps.get(thread.ts) ?? [];
      replies.push({ group: unseen, thread });
      decisions.followUps.set(thread.ts, replies);
    } else {
      decisions.freshGroups.push({ group: unseen, firstEver: thread === undefined });
    }
  }
  return decisions;
}

/** A watch's alert history for these signatures, read from the store first so deciding stays pure. */
export async function storedAlertHistory(
  store: Pick<AsyncStore, "mutedUntil" | "alertThread">,
  watchId: number,
  signatures: readonly string[],
): Promise<AlertHistory> {
  const wholeWatch = (await store.mutedUntil(watchId, "*")) ?? 0;
  const mutes = new Map<string, number>();
  const threads = new Map<string, AlertThreadRecord>();
  for (const signature of new Set(signatures)) {
    mutes.set(signature, Math.max((await store.mutedUntil(watchId, signature)) ?? 0, wholeWatch));
    const thread = await store.alertThread(watchId, signature);
    if (thread) threads.set(signature, thread);
  }
  return {
    mutedUntil: (signature) => {
      const until = mutes.get(signature) ?? wholeWatch;
      return until > 0 ? until : null;
    },
    thread: (signature) => threads.get(signature),
  };
}

/** The end of a mute still on at `at`, or null. */
export function muteInForce(history: AlertHistory, signature: string, at: number): number | null {
  const until = history.mutedUntil(signature);
  return until !== null && until > at ? until : null;
}
