// RecoveryPlanStore on Postgres: the same queries as sqlite-recovery-plans.ts, answering as promises.
import type { Pool } from "pg";
import { queryRows } from "./postgres-pool.js";
import { type RecoveryPlanRow, type RecoveryPlanStore, toRecoveryPlan } from "./recovery-plan-store.js";
import type { Promised } from "./store.js";

export function createPostgresRecoveryPlans(pool: Pool): Promised<RecoveryPlanStore> {
  return {
    async saveRecoveryPlan(repeatId, plan) {
      await pool.query(
        "INSERT INTO recovery_plans (repeat_id, since, again) VALUES ($1, $2, $3) ON CONFLICT (repeat_id) DO NOTHING",
        [repeatId, plan.since, plan.again],
      );
    },
    async recoveryPlan(repeatId) {
      const rows = await queryRows<RecoveryPlanRow>(
        pool,
        "SELECT * FROM recovery_plans WHERE repeat_id = $1",
        [repeatId],
      );
      return rows[0] ? toRecoveryPlan(rows[0]) : undefined;
    },
    async stopRecovery(repeatId, userId, at) {
      const result = await pool.query(
        `UPDATE recovery_plans SET stopped_by = COALESCE(stopped_by, $1), stopped_at = COALESCE(stopped_at, $2)
         WHERE repeat_id = $3`,
        [userId, at, repeatId],
      );
      return (result.rowCount ?? 0) > 0;
    },
  };
}
