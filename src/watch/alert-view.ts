// An alert as it stands now, drawn from the store and the lineage alone (so it is the same after a restart): every
// signature posted in one message, each with its jobs so far, which of them were handled, and its mute.
import type { HandlingLookup, LineageReader } from "../lineage/lineage-reader.js";
import type { AlertThreadRecord, AsyncStore } from "../store/store.js";
import { parseIsoTime } from "../time.js";
import type { CallPriority } from "../workato/limits.js";
import { type AlertHistory, muteInForce } from "./alert-decisions.js";
import { isResolvedByHand, NOBODY_ON_IT, onCallOf } from "./alert-on-call.js";
import {
  type AlertMessage,
  type AlertMessageGroup,
  type AlertTarget,
  type FailedJob,
  type HandledJobs,
  isResolved,
  outstandingCount,
} from "./alert-sink.js";

export interface AlertViewDeps {
  store: Pick<AsyncStore, "mutedUntil" | "mutedBy" | "alertState" | "escalationOf">;
  lineage: LineageReader;
}

/**
 * The jobs of one kind split into what is still to handle and what the lineage says became of the rest: repeated
 * (succeeded or running), or beyond repeating (past retention, the repeat limit).
 */
export function splitHandled(
  jobs: readonly FailedJob[],
  handlingOf: HandlingLookup,
): {
  outstanding: FailedJob[];
  handled: HandledJobs;
  unknown: number;
  fixedJobIds: string[];
  cannotRepeatJobIds: string[];
} {
  const outstanding: FailedJob[] = [];
  const fixedJobIds: string[] = [];
  const cannotRepeatJobIds: string[] = [];
  let unknown = 0;
  const handled: HandledJobs = { succeeded: 0, running: 0, repeatedBy: [], inWorkato: false };
  for (const job of jobs) {
    const handling = handlingOf(job.masterJobId);
    if (handling.kind === "cannot_repeat") {
      // Never offered again, and counted apart so "N failed" beside "Repeat M failed" says where they went.
      const cannotRepeat = handled.cannotRepeat ?? {};
      cannotRepeat[handling.why] = (cannotRepeat[handling.why] ?? 0) + 1;
      handled.cannotRepeat = cannotRepeat;
      cannotRepeatJobIds.push(job.id);
      continue;
    }
    if (handling.kind !== "succeeded" && handling.kind !== "running") {
      if (handling.kind === "unknown") unknown++;
      outstanding.push(job);
      continue;
    }
    if (handling.kind === "succeeded") {
      handled.succeeded++;
      fixedJobIds.push(job.id);
    } else handled.running++;
    const by = handling.latest.requestedBy?.userId;
    if (by === undefined) handled.inWorkato = true;
    else if (!handled.repeatedBy.includes(by)) handled.repeatedBy.push(by);
  }
  return { outstanding, handled, unknown, fixedJobIds, cannotRepeatJobIds };
}

/** An alert as it stands, and how many of its jobs' repeat state could not be read. */
export interface AlertView {
  message: AlertMessage;
  unknown: number;
}

/**
 * The message whose ts the threads share, drawn afresh. `threads` are the watch's rows of that message (one per
 * signature). The lineage is read at `priority`, for every job kept on the threads, in one read per recipe.
 */
export async function alertView(
  deps: AlertViewDeps,
  target: AlertTarget,
  threads: readonly AlertThreadRecord[],
  at: number,
  priority: CallPriority,
): Promise<AlertView | null> {
  const first = threads[0];
  if (!first) return null;
  const jobs = threads.flatMap((thread) => thread.jobs);
  const handlingOf = await deps.lineage.read(
    target.customer,
    target.watch.recipeId,
    [...new Map(jobs.map((job) => [job.masterJobId, job])).values()].map((job) => ({
      id: job.masterJobId,
      startedAt: parseIsoTime(job.startedAt),
    })),
    { priority },
  );
  const { history, mutedBy } = await mutesOf(deps.store, target.watch.id, threads);
  let unknown = 0;
  const groups: AlertMessageGroup[] = threads.map((thread) => {
    const split = splitHandled(thread.jobs, handlingOf);
    const { outstanding, handled, fixedJobIds, cannotRepeatJobIds } = split;
    unknown += split.unknown;
    return {
      signature: thread.signature,
      firstLine: thread.firstLine,
      jobs: thread.jobs.filter((job) => job.followUp !== true),
      total: Math.max(thread.count, thread.jobs.length),
      outstanding,
      handled,
      lastSeenAt: thread.lastSeenAt,
      mutedUntil: muteInForce(history, thread.signature, at),
      mutedBy: mutedBy(thread.signature),
      fixedJobIds,
      cannotRepeatJobIds,
    };
  });
  const onCall = onCallOf(
    await deps.store.alertState(first.channel, first.ts),
    await deps.store.escalationOf(target.watch.id),
  );
  const message: AlertMessage = {
    target,
    channel: first.channel,
    ts: first.ts,
    mention: threads.some((thread) => thread.mentioned),
    truncated: false,
    postedAt: Math.min(...threads.map((thread) => thread.firstSeenAt)),
    groups,
    onCall,
  };
  return { message, unknown };
}

/** What the alert shows, in a few numbers: a redraw is needed only when this changes. */
export function fingerprintOf(message: AlertMessage): string {
  const { onCall = NOBODY_ON_IT } = message;
  const onCallPrint = `${onCall.takenBy}@${onCall.takenAt}:${onCall.resolvedBy}:${onCall.resolvedReason}:${onCall.escalatedTo.join(",")}`;
  return `${onCallPrint}|${message.groups
    .map(
      (group) =>
        `${group.signature}:${group.total}:${outstandingCount(group)}:${group.outstanding.length}:${group.handled.succeeded}:${group.handled.running}:${group.handled.repeatedBy.join(",")}:${group.handled.inWorkato}:${group.mutedUntil ?? "-"}:${group.mutedBy ?? "-"}:${group.fixedJobIds?.length ?? 0}:${JSON.stringify(group.handled.cannotRepeat ?? {})}`,
    )
    .join("|")}`;
}

/** The signatures of a view that are resolved now: all of them once a person resolved the alert by hand. */
export function resolvedSignatures(message: AlertMessage): string[] {
  const byHand = isResolvedByHand(message.onCall ?? NOBODY_ON_IT);
  return message.groups.filter((group) => byHand || isResolved(group)).map((group) => group.signature);
}

/** The mutes of the alert's kinds (a whole-watch mute counts for each), and who set the one in force. */
async function mutesOf(
  store: Pick<AsyncStore, "mutedUntil" | "mutedBy">,
  watchId: number,
  threads: readonly AlertThreadRecord[],
): Promise<{ history: AlertHistory; mutedBy: (signature: string) => string | null }> {
  const wholeWatch = (await store.mutedUntil(watchId, "*")) ?? 0;
  const mutes = new Map<string, number>();
  const setBy = new Map<string, string | null>();
  for (const thread of threads) {
    const own = (await store.mutedUntil(watchId, thread.signature)) ?? 0;
    mutes.set(thread.signature, Math.max(own, wholeWatch));
    // Whoever set the mute that ends last is the one the alert names.
    setBy.set(thread.signature, await store.mutedBy(watchId, own >= wholeWatch ? thread.signature : "*"));
  }
  return {
    history: {
      mutedUntil: (signature) => {
        const until = mutes.get(signature) ?? wholeWatch;
        return until > 0 ? until : null;
      },
      thread: () => undefined,
    },
    mutedBy: (signature) => setBy.get(signature) ?? null,
  };
}
