// The one legend of status icons every message uses, and the one tally of Workato's answers to repeat requests.
// ✅ only ever means "succeeded": a request Workato took is "enqueued" (📤), never a green tick, because nine green
// ticks read as "all fixed" while nine jobs are still running.
import type { JobRepeatResult } from "../../workato/client.js";

/** Each icon has one meaning wherever it appears; the README's legend lists the same. */
export const ICON = {
  /** a job, or a repeat's new job, succeeded */
  succeeded: ":white_check_mark:",
  /** a job failed, or a repeat's new job failed again */
  failed: ":x:",
  /** a job, or a repeat's new job, is still running */
  running: ":hourglass_flowing_sand:",
  /** Workato took the repeat request; what became of the new job is not known yet */
  enqueued: ":outbox_tray:",
  /** Workato refused to repeat the job (the reason is given beside it) */
  refused: ":no_entry_sign:",
  /** Workato may or may not have run the repeat (its answer was lost) */
  unknown: ":warning:",
  /** someone stopped a repeat, or Workato stopped a recipe */
  stopped: ":octagonal_sign:",
} as const;

/** What Workato answered for a repeat's jobs. `failed` is Workato's name for a refused job. */
export interface RequestCounts {
  enqueued: number;
  failed: number;
  unknown: number;
}

export function countRequests(results: readonly JobRepeatResult[]): RequestCounts {
  const counts = { enqueued: 0, failed: 0, unknown: 0 };
  for (const result of results) counts[result.outcome]++;
  return counts;
}

const n = (count: number) => count.toLocaleString("en-US");

/** mrkdwn: ":outbox_tray: 9 enqueued · :no_entry_sign: 1 refused · :warning: 0 unknown". */
export function requestTally(counts: RequestCounts): string {
  return `${ICON.enqueued} ${n(counts.enqueued)} enqueued · ${ICON.refused} ${n(counts.failed)} refused · ${ICON.unknown} ${n(counts.unknown)} unknown`;
}

/** Plain text (notifications, fallbacks): "9 enqueued, 1 refused, 0 unknown". */
export function requestTallyText(counts: RequestCounts): string {
  return `${n(counts.enqueued)} enqueued, ${n(counts.failed)} refused, ${n(counts.unknown)} unknown`;
}
