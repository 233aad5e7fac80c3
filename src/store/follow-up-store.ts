// Durable state of follow-ups (what became of each job a repeat enqueued) and the bot's own repeats by master job.
import type { RepeatRecord } from "./repeat-record.js";

/** "running" covers Workato's pending and any status it has not settled yet. */
export type FollowedState = "running" | "succeeded" | "failed";

/** A repeat this bot made of one master job, as the lineage reader needs it. */
export interface BotRepeatRecord {
  masterJobId: string;
  newJobId: string;
  repeatId: number;
  requestedBy: string;
  /** when the request carrying it was sent (ms epoch) */
  sentAt: number;
  /** what the follow-up last learnt from Workato; null when the repeat was never followed */
  followed: { state: FollowedState; error: string | null; completedAt: number | null } | null;
}

/** Workato's refusal of one job the bot asked it to repeat, as recorded with the request's answer. */
export interface RefusedRepeatRecord {
  masterJobId: string;
  typeId: string | null;
  message: string;
}

export interface FollowCounts {
  succeeded: number;
  failed: number;
  running: number;
  total: number;
}

export interface FollowUpRecord {
  repeat: RepeatRecord;
  /** the repeat's first send (ms epoch): the follow-up limit counts from here */
  startedAt: number;
  finishedAt: number | null;
  finishReason: "settled" | "time_limit" | null;
  /** the counts the sink was last told, so a restart does not tell it again */
  reportedCounts: FollowCounts | null;
  /** the counts as the store has them now */
  counts: FollowCounts;
}

export interface FollowedJobRecord {
  repeatId: number;
  masterJobId: string;
  newJobId: string;
  sentAt: number;
  state: FollowedState;
  error: string | null;
  /** Workato's completed_at (ms epoch) */
  completedAt: number | null;
  /** when the follow-up learnt the job had finished */
  settledAt: number | null;
  /** whether the sink was told this job failed again */
  reported: boolean;
}

export interface FollowedOutcome {
  newJobId: string;
  state: FollowedState;
  error: string | null;
  completedAt: number | null;
  settledAt: number | null;
}

export interface FollowUpStore {
  /** Every enqueued repeat of these master jobs made by this bot for the recipe; customer is CustomerRef.display. */
  botRepeatsOf(customer: string, recipeId: number, masterJobIds: readonly string[]): BotRepeatRecord[];
  /** Every refusal Workato answered the bot's repeats of these master jobs with, for the recipe. */
  refusedRepeatsOf(
    customer: string,
    recipeId: number,
    masterJobIds: readonly string[],
  ): RefusedRepeatRecord[];
  /**
   * Starts following a repeat, or adds the jobs it enqueued since the last call (idempotent). `at` is the start
   * when no request of the repeat has a send time. Undefined when no such repeat exists.
   */
  startFollowUp(repeatId: number, at: number): FollowUpRecord | undefined;
  followUpOf(repeatId: number): FollowUpRecord | undefined;
  unfinishedFollowUps(): FollowUpRecord[];
  followedJobs(repeatId: number): FollowedJobRecord[];
  recordFollowedOutcomes(repeatId: number, outcomes: readonly FollowedOutcome[]): void;
  /** The sink was told these jobs failed again. */
  markFailedAgainReported(repeatId: number, newJobIds: readonly string[]): void;
  /** The sink was told these counts. */
  saveReportedCounts(repeatId: number, counts: FollowCounts): void;
  finishFollowUp(repeatId: number, at: number, reason: "settled" | "time_limit"): void;
  /** The repeat's summary message in its thread, so its follow-up edits it in place (a later save replaces it). */
  saveSummaryTs(repeatId: number, ts: string): void;
  /** null when the summary was never posted (or by a bot older than this). */
  summaryTsOf(repeatId: number): string | null;
}
