// The seam through which the outcome follower tells the Slack side what became of a repeat's new jobs.
import type { FollowCounts } from "../store/follow-up-store.js";
import type { RepeatRecord } from "../store/store.js";

export type { FollowCounts };

export interface FailedAgainJob {
  /** the job that was repeated: "Repeat again" sends this id */
  masterJobId: string;
  newJobId: string;
  /** Workato's error text of the failed repeat */
  error: string | null;
  completedAt: number | null;
}

export interface FollowUpEnd {
  counts: FollowCounts;
  /** "time_limit": the follow-up gave up with jobs still running */
  reason: "settled" | "time_limit";
  stillRunning: { masterJobId: string; newJobId: string }[];
}

/**
 * Each call is made once per change (what was reported is kept in the store, so a restart does not repeat it);
 * a call that throws is made again next round. `counts.failed` counts repeats that failed again.
 */
export interface OutcomeSink {
  /** the counts changed: edit the repeat's summary in place */
  progress(repeat: RepeatRecord, counts: FollowCounts): Promise<void> | void;
  /** these jobs failed again since the last call: post them in the thread, grouped */
  failedAgain(repeat: RepeatRecord, jobs: FailedAgainJob[]): Promise<void> | void;
  /** the follow-up ended: every job settled, or the time limit was reached */
  finished(repeat: RepeatRecord, end: FollowUpEnd): Promise<void> | void;
}
