// One follow-up round's reading of a recipe's rerun_only listing: only the pages that hold still-unsettled jobs.
//
// Cost: the listing is newest first and a job keeps its place in it, so once a job has been seen the bot knows
// the repeat listed right above it, and `offset_job_id` = that neighbour reads the page that starts at the job.
// A round therefore reads one page per run of unsettled jobs (a page covers the next page-size jobs too),
// i.e. at most ⌈span ÷ page size⌉ pages and never more than there are unsettled jobs: a 1,000-job repeat costs
// ~20 GETs a round while its jobs are spread out, and 1 GET a round for the last stragglers. Jobs not yet
// located (just enqueued, or moved) are found by reading from the top, back to their send time.
import { WorkatoApiError } from "../workato/errors.js";
import type { JobSummary } from "../workato/schemas.js";
import { timeOf } from "./listed-repeat.js";

/** One rerun_only page, older than the offset job (from the newest without one). */
export type ReadRerunPage = (offsetJobId: string | undefined) => Promise<JobSummary[]>;

export interface FollowTarget {
  newJobId: string;
  /** when its repeat request was sent (ms epoch): it cannot have started much before */
  sentAt: number;
}

/** Where jobs were last seen in one recipe's listing; kept between rounds, rebuilt from the top after a restart. */
export interface ListingPlaces {
  /** the job listed right above each job; null when it was the newest */
  above: Map<string, string | null>;
  startedAt: Map<string, number>;
}

export function createListingPlaces(): ListingPlaces {
  return { above: new Map(), startedAt: new Map() };
}

export interface ReadLimits {
  maxPages: number;
  /** Workato's clock against ours: a job may appear to start this long before its request was sent */
  clockSkewMs: number;
}

/** Reads what the listing says of the targets now; the answer holds every listed job seen, by id. */
export async function readFollowedJobs(
  readPage: ReadRerunPage,
  targets: readonly FollowTarget[],
  places: ListingPlaces,
  limits: ReadLimits,
): Promise<{ seen: Map<string, JobSummary>; gets: number }> {
  const seen = new Map<string, JobSummary>();
  let gets = 0;

  const read = async (offsetJobId: string | undefined): Promise<JobSummary[]> => {
    gets++;
    const items = await readPage(offsetJobId);
    let above = offsetJobId ?? null;
    for (const item of items) {
      places.above.set(item.id, above);
      const startedAt = timeOf(item.started_at);
      if (startedAt !== null) places.startedAt.set(item.id, startedAt);
      seen.set(item.id, item);
      above = item.id;
    }
    return items;
  };

  const unlocated = targets.filter((target) => !places.above.has(target.newJobId));
  if (unlocated.length > 0) {
    const earliest = Math.min(...unlocated.map((target) => target.sentAt)) - limits.clockSkewMs;
    let offset: string | undefined;
    while (gets < limits.maxPages) {
      const items = await read(offset);
      const oldest = items.at(-1);
      if (!oldest || unlocated.every((target) => seen.has(target.newJobId))) break;
      const oldestStart = timeOf(oldest.started_at);
      if (oldestStart !== null && oldestStart < earliest) break;
      offset = oldest.id;
    }
  }

  // Newest first, so that the page read for one job also covers the older ones right below it.
  const located = targets
    .filter((target) => !seen.has(target.newJobId) && places.above.has(target.newJobId))
    .sort((a, b) => (places.startedAt.get(b.newJobId) ?? 0) - (places.startedAt.get(a.newJobId) ?? 0));
  for (const target of located) {
    if (seen.has(target.newJobId)) continue;
    if (gets >= limits.maxPages) break;
    const above = places.above.get(target.newJobId) ?? null;
    try {
      await read(above ?? undefined);
    } catch (error) {
      // The neighbour is gone from the listing (Workato refuses an unknown offset): find the job from the top.
      if (!(error instanceof WorkatoApiError) || error.code !== "invalid_request") throw error;
      places.above.delete(target.newJobId);
      continue;
    }
    if (!seen.has(target.newJobId)) places.above.delete(target.newJobId);
  }
  return { seen, gets };
}
