// The rows both SQL stores read (same table and column names in SQLite and Postgres) and their mapping to records.
import { z } from "zod";
import type { JobRepeatResult } from "../workato/client.js";
import type {
  AlertThreadRecord,
  RepeatJobRecord,
  RepeatJobState,
  RepeatRecord,
  RepeatSummaryRow,
  Store,
  WatchRecord,
} from "./store.js";

export interface RepeatRow {
  id: number;
  user_id: string;
  channel: string;
  thread_ts: string;
  customer: string;
  recipe_id: number;
  created_at: number;
  finished_at: number | null;
}

/** a repeat_jobs row joined with its batch's sent_at */
export interface RepeatJobRow {
  repeat_id: number;
  job_id: string;
  position: number;
  state: "waiting" | "in_flight" | "done";
  batch_id: number | null;
  sent_at: number | null;
  outcome: JobRepeatResult["outcome"] | null;
  new_job_id: string | null;
  type_id: string | null;
  message: string | null;
}

/** a repeats row with the counts of its jobs, as recentRepeats selects it */
export type RepeatSummarySqlRow = RepeatRow & {
  total: number;
  enqueued: number | null;
  failed: number | null;
  unknown: number | null;
  waiting: number | null;
};

export interface WatchRow {
  id: number;
  channel: string;
  customer: string;
  recipe_id: number;
  /** JSON array of strings */
  mentions: string;
  created_by: string;
  created_at: number;
  cursor_job_id: string | null;
  cursor_started_at: string | null;
  cursor_completed_at: string | null;
  last_polled_at: number | null;
  consecutive_auth_failures: number;
  paused_reason: string | null;
  runbook_url: string | null;
}

export interface AlertThreadRow {
  watch_id: number;
  signature: string;
  channel: string;
  ts: string;
  first_seen_at: number;
  last_seen_at: number;
  count: number;
  /** JSON array of strings */
  job_ids: string;
  first_line: string;
  /** JSON array of AlertedJob */
  jobs: string;
  /** 0 or 1 (SQLite), boolean (Postgres) */
  mentioned: number | boolean;
  resolved_at: number | null;
}

/** The watch fields a poll may change, and their columns. */
export const WATCH_POLL_COLUMNS = {
  cursorJobId: "cursor_job_id",
  cursorStartedAt: "cursor_started_at",
  cursorCompletedAt: "cursor_completed_at",
  lastPolledAt: "last_polled_at",
  consecutiveAuthFailures: "consecutive_auth_failures",
  pausedReason: "paused_reason",
} as const satisfies Partial<Record<keyof WatchRecord, string>>;

/** The columns and values of a poll update, in one order, for an UPDATE … SET. */
export function watchPollAssignments(
  update: Partial<Pick<WatchRecord, keyof typeof WATCH_POLL_COLUMNS>>,
): { column: string; value: string | number | null }[] {
  return Object.entries(WATCH_POLL_COLUMNS).flatMap(([key, column]) => {
    const value = update[key as keyof typeof WATCH_POLL_COLUMNS];
    return value === undefined ? [] : [{ column, value }];
  });
}

/**
 * An upsertWatch's values in column order (channel, customer, recipe_id, mentions, created_by, created_at,
 * runbook_url), and whether the runbook given replaces the stored one (false: it stays).
 */
export function watchUpsertValues(
  watch: Parameters<Store["upsertWatch"]>[0],
  at: number,
): {
  values: [string, string, number, string, string, number, string | null];
  replaceRunbook: boolean;
} {
  return {
    values: [
      watch.channel,
      watch.customer,
      watch.recipeId,
      JSON.stringify(watch.mentions),
      watch.createdBy,
      at,
      watch.runbookUrl ?? null,
    ],
    replaceRunbook: watch.runbookUrl !== undefined,
  };
}

// Written by this app only, but a column is still a boundary: a hand-edited row must fail loudly, not half-work.
const stringList = z.array(z.string());
const alertedJobList = z.array(
  z.object({
    id: z.string(),
    masterJobId: z.string(),
    startedAt: z.string().nullable(),
    followUp: z.literal(true).optional(),
  }),
);

