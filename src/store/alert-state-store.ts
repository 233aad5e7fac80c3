// Durable on-call state of one top-level alert (by channel and ts): who has it, whether a person resolved it by hand
// and why, how far its escalation got; the jobs a hand resolution marked handled; and each watch's escalation steps.

/** A top-level alert: its message and its watch. */
export interface AlertKey {
  channel: string;
  ts: string;
  watchId: number;
}

export interface AlertState extends AlertKey {
  /** Slack user id of whoever said "I'm on it"; null when nobody has it */
  takenBy: string | null;
  takenAt: number | null;
  resolvedBy: string | null;
  resolvedAt: number | null;
  /** what the person wrote or chose in the Resolve dialog */
  resolvedReason: string | null;
  /** escalation steps already called in the alert's thread (0: none) */
  escalatedSteps: number;
}

/** Who to call next when nobody took or resolved an alert, and how long after the alert was posted. */
export interface EscalationStep {
  /** Slack mention strings, as a watch's mentions */
  mentions: string[];
  afterMs: number;
}

export type TakeResult = { ok: true } | { ok: false; takenBy: string | null };

export interface AlertStateStore {
  alertState(channel: string, ts: string): AlertState | undefined;
  /**
   * Gives the alert to `userId` when `from` still has it (null: when nobody has it). Two replicas taking at once:
   * one wins, the other hears who has it.
   */
  takeAlert(alert: AlertKey, userId: string, at: number, from: string | null): TakeResult;
  /** Gives the alert back; only its holder can. */
  releaseAlert(channel: string, ts: string, userId: string): boolean;
  /**
   * Resolves the alert by hand and marks its jobs handled for their recipe; false (nothing written) when someone
   * resolved it already.
   */
  resolveAlert(
    alert: AlertKey,
    resolution: { userId: string; reason: string; at: number },
    jobs: { customer: string; recipeId: number; masterJobIds: readonly string[] },
  ): boolean;
  /** Undoes a hand resolution, and its jobs are no longer handled; false when it was not resolved. */
  reopenAlert(channel: string, ts: string): boolean;
  /** Of these master jobs of a recipe (customer: CustomerRef.display), those an open hand resolution covers. */
  handResolvedJobs(customer: string, recipeId: number, masterJobIds: readonly string[]): string[];
  /** Records that step `step` (from 1) was called; false when it was already (another replica, a restart). */
  markEscalated(alert: AlertKey, step: number): boolean;
  /** Replaces the watch's escalation steps ([]: none). */
  setEscalation(watchId: number, steps: readonly EscalationStep[]): void;
  escalationOf(watchId: number): EscalationStep[];
}

export interface AlertStateRow {
  channel: string;
  ts: string;
  watch_id: number | string;
  taken_by: string | null;
  taken_at: number | string | null;
  resolved_by: string | null;
  resolved_at: number | string | null;
  resolved_reason: string | null;
  escalated_steps: number | string;
}

const nullableNumber = (value: number | string | null): number | null =>
  value === null ? null : Number(value);

export function toAlertState(row: AlertStateRow): AlertState {
  return {
    channel: row.channel,
    ts: row.ts,
    watchId: Number(row.watch_id),
    takenBy: row.taken_by,
    takenAt: nullableNumber(row.taken_at),
    resolvedBy: row.resolved_by,
    resolvedAt: nullableNumber(row.resolved_at),
    resolvedReason: row.resolved_reason,
    escalatedSteps: Number(row.escalated_steps),
  };
}

/** Steps as stored (JSON): anything malformed reads as no escalation rather than a crash of the poller. */
export function parseEscalation(text: string | undefined): EscalationStep[] {
  if (text === undefined) return [];
  try {
    const parsed: unknown = JSON.parse(text);
    if (!Array.isArray(parsed)) return [];
    return parsed.flatMap((step: unknown) => {
      if (typeof step !== "object" || step === null) return [];
      const { mentions, afterMs } = step as { mentions?: unknown; afterMs?: unknown };
      if (!Array.isArray(mentions) || typeof afterMs !== "number") return [];
      return [{ mentions: mentions.filter((m): m is string => typeof m === "string"), afterMs }];
    });
  } catch {
    return [];
  }
}
