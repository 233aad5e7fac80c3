// The follow-up rows both SQL stores read (same tables and columns in SQLite and Postgres) and their mapping to
// records; only the queries differ between sqlite-follow-ups.ts and postgres-follow-ups.ts.
import { z } from "zod";
import type { BotRepeatRecord, FollowedJobRecord, FollowedState, FollowUpRecord } from "./follow-up-store.js";

/** a repeat_follow_ups row joined with its repeat and the counts of its outcomes */
export interface FollowUpRow {
  repeat_id: number;
  started_at: number;
  finished_at: number | null;
  finish_reason: "settled" | "time_limit" | null;
  reported_counts: string | null;
  user_id: string;
  channel: string;
  thread_ts: string;
  customer: string;
  recipe_id: number;
  created_at: number;
  repeat_finished_at: number | null;
  /** null in SQLite when the repeat has no outcomes yet (SUM of nothing) */
  succeeded: number | null;
  failed: number | null;
  running: number | null;
  total: number;
}

/** a repeat_job_outcomes row with its batch's sent_at */
export interface FollowedJobRow {
  repeat_id: number;
  job_id: string;
  new_job_id: string;
  sent_at: number | null;
  state: FollowedState;
  error: string | null;
  completed_at: number | null;
  settled_at: number | null;
  /** 0 or 1 (SQLite), boolean (Postgres) */
  reported: number | boolean;
}

/** an enqueued repeat_jobs row with its repeat, batch and outcome, if followed */
export interface BotRepeatRow {
  job_id: string;
  new_job_id: string;
  repeat_id: number;
  user_id: string;
  sent_at: number | null;
  created_at: number;
  state: FollowedState | null;
  error: string | null;
  completed_at: number | null;
}

// Written by this app only, but a column is still a boundary: a hand-edited row must fail loudly, not half-work.
const followCounts = z.object({
  succeeded: z.number(),
  failed: z.number(),
  running: z.number(),
  total: z.number(),
});

export function toFollowUp(row: FollowUpRow): FollowUpRecord {
  return {
    repeat: {
      id: row.repeat_id,
      userId: row.user_id,
      channel: row.channel,
      threadTs: row.thread_ts,
      customer: row.customer,
      recipeId: row.recipe_id,
      createdAt: row.created_at,
      finishedAt: row.repeat_finished_at,
    },
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    finishReason: row.finish_reason,
    reportedCounts: row.reported_counts === null ? null : followCounts.parse(JSON.parse(row.reported_counts)),
    counts: {
      succeeded: row.succeeded ?? 0,
      failed: row.failed ?? 0,
      running: row.running ?? 0,
      total: row.total,
    },
  };
}

export function toFollowedJob(row: FollowedJobRow): FollowedJobRecord {
  return {
    repeatId: row.repeat_id,
    masterJobId: row.job_id,
    newJobId: row.new_job_id,
    sentAt: row.sent_at ?? 0,
    state: row.state,
    error: row.error,
    completedAt: row.completed_at,
    settledAt: row.settled_at,
    reported: row.reported === true || row.reported === 1,
  };
}

export function toBotRepeat(row: BotRepeatRow): BotRepeatRecord {
  return {
    masterJobId: row.job_id,
    newJobId: row.new_job_id,
    repeatId: row.repeat_id,
    requestedBy: row.user_id,
    sentAt: row.sent_at ?? row.created_at,
    followed:
      row.state === null ? null : { state: row.state, error: row.error, completedAt: row.completed_at },
  };
}
