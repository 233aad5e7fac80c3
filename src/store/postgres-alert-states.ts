// AlertStateStore on Postgres: the same conditional updates as sqlite-alert-states.ts, answering as promises; two
// replicas taking or escalating the same alert at once find one row updated, never two.
import type { Pool } from "pg";
import {
  type AlertKey,
  type AlertStateRow,
  type AlertStateStore,
  parseEscalation,
  toAlertState,
} from "./alert-state-store.js";
import { inTransaction, queryRows } from "./postgres-pool.js";
import type { Promised } from "./store.js";

export function createPostgresAlertStates(pool: Pool): Promised<AlertStateStore> {
  const ensure = (alert: AlertKey) =>
    pool.query(
      "INSERT INTO alert_states (channel, ts, watch_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
      [alert.channel, alert.ts, alert.watchId],
    );
  const one = async (channel: string, ts: string) =>
    (
      await queryRows<AlertStateRow>(pool, "SELECT * FROM alert_states WHERE channel = $1 AND ts = $2", [
        channel,
        ts,
      ])
    )[0];

  return {
    async alertState(channel, ts) {
      const row = await one(channel, ts);
      return row ? toAlertState(row) : undefined;
    },

    async takeAlert(alert, userId, at, from) {
      await ensure(alert);
      const taken = await pool.query(
        `UPDATE alert_states SET taken_by = $1, taken_at = $2
         WHERE channel = $3 AND ts = $4 AND taken_by IS NOT DISTINCT FROM $5`,
        [userId, at, alert.channel, alert.ts, from],
      );
      if ((taken.rowCount ?? 0) > 0) return { ok: true };
      return { ok: false, takenBy: (await one(alert.channel, alert.ts))?.taken_by ?? null };
    },

    async releaseAlert(channel, ts, userId) {
      const released = await pool.query(
        "UPDATE alert_states SET taken_by = NULL, taken_at = NULL WHERE channel = $1 AND ts = $2 AND taken_by = $3",
        [channel, ts, userId],
      );
      return (released.rowCount ?? 0) > 0;
    },

    async resolveAlert(alert, resolution, jobs) {
      await ensure(alert);
      return inTransaction(pool, async (client) => {
        const resolved = await client.query(
          `UPDATE alert_states SET resolved_by = $1, resolved_at = $2, resolved_reason = $3
           WHERE channel = $4 AND ts = $5 AND resolved_by IS NULL`,
          [resolution.userId, resolution.at, resolution.reason, alert.channel, alert.ts],
        );
        if ((resolved.rowCount ?? 0) === 0) return false;
        await client.query(
          `INSERT INTO hand_resolved_jobs (channel, ts, customer, recipe_id, master_job_id)
           SELECT $1, $2, $3, $4, job FROM unnest($5::text[]) AS job ON CONFLICT DO NOTHING`,
          [alert.channel, alert.ts, jobs.customer, jobs.recipeId, [...jobs.masterJobIds]],
        );
        return true;
      });
    },

    reopenAlert(channel, ts) {
      return inTransaction(pool, async (client) => {
        const reopened = await client.query(
          `UPDATE alert_states SET resolved_by = NULL, resolved_at = NULL, resolved_reason = NULL
           WHERE channel = $1 AND ts = $2 AND resolved_by IS NOT NULL`,
          [channel, ts],
        );
        if ((reopened.rowCount ?? 0) === 0) return false;
        await client.query("DELETE FROM hand_resolved_jobs WHERE channel = $1 AND ts = $2", [channel, ts]);
        return true;
      });
    },

    async handResolvedJobs(customer, recipeId, masterJobIds) {
      if (masterJobIds.length === 0) return [];
      const rows = await queryRows<{ master_job_id: string }>(
        pool,
        `SELECT DISTINCT master_job_id FROM hand_resolved_jobs
         WHERE customer = $1 AND recipe_id = $2 AND master_job_id = ANY ($3::text[])`,
        [customer, recipeId, [...masterJobIds]],
      );
      return rows.map((row) => row.master_job_id);
    },

    async markEscalated(alert, step) {
      await ensure(alert);
      const marked = await pool.query(
        "UPDATE alert_states SET escalated_steps = $1 WHERE channel = $2 AND ts = $3 AND escalated_steps = $4",
        [step, alert.channel, alert.ts, step - 1],
      );
      return (marked.rowCount ?? 0) > 0;
    },

    async setEscalation(watchId, steps) {
      await pool.query(
        `INSERT INTO watch_escalations (watch_id, steps) VALUES ($1, $2)
         ON CONFLICT (watch_id) DO UPDATE SET steps = excluded.steps`,
        [watchId, JSON.stringify(steps)],
      );
    },

    async escalationOf(watchId) {
      const rows = await queryRows<{ steps: string }>(
        pool,
        "SELECT steps FROM watch_escalations WHERE watch_id = $1",
        [watchId],
      );
      return parseEscalation(rows[0]?.steps);
    },
  };
}
