// The narrow interface to durable state: repeats and their jobs, button claims, watches and their alerts. SQLite
// implements it for one process (Store); Postgres implements the same methods as promises (AsyncStore) for replicas.
import type { JobRepeatResult } from "../workato/client.js";
import type { AlertStateStore } from "./alert-state-store.js";
import type { DigestStore } from "./digest-store.js";
import type { FollowUpStore } from "./follow-up-store.js";
import type { RecoveryPlanStore } from "./recovery-plan-store.js";
import type { RepeatRecord } from "./repeat-record.js";
import type { ViewStore } from "./view-store.js";

// ── Repeats ──────────────────────────────────────────────────────────────────────────────────────────────────

export type { RepeatRecord } from "./repeat-record.js";

export type RepeatJobState =
  | { state: "waiting" }
  /** the request carrying it was about to be sent, or sent, and no answer was recorded */
  | { state: "in_flight"; batchId: number; sentAt: number }
  | { state: "done"; result: JobRepeatResult };

export interface RepeatJobRecord {
  repeatId: number;
  jobId: string;
  /** position in the request, for ordered results */
  position: number;
  status: RepeatJobState;
}

export interface RepeatSummaryRow {
  repeat: RepeatRecord;
  total: number;
  enqueued: number;
  failed: number;
  unknown: number;
  waiting: number;
}

export interface RepeatStore {
  /** Records a repeat and its jobs before anything is sent; `at` becomes its createdAt. */
  createRepeat(
    repeat: Omit<RepeatRecord, "id" | "finishedAt" | "createdAt">,
    jobIds: readonly string[],
    at: number,
  ): RepeatRecord;
  /** Marks jobs as carried by a request about to be sent; returns the batch id. Must be durable when it returns. */
  markInFlight(items: readonly { repeatId: number; jobId: string }[], sentAt: number): number;
  /** Records results (and the batch number they were reported under) for jobs of one repeat. */
  recordResults(repeatId: number, results: readonly JobRepeatResult[], batchNumber: number): void;
  /** Puts in-flight jobs back to waiting (the request certainly did not run). */
  markWaiting(items: readonly { repeatId: number; jobId: string }[]): void;
  finishRepeat(repeatId: number, finishedAt: number): void;
  unfinishedRepeats(): RepeatRecord[];
  repeatJobs(repeatId: number): RepeatJobRecord[];
  /** how many batch replies the thread already has, so a resumed repeat keeps numbering */
  batchesReported(repeatId: number): number;
  /** Marks recorded results as posted: their thread reply was accepted by Slack, so a resume must not post them again. */
  markResultsPosted(repeatId: number, jobIds: readonly string[]): void;
  /** Results recorded but not yet accepted by Slack, in the order they were recorded (batch, then position). */
  unpostedResults(repeatId: number): JobRepeatResult[];
  recentRepeats(filter: {
    channel?: string;
    customer?: string;
    recipeId?: number;
    /** only repeats this person asked for */
    userId?: string;
    limit: number;
  }): RepeatSummaryRow[];
}

// ── Claims (double clicks, redeliveries) ────────────────────────────────────────────────────────────────────

export interface ClaimStore {
  /** true when this call took the key; false with the holder when someone had it */
  claim(key: string, userId: string, at: number): { ok: true } | { ok: false; claimedBy: string };
  release(key: string): void;
  forgetClaimsBefore(at: number): void;
}

// ── Watches ──────────────────────────────────────────────────────────────────────────────────────────────────

export interface WatchRecord {
  id: number;
  channel: string;
  /** CustomerRef.display */
  customer: string;
  recipeId: number;
  /** Slack mention strings, e.g. "<@U123>" or "<!subteam^S123>" */
  mentions: string[];
  createdBy: string;
  createdAt: number;
  /** newest failed job id already seen; null until the first poll */
  cursorJobId: string | null;
  /** started_at of the cursor job, ISO, to order against new jobs */
  cursorStartedAt: string | null;
  /**
   * the newest completed_at (ISO, Workato's clock) of the failures seen so far: a failure behind the cursor (a job
   * that started earlier and ran long) that completed later than this is new; null until a poll saw one
   */
  cursorCompletedAt: string | null;
  lastPolledAt: number | null;
  /** consecutive polls answered 401/403/404 */
  consecutiveAuthFailures: number;
  pausedReason: string | null;
  /** the page its alerts link to as Runbook (`watch … runbook <url>`); null: none */
  runbookUrl: string | null;
}