export function toRepeat(row: RepeatRow): RepeatRecord {
  return {
    id: row.id,
    userId: row.user_id,
    channel: row.channel,
    threadTs: row.thread_ts,
    customer: row.customer,
    recipeId: row.recipe_id,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
  };
}

export function toRepeatJob(row: RepeatJobRow): RepeatJobRecord {
  return { repeatId: row.repeat_id, jobId: row.job_id, position: row.position, status: jobState(row) };
}

/** The recorded result of a done job's row; nothing for a row still waiting or in flight. */
export function doneResult(row: RepeatJobRow): JobRepeatResult[] {
  const state = jobState(row);
  return state.state === "done" ? [state.result] : [];
}

export function toRepeatSummary(row: RepeatSummarySqlRow): RepeatSummaryRow {
  return {
    repeat: toRepeat(row),
    total: row.total,
    enqueued: row.enqueued ?? 0,
    failed: row.failed ?? 0,
    unknown: row.unknown ?? 0,
    waiting: row.waiting ?? 0,
  };
}

export function toWatch(row: WatchRow): WatchRecord {
  return {
    id: row.id,
    channel: row.channel,
    customer: row.customer,
    recipeId: row.recipe_id,
    mentions: stringList.parse(JSON.parse(row.mentions)),
    createdBy: row.created_by,
    createdAt: row.created_at,
    cursorJobId: row.cursor_job_id,
    cursorStartedAt: row.cursor_started_at,
    cursorCompletedAt: row.cursor_completed_at,
    lastPolledAt: row.last_polled_at,
    consecutiveAuthFailures: row.consecutive_auth_failures,
    pausedReason: row.paused_reason,
    runbookUrl: row.runbook_url,
  };
}

export function toAlertThread(row: AlertThreadRow): AlertThreadRecord {
  return {
    watchId: row.watch_id,
    signature: row.signature,
    channel: row.channel,
    ts: row.ts,
    firstSeenAt: row.first_seen_at,
    lastSeenAt: row.last_seen_at,
    count: row.count,
    jobIds: stringList.parse(JSON.parse(row.job_ids)),
    firstLine: row.first_line,
    jobs: alertedJobList.parse(JSON.parse(row.jobs)),
    mentioned: row.mentioned === true || row.mentioned === 1,
    resolvedAt: row.resolved_at === null ? null : Number(row.resolved_at),
  };
}

export function alertThreadRow(thread: AlertThreadRecord): AlertThreadRow {
  return {
    watch_id: thread.watchId,
    signature: thread.signature,
    channel: thread.channel,
    ts: thread.ts,
    first_seen_at: thread.firstSeenAt,
    last_seen_at: thread.lastSeenAt,
    count: thread.count,
    job_ids: JSON.stringify(thread.jobIds),
    first_line: thread.firstLine,
    jobs: JSON.stringify(thread.jobs),
    mentioned: thread.mentioned ? 1 : 0,
    resolved_at: thread.resolvedAt,
  };
}

/** The columns recordResults writes for one result. */
export function resultColumns(result: JobRepeatResult): {
  outcome: JobRepeatResult["outcome"];
  newJobId: string | null;
  typeId: string | null;
  message: string | null;
} {
  return {
    outcome: result.outcome,
    newJobId: result.outcome === "enqueued" ? result.newJobId : null,
    typeId: result.outcome === "failed" ? result.typeId : null,
    message: result.outcome === "enqueued" ? null : result.message,
  };
}

function jobState(row: RepeatJobRow): RepeatJobState {
  if (row.state === "waiting") return { state: "waiting" };
  if (row.state === "in_flight")
    return { state: "in_flight", batchId: row.batch_id ?? 0, sentAt: row.sent_at ?? 0 };
  const jobId = row.job_id;
  if (row.outcome === "enqueued")
    return { state: "done", result: { jobId, outcome: "enqueued", newJobId: row.new_job_id ?? "" } };
  if (row.outcome === "failed") {
    return {
      state: "done",
      result: { jobId, outcome: "failed", typeId: row.type_id, message: row.message ?? "" },
    };
  }
  return { state: "done", result: { jobId, outcome: "unknown", message: row.message ?? "" } };
}
