// What the watch poller hands to whoever delivers alerts (Slack, in src/slack/watches/slack-alert-sink.ts): plain
// data about new failures, grouped by error signature. Nothing here knows Block Kit.
import type { CannotRepeatWhy } from "../lineage/lineage.js";
import type { AlertedJob, WatchRecord } from "../store/store.js";
import { parseIsoTime } from "../time.js";
import type { CustomerRef } from "../workato/customer-ref.js";
import type { AlertOnCall } from "./alert-on-call.js";

/** A failed job as an alert shows it; stored as is on the alert's thread (see AlertThreadRecord.jobs). */
export type FailedJob = AlertedJob;

/** New failures that share one error signature, newest first. */
export interface FailureGroup {
  signature: string;
  /** the first line of the newest failure's error, as Workato wrote it */
  firstLine: string;
  jobs: FailedJob[];
}

/** The watch an alert is about, with what it is shown as. */
export interface AlertTarget {
  watch: WatchRecord;
  customer: CustomerRef;
  /** null when the name could not be looked up: shown as "Recipe <id>" */
  recipeName: string | null;
  /** the directory's name of the customer, added where the alert is drawn; null or absent: shown by id */
  customerName?: string | null;
}

/** One poll's new kinds of failure: a single top-level message, one section per signature. */
export interface NewAlert {
  target: AlertTarget;
  groups: FailureGroup[];
  /** put the watch's mentions on it: at least one of its signatures was never alerted before */
  mention: boolean;
  /** the poll stopped paging before it reached the failures it had already seen: older new ones are not listed */
  truncated: boolean;
  at: number;
}

/** A top-level alert as it stands now: what updateAlert draws again, with the counts so far. */
export interface AlertMessage {
  target: AlertTarget;
  channel: string;
  ts: string;
  mention: boolean;
  truncated: boolean;
  postedAt: number;
  groups: AlertMessageGroup[];
  /** who took it, resolved it by hand, or was called by its escalation; absent: nobody yet */
  onCall?: AlertOnCall;
}

export interface AlertMessageGroup {
  signature: string;
  firstLine: string;
  /** the jobs the alert itself listed */
  jobs: FailedJob[];
  /** failures of this kind so far: the alert's and those reported in its thread */
  total: number;
  /**
   * every job of this kind so far (alert and thread, as far as kept) not yet handled, newest first: never repeated,
   * failed again, or of unknown state. The headline counts them and "Repeat N failed" repeats exactly these.
   */
  outstanding: FailedJob[];
  /** what the lineage says was done about the others */
  handled: HandledJobs;
  lastSeenAt: number;
  /** end of a mute of this kind (or of the whole watch), while one is on */
  mutedUntil: number | null;
  /** the Slack user who set that mute, when known */
  mutedBy?: string | null;
  /** ids of the jobs whose latest repeat succeeded (the alert's body shows them as fixed, not as failed) */
  fixedJobIds?: readonly string[];
  /** ids of the jobs Workato will not repeat: the body counts them apart, never as failed or running */
  cannotRepeatJobIds?: readonly string[];
}

/** Jobs of one kind already taken care of: repeated (by anyone) with a success, or with a repeat still running. */
export interface HandledJobs {
  succeeded: number;
  running: number;
  /** Slack user ids of the people who repeated them through this bot, in order of first repeat */
  repeatedBy: string[];
  /** some were repeated in Workato itself (its UI or another API client) */
  inWorkato: boolean;
  /** jobs Workato will not repeat (past retention, its 100-repeat limit), by why: counted apart, never offered */
  cannotRepeat?: Partial<Record<CannotRepeatWhy, number>>;
}

/** How many of the kind's jobs Workato will not repeat, whatever the reason. */
export function cannotRepeatCount(handled: Pick<HandledJobs, "cannotRepeat">): number {
  return Object.values(handled.cannotRepeat ?? {}).reduce((sum, count) => sum + count, 0);
}

export const NOTHING_HANDLED: HandledJobs = { succeeded: 0, running: 0, repeatedBy: [], inWorkato: false };

/** Failures of this kind not yet handled, counting those beyond the jobs kept. */
export function outstandingCount(group: Pick<AlertMessageGroup, "total" | "handled">): number {
  return Math.max(
    0,
    group.total - group.handled.succeeded - group.handled.running - cannotRepeatCount(group.handled),
  );
}

