// FollowUpStore on SQLite: the outcomes of a repeat's new jobs, what was reported of them, the bot's own repeats.
import type { Database } from "better-sqlite3";
import {
  type BotRepeatRow,
  type FollowedJobRow,
  type FollowUpRow,
  toBotRepeat,
  toFollowedJob,
  toFollowUp,
} from "./follow-up-rows.js";
import type { FollowedOutcome, FollowUpRecord, FollowUpStore } from "./follow-up-store.js";

const FOLLOW_UP_SELECT = `
  SELECT f.*, r.user_id, r.channel, r.thread_ts, r.customer, r.recipe_id, r.created_at,
    r.finished_at AS repeat_finished_at,
    (SELECT COUNT(*) FROM repeat_job_outcomes o WHERE o.repeat_id = f.repeat_id) AS total,
    (SELECT SUM(o.state = 'succeeded') FROM repeat_job_outcomes o WHERE o.repeat_id = f.repeat_id) AS succeeded,
    (SELECT SUM(o.state = 'failed') FROM repeat_job_outcomes o WHERE o.repeat_id = f.repeat_id) AS failed,
    (SELECT SUM(o.state = 'running') FROM repeat_job_outcomes o WHERE o.repeat_id = f.repeat_id) AS running
  FROM repeat_follow_ups f JOIN repeats r ON r.id = f.repeat_id`;

export function createSqliteFollowUps(db: Database): FollowUpStore {
  const statements = {
    insertFollowUp: db.prepare(
      `INSERT OR IGNORE INTO repeat_follow_ups (repeat_id, started_at)
       SELECT r.id, COALESCE((SELECT MIN(b.sent_at) FROM repeat_jobs j JOIN repeat_batches b ON b.id = j.batch_id
         WHERE j.repeat_id = r.id), ?) FROM repeats r WHERE r.id = ?`,
    ),
    insertFollowedJobs: db.prepare(
      `INSERT OR IGNORE INTO repeat_job_outcomes (repeat_id, job_id, new_job_id, state)
       SELECT repeat_id, job_id, new_job_id, 'running' FROM repeat_jobs
       WHERE repeat_id = ? AND outcome = 'enqueued' AND new_job_id IS NOT NULL`,
    ),
    followUp: db.prepare<[number], FollowUpRow>(`${FOLLOW_UP_SELECT} WHERE f.repeat_id = ?`),
    unfinished: db.prepare<[], FollowUpRow>(
      `${FOLLOW_UP_SELECT} WHERE f.finished_at IS NULL ORDER BY f.repeat_id`,
    ),
    followedJobs: db.prepare<[number], FollowedJobRow>(
      `SELECT o.*, b.sent_at FROM repeat_job_outcomes o
       JOIN repeat_jobs j ON j.repeat_id = o.repeat_id AND j.job_id = o.job_id
       LEFT JOIN repeat_batches b ON b.id = j.batch_id
       WHERE o.repeat_id = ? ORDER BY j.position`,
    ),
    recordOutcome: db.prepare(
      `UPDATE repeat_job_outcomes SET state = ?, error = ?, completed_at = ?, settled_at = ?
       WHERE repeat_id = ? AND new_job_id = ?`,
    ),
    markReported: db.prepare(
      "UPDATE repeat_job_outcomes SET reported = 1 WHERE repeat_id = ? AND new_job_id = ?",
    ),
    saveCounts: db.prepare("UPDATE repeat_follow_ups SET reported_counts = ? WHERE repeat_id = ?"),
    finish: db.prepare(
      "UPDATE repeat_follow_ups SET finished_at = ?, finish_reason = ? WHERE repeat_id = ? AND finished_at IS NULL",
    ),
    saveSummary: db.prepare(
      `INSERT INTO repeat_summaries (repeat_id, ts) VALUES (?, ?)
       ON CONFLICT (repeat_id) DO UPDATE SET ts = excluded.ts`,
    ),
    summary: db.prepare<[number], { ts: string }>("SELECT ts FROM repeat_summaries WHERE repeat_id = ?"),
    botRepeats: db.prepare<[string, number, string], BotRepeatRow>(
      `SELECT j.job_id, j.new_job_id, j.repeat_id, r.user_id, r.created_at, b.sent_at, o.state, o.error, o.completed_at
       FROM repeat_jobs j JOIN repeats r ON r.id = j.repeat_id
       LEFT JOIN repeat_batches b ON b.id = j.batch_id
       LEFT JOIN repeat_job_outcomes o ON o.repeat_id = j.repeat_id AND o.job_id = j.job_id
       WHERE r.customer = ? AND r.recipe_id = ? AND j.outcome = 'enqueued' AND j.new_job_id IS NOT NULL
         AND j.job_id IN (SELECT value FROM json_each(?))`,
    ),
    refused: db.prepare<
      [string, number, string],
      { job_id: string; type_id: string | null; message: string | null }
    >(
      `SELECT j.job_id, j.type_id, j.message FROM repeat_jobs j JOIN repeats r ON r.id = j.repeat_id
       WHERE r.customer = ? AND r.recipe_id = ? AND j.outcome = 'failed'
         AND j.job_id IN (SELECT value FROM json_each(?))
       ORDER BY j.repeat_id, j.position`,
    ),
  };

  const followUpOf = (repeatId: number): FollowUpRecord | undefined => {
    const row = statements.followUp.get(repeatId);
    return row ? toFollowUp(row) : undefined;
  };

  return {
    botRepeatsOf(customer, recipeId, masterJobIds) {
      if (masterJobIds.length === 0) return [];
      return statements.botRepeats.all(customer, recipeId, JSON.stringify(masterJobIds)).map(toBotRepeat);
    },

    refusedRepeatsOf(customer, recipeId, masterJobIds) {
      if (masterJobIds.length === 0) return [];
      return statements.refused
        .all(customer, recipeId, JSON.stringify(masterJobIds))
        .map((row) => ({ masterJobId: row.job_id, typeId: row.type_id, message: row.message ?? "" }));
    },

    startFollowUp: db.transaction((repeatId: number, at: number) => {
      statements.insertFollowUp.run(at, repeatId);
      statements.insertFollowedJobs.run(repeatId);
      return followUpOf(repeatId);
    }),

    followUpOf,

    unfinishedFollowUps() {
      return statements.unfinished.all().map(toFollowUp);
    },

    followedJobs(repeatId) {
      return statements.followedJobs.all(repeatId).map(toFollowedJob);
    },

    recordFollowedOutcomes: db.transaction((repeatId: number, outcomes: readonly FollowedOutcome[]) => {
      for (const outcome of outcomes) {
        statements.recordOutcome.run(
          outcome.state,
          outcome.error,
          outcome.completedAt,
          outcome.settledAt,
          repeatId,
          outcome.newJobId,
        );
      }
    }),

    markFailedAgainReported: db.transaction((repeatId: number, newJobIds: readonly string[]) => {
      for (const newJobId of newJobIds) statements.markReported.run(repeatId, newJobId);
    }),

    saveReportedCounts(repeatId, counts) {
      statements.saveCounts.run(JSON.stringify(counts), repeatId);
    },

    finishFollowUp(repeatId, at, reason) {
      statements.finish.run(at, reason, repeatId);
    },

    saveSummaryTs(repeatId, ts) {
      statements.saveSummary.run(repeatId, ts);
    },

    summaryTsOf(repeatId) {
      return statements.summary.get(repeatId)?.ts ?? null;
    },
  };
}
