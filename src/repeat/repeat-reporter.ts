// The narrow seam through which the repeat lifecycle tells people how a repeat goes (a Slack thread today): repeat/
// decides and records, the reporter only words and posts, so repeat/ never needs Block Kit.
import type { JobRepeatResult } from "../workato/client.js";
import type { CustomerRef } from "../workato/customer-ref.js";

/** What a person asked to repeat, and where. */
export interface RepeatStart {
  userId: string;
  channel: string;
  customer: CustomerRef;
  recipeId: number;
  /** master job ids, distinct */
  jobIds: string[];
}

/** Why a repeat was not started; nothing was sent to Workato in either case. */
export type CannotStart =
  /** the place its results would go could not be opened (`error`: the chat service's reason) */
  | { kind: "cannot_report"; error: string }
  /** the repeat could not be put on record, so a crash could have hidden it */
  | { kind: "cannot_record" };

/** How a repeat ended besides its results: stopped by someone, with jobs not sent. */
export interface RepeatEnding {
  notSent: number;
  stoppedBy: string | null;
}

export type Opened = { ok: true; threadTs: string } | { ok: false; error: string };

/**
 * One repeat's reporter. Each method is awaited before the runner goes on; a reporter logs its own delivery failures
 * and never throws for them, because the repeat's record, not the report, is what must not be lost.
 */
export interface RepeatReporter {
  /** Opens the place the results go (the thread's parent), before anything is recorded or sent. */
  opened(repeat: RepeatStart): Promise<Opened>;
  /** The repeat is on record (as `repeatId`): whatever offered it (a button) can now say it was asked for. */
  recorded(at: number, repeatId: number): Promise<void>;
  /** The results of one repeat_jobs request that carried some of this repeat's jobs, numbered from 1. */
  batch(results: readonly JobRepeatResult[], batchNumber: number): Promise<void>;
  /**
   * The final word: every job of the repeat, including those settled before a restart; `ending` says how many
   * were not sent because someone stopped it.
   */
  summary(results: readonly JobRepeatResult[], ending: RepeatEnding): Promise<void>;
  /** The bot restarted during this repeat; `inFlight` jobs' requests are being checked with Workato first. */
  restarted(inFlight: number): Promise<void>;
  /**
   * Nothing more is sent or reported until the store can be written again: said once, in place (never as a result),
   * so nobody reads a job as done or failed while it only waits.
   */
  paused(): Promise<void>;
  /** The store can be written again and the repeat carries on: the pause's words give way, in place. */
  resumed(): Promise<void>;
  cannotStart(reason: CannotStart): Promise<void>;
}
