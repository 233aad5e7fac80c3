// The narrow interface to durable state: repeats and their jobs, button claims, watches and their alerts. SQLite
// implements it for one process (Store); Postgres implements the same methods as promises (AsyncStore) for replicas.
import type { JobRepeatResult } from "../workato/client.js";
import type { FollowUpStore } from "./follow-up-store.js";

// ── Repeats ──────────────────────────────────────────────────────────────────────────────────────────────────

/** Where a repeat's results go, and who asked. */
export interface RepeatRecord {
  id: number;
  userId: string;
  channel: string;
  /** the thread parent; every batch reply and the summary go under it */
  threadTs: string;
  /** CustomerRef.display, parsed again when resumed */
  customer: string;
  recipeId: number;
  createdAt: number;
  finishedAt: number | null;
}

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
  recentRepeats(filter: {
    channel?: string;
    customer?: string;
    recipeId?: number;
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
  lastPolledAt: number | null;
  /** consecutive polls answered 401/403/404 */
  consecutiveAuthFailures: number;
  pausedReason: string | null;
}

export interface AlertThreadRecord {
  watchId: number;
  signature: string;
  channel: string;
  ts: string;
  firstSeenAt: number;
  lastSeenAt: number;
  count: number;
  jobIds: string[];
}

export interface WatchStore {
  /** Creates or, for the same channel+customer+recipe, replaces the mentions; returns the watch. */
  upsertWatch(
    watch: Pick<WatchRecord, "channel" | "customer" | "recipeId" | "mentions" | "createdBy">,
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
        "cursorJobId" | "cursorStartedAt" | "lastPolledAt" | "consecutiveAuthFailures" | "pausedReason"
      >
    >,
  ): void;
  /** muted until (ms epoch) for a watch+signature; "*" mutes the whole watch */
  setMute(watchId: number, signature: string, until: number): void;
  mutedUntil(watchId: number, signature: string): number | null;
  alertThread(watchId: number, signature: string): AlertThreadRecord | undefined;
  saveAlertThread(thread: AlertThreadRecord): void;
}

export interface Store extends RepeatStore, ClaimStore, WatchStore, FollowUpStore {
  close(): void;
}

/** The same interface with every method answering later: what a store over the network (Postgres) offers. */
export type Promised<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : T[K];
};

/** Derived from Store, so the two contracts cannot drift apart. */
export type AsyncStore = Promised<Store>;
