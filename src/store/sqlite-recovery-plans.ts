// RecoveryPlanStore on SQLite (table recovery_plans, migration 5 of migrations.ts).
import type { Database } from "better-sqlite3";
import { type RecoveryPlanRow, type RecoveryPlanStore, toRecoveryPlan } from "./recovery-plan-store.js";

export function createSqliteRecoveryPlans(db: Database): RecoveryPlanStore {
  const statements = {
    save: db.prepare(
      "INSERT INTO recovery_plans (repeat_id, since, again) VALUES (?, ?, ?) ON CONFLICT (repeat_id) DO NOTHING",
    ),
    one: db.prepare<[number], RecoveryPlanRow>("SELECT * FROM recovery_plans WHERE repeat_id = ?"),
    stop: db.prepare(
      "UPDATE recovery_plans SET stopped_by = COALESCE(stopped_by, ?), stopped_at = COALESCE(stopped_at, ?) WHERE repeat_id = ?",
    ),
  };
  return {
    saveRecoveryPlan(repeatId, plan) {
      statements.save.run(repeatId, plan.since, plan.again ? 1 : 0);
    },
    recoveryPlan(repeatId) {
      const row = statements.one.get(repeatId);
      return row ? toRecoveryPlan(row) : undefined;
    },
    stopRecovery(repeatId, userId, at) {
      return statements.stop.run(userId, at, repeatId).changes > 0;
    },
  };
}
