// What became of a failed job: its repeats (made by this bot or by a person in Workato) and how each ended, and
// the one rule that decides whether repeating it again would duplicate customer work. Pure: no I/O.

/** A repeat's state as Workato reports it; "running" covers Workato's pending. */
export type RepeatState = "running" | "succeeded" | "failed";

export interface KnownRepeat {
  /** the repeat's own job id (its master_job_id is the job that was repeated) */
  newJobId: string;
  state: RepeatState;
  /** ms since the epoch; null when Workato has not listed it yet (the bot just enqueued it) */
  startedAt: number | null;
  completedAt: number | null;
  /** Workato's error text of a failed repeat */
  error: string | null;
  /** set when this bot made the repeat: who asked for it, and when it was sent */
  requestedBy: { userId: string; at: number } | null;
}

/** Every repeat known of one master job, newest first. */
export interface Lineage {
  masterJobId: string;
  repeats: KnownRepeat[];
}

/**
 * How a failed master job stands, as a person deciding what to repeat needs it:
 * - never repeated: repeating it is what they expect;
 * - running / succeeded: repeating it again would run the customer's workflow twice;
 * - failed again: repeating it again (by its master id) is the next step;
 * - can't be repeated: Workato refuses it for good (past retention, 100 repeats, not an original), so it is never
 *   offered or counted as something to repeat again;
 * - unknown: Workato could not be asked, so nobody should guess.
 */
export type Handling =
  | { kind: "never_repeated" }
  | { kind: "running"; latest: KnownRepeat; repeats: number }
  | { kind: "succeeded"; latest: KnownRepeat; repeats: number }
  | { kind: "failed_again"; latest: KnownRepeat; repeats: number }
  | { kind: "cannot_repeat"; why: CannotRepeatWhy }
  | { kind: "unknown"; reason: string };

/** Why Workato will never repeat a job: its trigger data was erased, its 100 repeats are used up, or it is a repeat. */
export type CannotRepeatWhy = "past_retention" | "repeat_limit" | "not_master";

/** Every reason, in the order messages list them. */
export const CANNOT_REPEAT_WHYS: readonly CannotRepeatWhy[] = [
  "past_retention",
  "repeat_limit",
  "not_master",
];

/** Workato repeats each job at most this many times. */
export const MAX_REPEATS_PER_JOB = 100;

/** Workato's refusal of one job, read as for good; null for a refusal that may pass (not found, unknown type). */
export function cannotRepeatWhyOf(typeId: string | null, message: string): CannotRepeatWhy | null {
  if (typeId?.startsWith("err.job.repeat.trigger_data_unavailable")) return "past_retention";
  if (typeId === "err.job.repeat.invalid_id") return "not_master";
  // The doc names the limit but no type id for it: its message is read too.
  if (typeId === "err.job.repeat.limit_exceeded" || /maximum number of times/i.test(message)) {
    return "repeat_limit";
  }
  return null;
}

/** `refused`: why Workato refused a repeat of this job for good, when it did. */
export function handlingOf(lineage: Lineage | undefined, refused: CannotRepeatWhy | null = null): Handling {
  const latest = lineage?.repeats[0];
  const repeats = lineage?.repeats.length ?? 0;
  // A success anywhere in the lineage means the work was done, even if a later repeat (made by mistake) failed.
  const succeeded = lineage?.repeats.find((repeat) => repeat.state === "succeeded");
  if (succeeded) return { kind: "succeeded", latest: succeeded, repeats };
  const running = lineage?.repeats.find((repeat) => repeat.state === "running");
  if (running) return { kind: "running", latest: running, repeats };
  if (refused !== null) return { kind: "cannot_repeat", why: refused };
  if (repeats >= MAX_REPEATS_PER_JOB) return { kind: "cannot_repeat", why: "repeat_limit" };
  if (!latest) return { kind: "never_repeated" };
  return { kind: "failed_again", latest, repeats };
}

/** Whether a repeat of this job is what the person expects, without their saying `again`. */
export function isRepeatable(handling: Handling): boolean {
  return handling.kind === "never_repeated" || handling.kind === "failed_again";
}

/** Why jobs were left out of a repeat, counted, for the confirm dialog and the private confirmation. */
export interface LeftOut {
  succeeded: string[];
  running: string[];
  unknown: string[];
  /** Workato would refuse them, even with `again` */
  cannotRepeat: { jobId: string; why: CannotRepeatWhy }[];
  /** a person resolved their alert by hand ("fixed at the source", "won't fix"): nothing to repeat */
  resolved: string[];
}

export function noneLeftOut(): LeftOut {
  return { succeeded: [], running: [], unknown: [], cannotRepeat: [], resolved: [] };
}

/** Every job left out, in the order their reasons are told. */
export function leftOutIds(leftOut: LeftOut): string[] {
  return [
    ...leftOut.succeeded,
    ...leftOut.running,
    ...leftOut.cannotRepeat.map((job) => job.jobId),
    ...leftOut.unknown,
    ...leftOut.resolved,
  ];
}

export interface RepeatSelection {
  /** master job ids to send, in the order given */
  send: string[];
  leftOut: LeftOut;
  /** with `again`: jobs sent although already handled, so the confirmation can say so */
  includedAgain: string[];
}

/**
 * Splits the jobs a person asked to repeat into those to send and those left out. `again` includes succeeded,
 * running, unknown and hand-resolved jobs on purpose; the caller says so in its confirmation. Jobs Workato cannot repeat are left
 * out even then.
 */
export function selectForRepeat(
  jobIds: readonly string[],
  handlingOfJob: (jobId: string) => Handling,
  options: { again: boolean; resolvedByHand?: ReadonlySet<string> },
): RepeatSelection {
  const selection: RepeatSelection = {
    send: [],
    leftOut: noneLeftOut(),
    includedAgain: [],
  };
  for (const jobId of jobIds) {
    const handling = handlingOfJob(jobId);
    // A hand resolution handles the job whatever Workato says of it: someone decided it needs no repeat.
    if (options.resolvedByHand?.has(jobId) === true && !options.again) {
      selection.leftOut.resolved.push(jobId);
      continue;
    }
    if (isRepeatable(handling) && options.resolvedByHand?.has(jobId) !== true) {
      selection.send.push(jobId);
      continue;
    }
    if (handling.kind === "cannot_repeat") {
      selection.leftOut.cannotRepeat.push({ jobId, why: handling.why });
      continue;
    }
    if (options.again) {
      selection.send.push(jobId);
      selection.includedAgain.push(jobId);
      continue;
    }
    if (handling.kind === "succeeded") selection.leftOut.succeeded.push(jobId);
    else if (handling.kind === "running") selection.leftOut.running.push(jobId);
    else selection.leftOut.unknown.push(jobId);
  }
  return selection;
}

export function leftOutCount(leftOut: LeftOut): number {
  return (
    leftOut.succeeded.length +
    leftOut.running.length +
    leftOut.unknown.length +
    leftOut.cannotRepeat.length +
    leftOut.resolved.length
  );
}