/** A job an alert (or its thread) reported. */
export interface AlertedJob {
  id: string;
  /** the job repeat_jobs takes for this one (a repeat's original) */
  masterJobId: string;
  startedAt: string | null;
  /** reported in the alert's thread rather than in the alert itself */
  followUp?: true;
}

/** The signature an alert_threads row has when it is a recipe-stopped alert rather than a kind of failure. */
export const RECIPE_STOPPED_SIGNATURE = "recipe_stopped";

export interface AlertThreadRecord {
  watchId: number;
  /** the error signature, or RECIPE_STOPPED_SIGNATURE */
  signature: string;
  channel: string;
  /** the top-level alert (its thread parent) */
  ts: string;
  firstSeenAt: number;
  lastSeenAt: number;
  count: number;
  /** ids of the newest jobs reported (the alert's and its follow-ups'), kept to recognise them again */
  jobIds: string[];
  /** the error's first line as Workato wrote it (a stopped recipe: its stop cause); "" in rows from before v4 */
  firstLine: string;
  /** the newest jobs reported with what a redraw and the lineage need; [] in rows from before v4 */
  jobs: AlertedJob[];
  /** the alert mentioned the watch's people, so a redraw keeps them */
  mentioned: boolean;
  /** when every job of this kind was found handled (or a stopped recipe running again); null while open */
  resolvedAt: number | null;
}

export interface WatchStore {
  /**
   * Creates or, for the same channel+customer+recipe, replaces the mentions; returns the watch. `runbookUrl`: a URL
   * or null replaces the runbook, undefined keeps the one it has.
   */
  upsertWatch(
    watch: Pick<WatchRecord, "channel" | "customer" | "recipeId" | "mentions" | "createdBy"> & {
      runbookUrl?: string | null;
    },
    at: number,
  ): WatchRecord;
  removeWatch(channel: string, customer: string, recipeId: number): boolean;
  watches(filter?: { channel?: string }): WatchRecord[];
  watch(id: number): WatchRecord | undefined;
  updateWatchPoll(
    id: number,
    update: Partial<
      Pick<
        WatchRecord,
        | "cursorJobId"
        | "cursorStartedAt"
        | "cursorCompletedAt"
        | "lastPolledAt"
        | "consecutiveAuthFailures"
        | "pausedReason"
      >
    >,
  ): void;
  /** muted until (ms epoch) for a watch+signature; "*" mutes the whole watch */
  setMute(watchId: number, signature: string, until: number, mutedBy?: string | null): void;
  mutedUntil(watchId: number, signature: string): number | null;
  /** the Slack user who set the mute of a watch+signature; null when unknown or ended by an unmute */
  mutedBy(watchId: number, signature: string): string | null;
  /** every mute of a watch ("*" included), ended ones too, by signature */
  mutes(watchId: number): { signature: string; until: number }[];
  alertThread(watchId: number, signature: string): AlertThreadRecord | undefined;
  saveAlertThread(thread: AlertThreadRecord): void;
  /** alert threads of one watch, or unresolved ones seen since a time (what the poller re-checks), oldest first */
  alertThreads(filter: { watchId?: number; unresolvedSince?: number }): AlertThreadRecord[];
}

export interface Store
  extends RepeatStore,
    ClaimStore,
    WatchStore,
    FollowUpStore,
    RecoveryPlanStore,
    DigestStore,
    ViewStore,
    AlertStateStore {
  close(): void;
}

/** The same interface with every method answering later: what a store over the network (Postgres) offers. */
export type Promised<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : T[K];
};

/** Derived from Store, so the two contracts cannot drift apart. */
export type AsyncStore = Promised<Store>;
