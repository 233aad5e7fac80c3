// The Store on Postgres (node-postgres), shared by replicas: the same methods as the SQLite store, answering as
// promises. Every write is committed when its promise resolves, so a caller that awaits each step keeps the order
// "recorded → marked in flight → sent" durable, as with SQLite.
import type { PoolClient } from "pg";
import type { JobRepeatResult } from "../workato/client.js";
import { createPostgresAlertStates } from "./postgres-alert-states.js";
import { createPostgresDigests } from "./postgres-digests.js";
import { createPostgresFollowUps } from "./postgres-follow-ups.js";
import { migratePostgres } from "./postgres-migrations.js";
import { inTransaction, openPool, type PostgresStoreOptions, queryRows } from "./postgres-pool.js";
import { createPostgresRecoveryPlans } from "./postgres-recovery-plans.js";
import { createPostgresViews } from "./postgres-views.js";
import {
  type AlertThreadRow,
  alertThreadRow,
  doneResult,
  type RepeatJobRow,
  type RepeatRow,
  type RepeatSummarySqlRow,
  resultColumns,
  toAlertThread,
  toRepeat,
  toRepeatJob,
  toRepeatSummary,
  toWatch,
  type WatchRow,
  watchPollAssignments,
  watchUpsertValues,
} from "./sql-rows.js";
import type { AsyncStore } from "./store.js";

export type { PostgresStoreOptions } from "./postgres-pool.js";

