// Finding a watch's new failures: pages through the recipe's failed jobs, newest first, until it reaches the cursor
// (the newest failure the watch has already seen), or gives up after a number of pages.
import type { WatchRecord } from "../store/store.js";
import { parseIsoTime } from "../time.js";
import type { WorkatoClient } from "../workato/client.js";
import type { CustomerRef } from "../workato/customer-ref.js";
import type { JobSummary } from "../workato/schemas.js";

export interface Listing {
  /** failed jobs newer than the cursor, newest first */
  fresh: JobSummary[];
  /** the newest failed job listed (the cursor's next position), if any */
  newest: JobSummary | null;
  /** stopped at the page limit before reaching the cursor */
  truncated: boolean;
  pages: number;
}

/** Requests a poll sent, counted as they go (a failed request costs budget too). */
export interface RequestCount {
  requests: number;
}

export async function listNewFailures(
  workato: Pick<WorkatoClient, "listJobs">,
  watch: WatchRecord,
  customer: CustomerRef,
  pageLimit: number,
  spent: RequestCount,
): Promise<Listing> {
  const cursorTime = parseIsoTime(watch.cursorStartedAt);
  const isSeen = (job: JobSummary) => {
    if (job.id === watch.cursorJobId) return true;
    const startedAt = parseIsoTime(job.started_at);
    // Same start time as the cursor but listed before it: newer by Workato's order, so not seen.
    return cursorTime !== null && startedAt !== null && startedAt < cursorTime;
  };
  const fresh: JobSummary[] = [];
  let newest: JobSummary | null = null;
  let offsetJobId: string | undefined;
  let pages = 0;
  let walked = 0;
  while (pages < pageLimit) {
    spent.requests++;
    const page = await workato.listJobs(
      customer,
      watch.recipeId,
      { status: "failed", ...(offsetJobId !== undefined ? { offsetJobId } : {}) },
      { priority: "background" },
    );
    pages++;
    newest ??= page.items[0] ?? null;
    for (const job of page.items) {
      if (isSeen(job)) return { fresh, newest, truncated: false, pages };
      if (job.status === "failed") fresh.push(job);
    }
    walked += page.items.length;
    const last = page.items.at(-1);
    // Every failed job of the recipe listed (no cursor yet, or it is gone): no need to ask for an empty page.
    if (last === undefined || walked >= page.job_failed_count)
      return { fresh, newest, truncated: false, pages };
    offsetJobId = last.id;
  }
  return { fresh, newest, truncated: true, pages };
}
