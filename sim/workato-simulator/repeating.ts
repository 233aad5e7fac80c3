// Repeat jobs: validating the job_ids payload with Workato's messages, and each id's outcome (enqueue or refuse).
import type { SimState } from "./state.js";
import type { SimJob } from "./types.js";

/** What repeating needs besides the jobs: the retention rule and who to tell about a new repeat. */
export interface RepeatEnv {
  state: SimState;
  /** trigger data erased by retention (the job's own flag, or its age) */
  isExpired(job: SimJob): boolean;
  /** `n`: which repeat of its master this is, 1-based */
  onEnqueued(repeat: SimJob, n: number): void;
}

export const MAX_JOBS_PER_REQUEST = 25;
export const MAX_REPEATS_PER_JOB = 100;

export type RepeatResult =
  | { requested_job_id: string; status: "enqueued"; job: { id: string } }
  | { requested_job_id: string; status: "failed"; error: { type_id: string; message: string } };

export interface RepeatAnswer {
  results: RepeatResult[];
  summary: { total_requested: number; total_enqueued: number; total_failed: number };
}

const MISSING_JOB_IDS = "param is missing or the value is empty or invalid: job_ids";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Checked in the order Workato reports them: unusable payload, too many ids, duplicates.
 * The duplicates wording is ours (the doc only says duplicates are a 400); it names every duplicated id once.
 */
export function parseRepeatBody(body: unknown): { jobIds: string[] } | { message: string } {
  if (!isRecord(body)) return { message: MISSING_JOB_IDS };
  const ids = body.job_ids;
  if (!Array.isArray(ids) || ids.length === 0) return { message: MISSING_JOB_IDS };
  const jobIds: string[] = [];
  for (const id of ids) {
    if (typeof id !== "string" || id === "") return { message: MISSING_JOB_IDS };
    jobIds.push(id);
  }
  if (jobIds.length > MAX_JOBS_PER_REQUEST) {
    return {
      message: `Maximum ${MAX_JOBS_PER_REQUEST} jobs can be repeated in a single request. Received ${jobIds.length}.`,
    };
  }
  const seen = new Set<string>();
  const duplicates = new Set<string>();
  for (const id of jobIds) {
    if (seen.has(id)) duplicates.add(id);
    seen.add(id);
  }
  if (duplicates.size > 0) {
    return { message: `Duplicate job_ids are not allowed: ${[...duplicates].join(", ")}` };
  }
  return { jobIds };
}

function failed(requestedJobId: string, typeId: string, message: string): RepeatResult {
  return { requested_job_id: requestedJobId, status: "failed", error: { type_id: typeId, message } };
}

/** Repeats a job found in the right recipe (or refuses it), as both repeat_jobs and Workato's UI do. */
export function repeatFoundJob(env: RepeatEnv, original: SimJob | undefined, jobId: string): RepeatResult {
  if (original === undefined) return failed(jobId, "err.item.not_found", "Job not found");
  if (original.isRepeat || original.masterJobId !== original.id) {
    return failed(jobId, "err.job.repeat.invalid_id", `Non-master job handle specified: ${jobId}`);
  }
  if (env.isExpired(original)) {
    return failed(
      jobId,
      "err.job.repeat.trigger_data_unavailable.expired",
      `Can not repeat job ${jobId}. It has been erased due to retention policy.`,
    );
  }
  if (original.repeatCount >= MAX_REPEATS_PER_JOB) {
    // Not in the doc's samples: the type id is our guess, so clients must fall back on unknown type ids.
    return failed(
      jobId,
      "err.job.repeat.limit_exceeded",
      `Job ${jobId} has been repeated the maximum number of times (${MAX_REPEATS_PER_JOB})`,
    );
  }
  const home = env.state.jobHome(original.id);
  if (home === undefined) return failed(jobId, "err.item.not_found", "Job not found");
  const repeat = env.state.addJob(home.customerId, home.recipeId, {
    status: "pending",
    isRepeat: true,
    masterJobId: original.id,
    title: original.title,
    isTest: original.isTest,
    error: null,
    completedAt: null,
    // Only the trigger has run for a job that is still pending; its trigger data is the original's.
    lines: original.lines.slice(0, 1),
  });
  original.repeatCount += 1;
  env.onEnqueued(repeat, original.repeatCount);
  return { requested_job_id: jobId, status: "enqueued", job: { id: repeat.id } };
}

export function repeatJobs(
  env: RepeatEnv,
  customerId: number,
  recipeId: number,
  jobIds: readonly string[],
): RepeatAnswer {
  const results = jobIds.map((jobId) =>
    repeatFoundJob(env, env.state.findRecipeJob(customerId, recipeId, jobId), jobId),
  );
  const enqueued = results.filter((result) => result.status === "enqueued").length;
  return {
    results,
    summary: {
      total_requested: results.length,
      total_enqueued: enqueued,
      total_failed: results.length - enqueued,
    },
  };
}
