// FollowUpStore on Postgres: the same queries as sqlite-follow-ups.ts (rows read by follow-up-rows.ts), answering as
// promises, safe for replicas (every insert that two replicas may make at once is ON CONFLICT DO NOTHING).

import type { Pool } from "pg";
import {
  type BotRepeatRow,
  type FollowedJobRow,
  type FollowUpRow,
  toBotRepeat,
  toFollowedJob,
  toFollowUp,
} from "./follow-up-rows.js";
import type { FollowedOutcome, FollowUpRecord, FollowUpStore } from "./follow-up-store.js";
import { inTransaction, queryRows } from "./postgres-pool.js";
import type { Promised } from "./store.js";

const FOLLOW_UP_SELECT = `
  SELECT f.*, r.user_id, r.channel, r.thread_ts, r.customer, r.recipe_id, r.created_at,
    r.finished_at AS repeat_finished_at, c.total, c.succeeded, c.failed, c.running
  FROM repeat_follow_ups f JOIN repeats r ON r.id = f.repeat_id
  CROSS JOIN LATERAL (
    SELECT COUNT(*) AS total,
      COUNT(*) FILTER (WHERE o.state = 'succeeded') AS succeeded,
      COUNT(*) FILTER (WHERE o.state = 'failed') AS failed,
      COUNT(*) FILTER (WHERE o.state = 'running') AS running
    FROM repeat_job_outcomes o WHERE o.repeat_id = f.repeat_id
  ) c`;

export function createPostgresFollowUps(pool: Pool): Promised<FollowUpStore> {
  const followUpOf = async (repeatId: number): Promise<FollowUpRecord | undefined> => {
    const [row] = await queryRows<FollowUpRow>(pool, `${FOLLOW_UP_SELECT} WHERE f.repeat_id = $1`, [
      repeatId,
    ]);
    return row ? toFollowUp(row) : undefined;
  };

  return {
    async botRepeatsOf(customer, recipeId, masterJobIds) {
      if (masterJobIds.length === 0) return [];
      const found = await queryRows<BotRepeatRow>(
        pool,
        `SELECT j.job_id, j.new_job_id, j.repeat_id, r.user_id, r.created_at, b.sent_at, o.state, o.error,
           o.completed_at
         FROM repeat_jobs j JOIN repeats r ON r.id = j.repeat_id
         LEFT JOIN repeat_batches b ON b.id = j.batch_id
         LEFT JOIN repeat_job_outcomes o ON o.repeat_id = j.repeat_id AND o.job_id = j.job_id
         WHERE r.customer = $1 AND r.recipe_id = $2 AND j.outcome = 'enqueued' AND j.new_job_id IS NOT NULL
           AND j.job_id = ANY ($3::text[])`,
        [customer, recipeId, [...masterJobIds]],
      );
      return found.map(toBotRepeat);
    },

    async refusedRepeatsOf(customer, recipeId, masterJobIds) {
      if (masterJobIds.length === 0) return [];
      const found = await queryRows<{ job_id: string; type_id: string | null; message: string | null }>(
        pool,
        `SELECT j.job_id, j.type_id, j.message FROM repeat_jobs j JOIN repeats r ON r.id = j.repeat_id
         WHERE r.customer = $1 AND r.recipe_id = $2 AND j.outcome = 'failed' AND j.job_id = ANY ($3::text[])
         ORDER BY j.repeat_id, j.position`,
        [customer, recipeId, [...masterJobIds]],
      );
      return found.map((row) => ({
        masterJobId: row.job_id,
        typeId: row.type_id,
        message: row.message ?? "",
      }));
    },

    startFollowUp(repeatId, at) {
      return inTransaction(pool, async (client) => {
        await client.query(
          `INSERT INTO repeat_follow_ups (repeat_id, started_at)
           SELECT r.id, COALESCE((SELECT MIN(b.sent_at) FROM repeat_jobs j JOIN repeat_batches b ON b.id = j.batch_id
             WHERE j.repeat_id = r.id), $1) FROM repeats r WHERE r.id = $2
           ON CONFLICT DO NOTHING`,
          [at, repeatId],
        );
        await client.query(
          `INSERT INTO repeat_job_outcomes (repeat_id, job_id, new_job_id, state)
           SELECT repeat_id, job_id, new_job_id, 'running' FROM repeat_jobs
           WHERE repeat_id = $1 AND outcome = 'enqueued' AND new_job_id IS NOT NULL
           ON CONFLICT DO NOTHING`,
          [repeatId],
        );
        const [row] = await queryRows<FollowUpRow>(client, `${FOLLOW_UP_SELECT} WHERE f.repeat_id = $1`, [
          repeatId,
        ]);
        return row ? toFollowUp(row) : undefined;
      });
    },

    followUpOf,

    async unfinishedFollowUps() {
      const found = await queryRows<FollowUpRow>(
        pool,
        `${FOLLOW_UP_SELECT} WHERE f.finished_at IS NULL ORDER BY f.repeat_id`,
      );
      return found.map(toFollowUp);
    },

    async followedJobs(repeatId) {
      const found = await queryRows<FollowedJobRow>(
        pool,
        `SELECT o.*, b.sent_at FROM repeat_job_outcomes o
         JOIN repeat_jobs j ON j.repeat_id = o.repeat_id AND j.job_id = o.job_id
         LEFT JOIN repeat_batches b ON b.id = j.batch_id
         WHERE o.repeat_id = $1 ORDER BY j.position`,
        [repeatId],
      );
      return found.map(toFollowedJob);
    },

    async recordFollowedOutcomes(repeatId, outcomes: readonly FollowedOutcome[]) {
      await pool.query(
        `UPDATE repeat_job_outcomes o SET state = u.state, error = u.error, completed_at = u.completed_at,
           settled_at = u.settled_at
         FROM unnest($2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[])
           AS u (new_job_id, state, error, completed_at, settled_at)
         WHERE o.repeat_id = $1 AND o.new_job_id = u.new_job_id`,
        [
          repeatId,
          outcomes.map((outcome) => outcome.newJobId),
          outcomes.map((outcome) => outcome.state),
          outcomes.map((outcome) => outcome.error),
          outcomes.map((outcome) => outcome.completedAt),
          outcomes.map((outcome) => outcome.settledAt),
        ],
      );
    },

    async markFailedAgainReported(repeatId, newJobIds) {
      await pool.query(
        "UPDATE repeat_job_outcomes SET reported = true WHERE repeat_id = $1 AND new_job_id = ANY ($2::text[])",
        [repeatId, [...newJobIds]],
      );
    },

    async saveReportedCounts(repeatId, counts) {
      await pool.query("UPDATE repeat_follow_ups SET reported_counts = $1 WHERE repeat_id = $2", [
        JSON.stringify(counts),
        repeatId,
      ]);
    },

    async finishFollowUp(repeatId, at, reason) {
      await pool.query(
        "UPDATE repeat_follow_ups SET finished_at = $1, finish_reason = $2 WHERE repeat_id = $3 AND finished_at IS NULL",
        [at, reason, repeatId],
      );
    },

    async saveSummaryTs(repeatId, ts) {
      await pool.query(
        `INSERT INTO repeat_summaries (repeat_id, ts) VALUES ($1, $2)
         ON CONFLICT (repeat_id) DO UPDATE SET ts = excluded.ts`,
        [repeatId, ts],
      );
    },

    async summaryTsOf(repeatId) {
      const { rows } = await pool.query<{ ts: string }>(
        "SELECT ts FROM repeat_summaries WHERE repeat_id = $1",
        [repeatId],
      );
      return rows[0]?.ts ?? null;
    },
  };
}
