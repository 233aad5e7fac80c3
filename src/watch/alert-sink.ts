// What the watch poller hands to whoever delivers alerts (Slack, in src/slack/watches/slack-alert-sink.ts): plain
// data about new failures, grouped by error signature. Nothing here knows Block Kit.
import type { WatchRecord } from "../store/store.js";
import type { CustomerRef } from "../workato/customer-ref.js";

export interface FailedJob {
  id: string;
  /** the job repeat_jobs takes for this one (a repeat's original) */
  masterJobId: string;
  startedAt: string | null;
}

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
}

export interface AlertMessageGroup {
  signature: string;
  firstLine: string;
  /** the jobs the alert itself listed: its "Repeat N failed" repeats exactly these */
  jobs: FailedJob[];
  /** failures of this kind so far: the alert's and those reported in its thread */
  total: number;
  lastSeenAt: number;
  /** end of a mute of this kind (or of the whole watch), while one is on */
  mutedUntil: number | null;
}

/** More failures of kinds already alerted within the window: one reply in the alert's thread. */
export interface FollowUp {
  target: AlertTarget;
  channel: string;
  threadTs: string;
  groups: { group: FailureGroup; total: number; firstSeenAt: number }[];
}

export type SinkResult = { ok: true; ts: string } | { ok: false; error: string };

/** Delivers alerts. Every method reports failure as a value; none throws for a delivery problem. */
export interface AlertSink {
  postAlert(alert: NewAlert): Promise<SinkResult>;
  postFollowUp(followUp: FollowUp): Promise<SinkResult>;
  /** redraws a top-level alert with its counts so far (in place) */
  updateAlert(message: AlertMessage): Promise<SinkResult>;
  /** tells the watch's channel that the watch stopped, and why */
  notifyPaused(target: AlertTarget, reason: string): Promise<SinkResult>;
}

/** Delivery errors after which posting to the channel cannot work until someone acts: the watch is paused. */
export const CHANNEL_GONE_ERRORS: ReadonlySet<string> = new Set([
  "channel_not_found",
  "is_archived",
  "not_in_channel",
]);
