// Who is on an alert, as the alert and its thread show it: taken by whom since when, resolved by hand by whom and
// why, and who the escalation called last. Drawn from the stored AlertState and the watch's escalation steps.
import type { AlertState, EscalationStep } from "../store/alert-state-store.js";

export interface AlertOnCall {
  takenBy: string | null;
  takenAt: number | null;
  resolvedBy: string | null;
  resolvedReason: string | null;
  /** the mentions of the last escalation step called; [] before any */
  escalatedTo: string[];
}

export const NOBODY_ON_IT: AlertOnCall = {
  takenBy: null,
  takenAt: null,
  resolvedBy: null,
  resolvedReason: null,
  escalatedTo: [],
};

export function onCallOf(state: AlertState | undefined, steps: readonly EscalationStep[]): AlertOnCall {
  if (!state) return NOBODY_ON_IT;
  return {
    takenBy: state.takenBy,
    takenAt: state.takenAt,
    resolvedBy: state.resolvedBy,
    resolvedReason: state.resolvedReason,
    escalatedTo: state.escalatedSteps > 0 ? (steps[state.escalatedSteps - 1]?.mentions ?? []) : [],
  };
}

/** A person closed the alert by hand: its jobs need no repeat. */
export function isResolvedByHand(onCall: AlertOnCall): boolean {
  return onCall.resolvedBy !== null;
}

/** The reasons the Resolve dialog offers; the person may also write their own. */
export const RESOLVE_REASONS = ["fixed at the source", "duplicate", "won't fix"] as const;
