// AlertStateStore on SQLite (tables alert_states, hand_resolved_jobs, watch_escalations; the last migration of
// migrations.ts). Every change is one conditional UPDATE, so a second click or a second process finds it done.
import type { Database } from "better-sqlite3";
import {
  type AlertKey,
  type AlertStateRow,
  type AlertStateStore,
  parseEscalation,
  type TakeResult,
  toAlertState,
} from "./alert-state-store.js";

export function createSqliteAlertStates(db: Database): AlertStateStore {
  const statements = {
    ensure: db.prepare("INSERT OR IGNORE INTO alert_states (channel, ts, watch_id) VALUES (?, ?, ?)"),
    one: db.prepare<[string, string], AlertStateRow>(
      "SELECT * FROM alert_states WHERE channel = ? AND ts = ?",
    ),
    take: db.prepare(
      "UPDATE alert_states SET taken_by = ?, taken_at = ? WHERE channel = ? AND ts = ? AND taken_by IS ?",
    ),
    release: db.prepare(
      "UPDATE alert_states SET taken_by = NULL, taken_at = NULL WHERE channel = ? AND ts = ? AND taken_by = ?",
    ),
    resolve: db.prepare(
      `UPDATE alert_states SET resolved_by = ?, resolved_at = ?, resolved_reason = ?
       WHERE channel = ? AND ts = ? AND resolved_by IS NULL`,
    ),
    resolvedJob: db.prepare(
      `INSERT OR IGNORE INTO hand_resolved_jobs (channel, ts, customer, recipe_id, master_job_id)
       VALUES (?, ?, ?, ?, ?)`,
    ),
    reopen: db.prepare(
      `UPDATE alert_states SET resolved_by = NULL, resolved_at = NULL, resolved_reason = NULL
       WHERE channel = ? AND ts = ? AND resolved_by IS NOT NULL`,
    ),
    forgetJobs: db.prepare("DELETE FROM hand_resolved_jobs WHERE channel = ? AND ts = ?"),
    handResolved: db.prepare<[string, number, string], { master_job_id: string }>(
      `SELECT DISTINCT master_job_id FROM hand_resolved_jobs
       WHERE customer = ? AND recipe_id = ? AND master_job_id IN (SELECT value FROM json_each(?))`,
    ),
    escalate: db.prepare(
      "UPDATE alert_states SET escalated_steps = ? WHERE channel = ? AND ts = ? AND escalated_steps = ?",
    ),
    setEscalation: db.prepare(
      `INSERT INTO watch_escalations (watch_id, steps) VALUES (?, ?)
       ON CONFLICT (watch_id) DO UPDATE SET steps = excluded.steps`,
    ),
    escalation: db.prepare<[number], { steps: string }>(
      "SELECT steps FROM watch_escalations WHERE watch_id = ?",
    ),
  };
  const ensure = (alert: AlertKey) => statements.ensure.run(alert.channel, alert.ts, alert.watchId);

  return {
    alertState(channel, ts) {
      const row = statements.one.get(channel, ts);
      return row ? toAlertState(row) : undefined;
    },

    takeAlert: db.transaction(
      (alert: AlertKey, userId: string, at: number, from: string | null): TakeResult => {
        ensure(alert);
        if (statements.take.run(userId, at, alert.channel, alert.ts, from).changes > 0) return { ok: true };
        return { ok: false, takenBy: statements.one.get(alert.channel, alert.ts)?.taken_by ?? null };
      },
    ),

    releaseAlert(channel, ts, userId) {
      return statements.release.run(channel, ts, userId).changes > 0;
    },

    resolveAlert: db.transaction(
      (
        alert: AlertKey,
        resolution: { userId: string; reason: string; at: number },
        jobs: { customer: string; recipeId: number; masterJobIds: readonly string[] },
      ) => {
        ensure(alert);
        const { userId, at, reason } = resolution;
        if (statements.resolve.run(userId, at, reason, alert.channel, alert.ts).changes === 0) return false;
        for (const jobId of jobs.masterJobIds)
          statements.resolvedJob.run(alert.channel, alert.ts, jobs.customer, jobs.recipeId, jobId);
        return true;
      },
    ),

    reopenAlert: db.transaction((channel: string, ts: string) => {
      if (statements.reopen.run(channel, ts).changes === 0) return false;
      statements.forgetJobs.run(channel, ts);
      return true;
    }),

    handResolvedJobs(customer, recipeId, masterJobIds) {
      if (masterJobIds.length === 0) return [];
      return statements.handResolved
        .all(customer, recipeId, JSON.stringify(masterJobIds))
        .map((row) => row.master_job_id);
    },

    markEscalated: db.transaction((alert: AlertKey, step: number) => {
      ensure(alert);
      return statements.escalate.run(step, alert.channel, alert.ts, step - 1).changes > 0;
    }),

    setEscalation(watchId, steps) {
      statements.setEscalation.run(watchId, JSON.stringify(steps));
    },

    escalationOf(watchId) {
      return parseEscalation(statements.escalation.get(watchId)?.steps);
    },
  };
}
