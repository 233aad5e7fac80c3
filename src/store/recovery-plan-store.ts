// What a recovery (`repeat … failed since …`) adds to its repeat's record: the `since` it was read with, whether
// `again` was said, and who stopped it. Stored before the first request, so a restart resumes (or stays stopped).

export interface RecoveryPlan {
  repeatId: number;
  /** epoch ms; null: every failed job Workato listed */
  since: number | null;
  again: boolean;
  /** who clicked Stop, and when; null while it runs */
  stoppedBy: string | null;
  stoppedAt: number | null;
}

export interface RecoveryPlanStore {
  /** Records the plan of a repeat created just before; a second call for the same repeat changes nothing. */
  saveRecoveryPlan(repeatId: number, plan: { since: number | null; again: boolean }): void;
  recoveryPlan(repeatId: number): RecoveryPlan | undefined;
  /** Marks the recovery stopped (the first Stop counts); false when the repeat has no plan. Durable when it returns. */
  stopRecovery(repeatId: number, userId: string, at: number): boolean;
}

export interface RecoveryPlanRow {
  repeat_id: number;
  since: number | null;
  again: number | boolean;
  stopped_by: string | null;
  stopped_at: number | null;
}

export function toRecoveryPlan(row: RecoveryPlanRow): RecoveryPlan {
  return {
    repeatId: Number(row.repeat_id),
    since: row.since === null ? null : Number(row.since),
    again: row.again === true || row.again === 1,
    stoppedBy: row.stopped_by,
    stoppedAt: row.stopped_at === null ? null : Number(row.stopped_at),
  };
}