/** Opens a pool, applies pending migrations, and answers once the schema is ready. */
export async function openPostgresStore(
  options: PostgresStoreOptions & {
    /** the database held none of the bot's tables: a new, empty store was created in it */
    onCreated?: () => void;
  },
): Promise<AsyncStore> {
  const pool = openPool(options);
  try {
    const { created } = await migratePostgres(pool);
    if (created) options.onCreated?.();
  } catch (error) {
    await pool.end();
    throw error;
  }
  const rows = <Row extends object>(sql: string, params?: unknown[]) => queryRows<Row>(pool, sql, params);
  const transaction = <T>(work: (client: PoolClient) => Promise<T>) => inTransaction(pool, work);

  return {
    ...createPostgresFollowUps(pool),
    ...createPostgresDigests(pool),
    ...createPostgresViews(pool),
    ...createPostgresRecoveryPlans(pool),
    ...createPostgresAlertStates(pool),

    createRepeat(repeat, jobIds, at) {
      return transaction(async (client) => {
        const inserted = await client.query<RepeatRow>(
          `INSERT INTO repeats (user_id, channel, thread_ts, customer, recipe_id, created_at)
           VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
          [repeat.userId, repeat.channel, repeat.threadTs, repeat.customer, repeat.recipeId, at],
        );
        const row = inserted.rows[0];
        if (!row) throw new Error("could not record the repeat");
        // Positions as given, duplicates kept once (as SQLite's INSERT OR IGNORE does).
        await client.query(
          `INSERT INTO repeat_jobs (repeat_id, job_id, position, state)
           SELECT $1, job.id, job.n - 1, 'waiting' FROM unnest($2::text[]) WITH ORDINALITY AS job (id, n)
           ON CONFLICT DO NOTHING`,
          [row.id, [...jobIds]],
        );
        return toRepeat(row);
      });
    },

    markInFlight(items, sentAt) {
      return transaction(async (client) => {
        // "About to be sent" must be on the server's disk before the request leaves, whatever the server's default.
        await client.query("SET LOCAL synchronous_commit = on");
        const batch = await client.query<{ id: number }>(
          "INSERT INTO repeat_batches (sent_at) VALUES ($1) RETURNING id",
          [sentAt],
        );
        const batchId = batch.rows[0]?.id;
        if (batchId === undefined) throw new Error("could not record a repeat batch");
        await client.query(
          `UPDATE repeat_jobs j SET state = 'in_flight', batch_id = $1
           FROM unnest($2::bigint[], $3::text[]) AS item (repeat_id, job_id)
           WHERE j.repeat_id = item.repeat_id AND j.job_id = item.job_id AND j.state = 'waiting'`,
          [batchId, items.map((item) => item.repeatId), items.map((item) => item.jobId)],
        );
        return batchId;
      });
    },

    async recordResults(repeatId: number, results: readonly JobRepeatResult[], batchNumber: number) {
      const columns = results.map(resultColumns);
      await pool.query(
        `UPDATE repeat_jobs j SET state = 'done', outcome = r.outcome, new_job_id = r.new_job_id, type_id = r.type_id,
           message = r.message, batch_number = $2
         FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
           AS r (job_id, outcome, new_job_id, type_id, message)
         WHERE j.repeat_id = $1 AND j.job_id = r.job_id AND j.state <> 'done'`,
        [
          repeatId,
          batchNumber,
          results.map((result) => result.jobId),
          columns.map((column) => column.outcome),
          columns.map((column) => column.newJobId),
          columns.map((column) => column.typeId),
          columns.map((column) => column.message),
        ],
      );
    },

    async markWaiting(items) {
      await pool.query(
        `UPDATE repeat_jobs j SET state = 'waiting', batch_id = NULL
         FROM unnest($1::bigint[], $2::text[]) AS item (repeat_id, job_id)
         WHERE j.repeat_id = item.repeat_id AND j.job_id = item.job_id AND j.state = 'in_flight'`,
        [items.map((item) => item.repeatId), items.map((item) => item.jobId)],
      );
    },

    async finishRepeat(repeatId, finishedAt) {
      await pool.query("UPDATE repeats SET finished_at = $1 WHERE id = $2", [finishedAt, repeatId]);
    },

    async unfinishedRepeats() {
      return (await rows<RepeatRow>("SELECT * FROM repeats WHERE finished_at IS NULL ORDER BY id")).map(
        toRepeat,
      );
    },

    async repeatJobs(repeatId) {
      const found = await rows<RepeatJobRow>(
        `SELECT j.*, b.sent_at FROM repeat_jobs j LEFT JOIN repeat_batches b ON b.id = j.batch_id
         WHERE j.repeat_id = $1 ORDER BY j.position`,
        [repeatId],
      );
      return found.map(toRepeatJob);
    },

    async batchesReported(repeatId) {
      const [row] = await rows<{ n: number | null }>(
        "SELECT MAX(batch_number) AS n FROM repeat_jobs WHERE repeat_id = $1",
        [repeatId],
      );
      return row?.n ?? 0;
    },

    async markResultsPosted(repeatId, jobIds) {
      await pool.query(
        "UPDATE repeat_jobs SET posted = TRUE WHERE repeat_id = $1 AND job_id = ANY($2::text[]) AND state = 'done'",
        [repeatId, [...jobIds]],
      );
    },

    async unpostedResults(repeatId) {
      const found = await rows<RepeatJobRow>(
        `SELECT j.*, NULL AS sent_at FROM repeat_jobs j WHERE j.repeat_id = $1 AND j.state = 'done' AND NOT j.posted
         ORDER BY j.batch_number, j.position`,
        [repeatId],
      );
      return found.flatMap(doneResult);
    },

    async recentRepeats(filter) {
      const where: string[] = [];
      const params: (string | number)[] = [];
      const condition = (column: string, value: string | number | undefined) => {
        if (value === undefined) return;
        params.push(value);
        where.push(`r.${column} = $${params.length}`);
      };
      condition("channel", filter.channel);
      condition("customer", filter.customer);
      condition("recipe_id", filter.recipeId);
      condition("user_id", filter.userId);
      params.push(filter.limit);
      const found = await rows<RepeatSummarySqlRow>(
        `SELECT r.*, COUNT(j.job_id) AS total,
           COUNT(*) FILTER (WHERE j.outcome = 'enqueued') AS enqueued,
           COUNT(*) FILTER (WHERE j.outcome = 'failed') AS failed,
           COUNT(*) FILTER (WHERE j.outcome = 'unknown') AS unknown,
           COUNT(*) FILTER (WHERE j.state <> 'done') AS waiting
         FROM repeats r LEFT JOIN repeat_jobs j ON j.repeat_id = r.id
         ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""}
         GROUP BY r.id ORDER BY r.id DESC LIMIT $${params.length}`,
        params,
      );
      return found.map(toRepeatSummary);
    },

    async claim(key, userId, at) {
      // One statement decides, so two replicas handling the same click cannot both take it.
      const taken = await pool.query(
        "INSERT INTO claims (key, user_id, at) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING",
        [key, userId, at],
      );
      if (taken.rowCount === 1) return { ok: true };
      const [holder] = await rows<{ user_id: string }>("SELECT user_id FROM claims WHERE key = $1", [key]);
      return { ok: false, claimedBy: holder?.user_id ?? "someone" };
    },

    async release(key) {
      await pool.query("DELETE FROM claims WHERE key = $1", [key]);
    },

    async forgetClaimsBefore(at) {
      await pool.query("DELETE FROM claims WHERE at < $1", [at]);
    },

    async upsertWatch(watch, at) {
      const { values, replaceRunbook } = watchUpsertValues(watch, at);
      const [row] = await rows<WatchRow>(
        // $8: whether the runbook given replaces the stored one, or the stored one stays.
        `INSERT INTO watches (channel, customer, recipe_id, mentions, created_by, created_at, runbook_url)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (channel, customer, recipe_id) DO UPDATE SET mentions = EXCLUDED.mentions, paused_reason = NULL,
           consecutive_auth_failures = 0,
           runbook_url = CASE WHEN $8 THEN EXCLUDED.runbook_url ELSE watches.runbook_url END
         RETURNING *`,
        [...values, replaceRunbook],
      );
      if (!row) throw new Error("could not save the watch");
      return toWatch(row);
    },

    async removeWatch(channel, customer, recipeId) {
      const removed = await pool.query(
        "DELETE FROM watches WHERE channel = $1 AND customer = $2 AND recipe_id = $3",
        [channel, customer, recipeId],
      );
      return (removed.rowCount ?? 0) > 0;
    },

    async watches(filter = {}) {
      const found =
        filter.channel === undefined
          ? await rows<WatchRow>("SELECT * FROM watches ORDER BY id")
          : await rows<WatchRow>("SELECT * FROM watches WHERE channel = $1 ORDER BY id", [filter.channel]);
      return found.map(toWatch);
    },

    async watch(id) {
      const [row] = await rows<WatchRow>("SELECT * FROM watches WHERE id = $1", [id]);
      return row ? toWatch(row) : undefined;
    },

    async updateWatchPoll(id, update) {
      const assignments = watchPollAssignments(update);
      if (assignments.length === 0) return;
      const sets = assignments.map(({ column }, index) => `${column} = $${index + 2}`).join(", ");
      await pool.query(`UPDATE watches SET ${sets} WHERE id = $1`, [
        id,
        ...assignments.map(({ value }) => value),
      ]);
    },

    async setMute(watchId, signature, until, mutedBy = null) {
      await pool.query(
        `INSERT INTO mutes (watch_id, signature, until, muted_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (watch_id, signature) DO UPDATE SET until = EXCLUDED.until, muted_by = EXCLUDED.muted_by`,
        [watchId, signature, until, mutedBy],
      );
    },

    async mutedBy(watchId, signature) {
      const [row] = await rows<{ muted_by: string | null }>(
        "SELECT muted_by FROM mutes WHERE watch_id = $1 AND signature = $2",
        [watchId, signature],
      );
      return row?.muted_by ?? null;
    },

    async mutedUntil(watchId, signature) {
      const [row] = await rows<{ until: number }>(
        "SELECT until FROM mutes WHERE watch_id = $1 AND signature = $2",
        [watchId, signature],
      );
      return row?.until ?? null;
    },

    async alertThread(watchId, signature) {
      const [row] = await rows<AlertThreadRow>(
        "SELECT * FROM alert_threads WHERE watch_id = $1 AND signature = $2",
        [watchId, signature],
      );
      return row ? toAlertThread(row) : undefined;
    },

    async saveAlertThread(thread) {
      const row = alertThreadRow(thread);
      await pool.query(
        `INSERT INTO alert_threads (watch_id, signature, channel, ts, first_seen_at, last_seen_at, count, job_ids,
           first_line, jobs, mentioned, resolved_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT (watch_id, signature) DO UPDATE SET channel = EXCLUDED.channel, ts = EXCLUDED.ts,
           first_seen_at = EXCLUDED.first_seen_at, last_seen_at = EXCLUDED.last_seen_at, count = EXCLUDED.count,
           job_ids = EXCLUDED.job_ids, first_line = EXCLUDED.first_line, jobs = EXCLUDED.jobs,
           mentioned = EXCLUDED.mentioned, resolved_at = EXCLUDED.resolved_at`,
        [
          row.watch_id,
          row.signature,
          row.channel,
          row.ts,
          row.first_seen_at,
          row.last_seen_at,
          row.count,
          row.job_ids,
          row.first_line,
          row.jobs,
          row.mentioned,
          row.resolved_at,
        ],
      );
    },

    async mutes(watchId) {
      return rows<{ signature: string; until: number }>(
        "SELECT signature, until FROM mutes WHERE watch_id = $1 ORDER BY signature",
        [watchId],
      );
    },

    async alertThreads(filter) {
      const conditions: string[] = [];
      const values: number[] = [];
      if (filter.watchId !== undefined) {
        values.push(filter.watchId);
        conditions.push(`watch_id = $${values.length}`);
      }
      if (filter.unresolvedSince !== undefined) {
        values.push(filter.unresolvedSince);
        conditions.push(`resolved_at IS NULL AND last_seen_at >= $${values.length}`);
      }
      const where = conditions.length > 0 ? `WHERE ${conditions.join(" AND ")}` : "";
      const found = await rows<AlertThreadRow>(
        `SELECT * FROM alert_threads ${where} ORDER BY first_seen_at, watch_id, signature`,
        values,
      );
      return found.map(toAlertThread);
    },

    async close() {
      await pool.end();
    },
  };
}
