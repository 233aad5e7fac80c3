// List jobs: the query parameters Workato accepts, and the filtered, paged, counted view of one recipe's jobs.
import type { SimJob, SimJobStatus } from "./types.js";

export interface ListQuery {
  status: SimJobStatus | undefined;
  rerunOnly: boolean;
  offsetJobId: string | undefined;
  /** prev=true: the page of jobs newer than the offset job */
  newer: boolean;
}

export interface JobPage {
  /** newest first, in both paging directions */
  items: SimJob[];
  succeededCount: number;
  failedCount: number;
  totalCount: number;
  /** jobs matching status/rerun_only, ignoring paging */
  scopeCount: number;
}

const STATUSES: readonly SimJobStatus[] = ["succeeded", "failed", "pending"];

/** The interned constant for a status, so the per-job comparison over long lists is a pointer check. */
function knownStatus(value: string): SimJobStatus | undefined {
  return STATUSES.find((status) => status === value);
}

// Rails reads "true" and "1" as true; anything else, or absence, as false.
function isTrueFlag(value: string | undefined): boolean {
  return value === "true" || value === "1";
}

/** offset_run_id is deprecated upstream and ignored here. An unknown status is refused so client typos surface. */
export function parseListQuery(query: Record<string, string>): ListQuery | { message: string } {
  const requested = query.status;
  const status = requested === undefined || requested === "" ? undefined : knownStatus(requested);
  if (requested !== undefined && requested !== "" && status === undefined) {
    return { message: `Invalid status: ${requested}. Use succeeded, failed or pending.` };
  }
  return {
    status,
    rerunOnly: isTrueFlag(query.rerun_only),
    offsetJobId: query.offset_job_id === "" ? undefined : query.offset_job_id,
    newer: isTrueFlag(query.prev),
  };
}

/** Binary search on startedAt, then the ties; a linear search only if a test reordered jobs by editing startedAt. */
function indexOfJob(chronological: readonly SimJob[], job: SimJob): number {
  const startedAt = job.startedAt.getTime();
  let low = 0;
  let high = chronological.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const other = chronological[middle];
    if (other !== undefined && other.startedAt.getTime() < startedAt) low = middle + 1;
    else high = middle;
  }
  for (let index = low; index < chronological.length; index++) {
    const other = chronological[index];
    if (other === job) return index;
    if (other === undefined || other.startedAt.getTime() !== startedAt) break;
  }
  return chronological.lastIndexOf(job);
}

/**
 * `chronological` is the recipe's jobs oldest-first (see SimRecipe.jobs); `findRecipeJob` finds a job of this
 * recipe only. Counts are recomputed per request (one O(n) pass, no sort) because tests may change a live job's
 * status; the pass reads as few fields as the filters need, since long lists make it memory-bound.
 * An offset_job_id that is not a job of this recipe is a 400: an empty page would let a poller whose cursor job
 * vanished believe, silently and forever, that nothing new happened.
 */
export function listJobs(
  chronological: readonly SimJob[],
  query: ListQuery,
  pageSize: number,
  findRecipeJob: (jobId: string) => SimJob | undefined,
): JobPage | { message: string } {
  const { status, rerunOnly, offsetJobId } = query;
  const offsetJob = offsetJobId === undefined ? undefined : findRecipeJob(offsetJobId);
  if (offsetJobId !== undefined && offsetJob === undefined) {
    return { message: `Invalid offset_job_id: ${offsetJobId} is not a job of this recipe` };
  }
  const matches = (job: SimJob) =>
    (status === undefined || job.status === status) && (!rerunOnly || job.isRepeat);

  let succeededCount = 0;
  let failedCount = 0;
  let rerunCount = 0;
  for (let index = 0; index < chronological.length; index++) {
    const job = chronological[index];
    if (job === undefined) continue;
    if (job.status === "succeeded") succeededCount++;
    else if (job.status === "failed") failedCount++;
    if (rerunOnly && matches(job)) rerunCount++;
  }
  const pendingCount = chronological.length - succeededCount - failedCount;
  const countsByStatus = { succeeded: succeededCount, failed: failedCount, pending: pendingCount };
  const scopeCount = rerunOnly
    ? rerunCount
    : status === undefined
      ? chronological.length
      : countsByStatus[status];

  const offsetIndex = offsetJob === undefined ? chronological.length : indexOfJob(chronological, offsetJob);
  const items: SimJob[] = [];
  if (offsetJob !== undefined && query.newer) {
    // The page right above the offset: walk towards the newest, then restore newest-first.
    for (let index = offsetIndex + 1; index < chronological.length && items.length < pageSize; index++) {
      const job = chronological[index];
      if (job !== undefined && matches(job)) items.push(job);
    }
    items.reverse();
  } else {
    // Without an offset this starts at the newest job; prev=true then means nothing, as there is nothing newer.
    for (let index = offsetIndex - 1; index >= 0 && items.length < pageSize; index--) {
      const job = chronological[index];
      if (job !== undefined && matches(job)) items.push(job);
    }
  }
  return { items, succeededCount, failedCount, totalCount: chronological.length, scopeCount };
}