/**
 * The earliest start among the masters of `toRepeat`, each found among `known` as itself (ms); null when one is
 * not, or has no start: a failed repeat's own start is later than its master's, so it bounds nothing.
 */
export function oldestMasterStart(
  toRepeat: readonly FailedJob[],
  known: readonly FailedJob[],
): number | null {
  let oldest = Number.POSITIVE_INFINITY;
  for (const masterId of new Set(toRepeat.map((job) => job.masterJobId))) {
    const master = known.find((job) => job.id === masterId && job.masterJobId === masterId);
    const startedAt = parseIsoTime(master?.startedAt);
    if (startedAt === null) return null;
    oldest = Math.min(oldest, startedAt);
  }
  return Number.isFinite(oldest) ? oldest : null;
}

/** Every failure of this kind was repeated and its repeat succeeded. */
export function isResolved(group: Pick<AlertMessageGroup, "total" | "handled">): boolean {
  return group.total > 0 && group.handled.succeeded >= group.total;
}

/** A watched recipe Workato stopped by itself: one top-level alert, mentioning like a first failure alert. */
export interface RecipeStoppedAlert {
  target: AlertTarget;
  /** Workato's stop_cause, e.g. "trigger_errors_limit" */
  cause: string;
  /** Workato's stopped_at (ISO), or null when it gave none */
  stoppedAt: string | null;
  mention: boolean;
  at: number;
  /** when the bot learnt the recipe runs again (a Start click, or the scan saw it running); absent: still stopped */
  runningAgainAt?: number | null;
  /** who took it, or was called by its escalation; absent: nobody yet */
  onCall?: AlertOnCall;
}

/** A recipe-stopped alert as it stands now: what updateRecipeStopped draws again. */
export interface RecipeStoppedMessage extends RecipeStoppedAlert {
  channel: string;
  ts: string;
}

/** The stopped recipe runs again: one reply in its stopped alert's thread. */
export interface RecipeRunningAgain {
  target: AlertTarget;
  channel: string;
  threadTs: string;
  at: number;
}

/** Nobody took or resolved the alert in time: the next in line, mentioned in its thread. */
export interface Escalation {
  target: AlertTarget;
  channel: string;
  threadTs: string;
  mentions: string[];
  afterMs: number;
}

/** More failures of kinds already alerted within the window: one reply in the alert's thread. */
export interface FollowUp {
  target: AlertTarget;
  channel: string;
  threadTs: string;
  groups: FollowUpGroup[];
  /** whoever took the alert: the reply mentions them, not the watch's people */
  takenBy?: string | null;
}

export interface FollowUpGroup {
  group: FailureGroup;
  total: number;
  firstSeenAt: number;
  /** once redrawn: which of the reply's jobs are still to handle, and what was done about the others */
  now?: { outstanding: FailedJob[]; handled: HandledJobs };
}

/** A thread reply as it stands now: what updateFollowUp draws again. */
export interface FollowUpMessage extends FollowUp {
  ts: string;
}

export type SinkResult = { ok: true; ts: string } | { ok: false; error: string };

/** Delivers alerts. Every method reports failure as a value; none throws for a delivery problem. */
export interface AlertSink {
  postAlert(alert: NewAlert): Promise<SinkResult>;
  postFollowUp(followUp: FollowUp): Promise<SinkResult>;
  /** redraws a top-level alert with its counts so far (in place) */
  updateAlert(message: AlertMessage): Promise<SinkResult>;
  /** redraws a reply in an alert's thread with what became of its jobs (in place) */
  updateFollowUp(message: FollowUpMessage): Promise<SinkResult>;
  /** redraws a recipe-stopped alert: still stopped or running again, who is on it (in place) */
  updateRecipeStopped(message: RecipeStoppedMessage): Promise<SinkResult>;
  /** tells the watch's channel that the watch stopped, and why */
  notifyPaused(target: AlertTarget, reason: string): Promise<SinkResult>;
  postRecipeStopped(alert: RecipeStoppedAlert): Promise<SinkResult>;
  postRunningAgain(reply: RecipeRunningAgain): Promise<SinkResult>;
  /** mentions the next in line in the alert's thread */
  postEscalation(escalation: Escalation): Promise<SinkResult>;
}

/** Delivery errors after which posting to the channel cannot work until someone acts: the watch is paused. */
export const CHANNEL_GONE_ERRORS: ReadonlySet<string> = new Set([
  "channel_not_found",
  "is_archived",
  "not_in_channel",
]);
