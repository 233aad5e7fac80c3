// Finding a watch's new failures: pages through the recipe's failed jobs, newest first, until it reaches the cursor
// (the newest failure the watch has already seen), then on through a bounded look-back window behind it, where a job
// that started earlier but completed after the last poll's newest completion (a long run) is new too.
import type { WatchRecord } from "../store/store.js";
import { parseIsoTime } from "../time.js";
import type { WorkatoClient } from "../workato/client.js";
import type { CustomerRef } from "../workato/customer-ref.js";
import type { JobSummary } from "../workato/schemas.js";

export interface Listing {
  /** failed jobs newer than the cursor, and those of the look-back window that failed since; newest first */
  fresh: JobSummary[];
  /** the newest failed job listed (the cursor's next position), if any */
  newest: JobSummary | null;
  /** the latest completed_at (ISO) of the failures listed, or the watch's mark when none was later */
  newestCompletedAt: string | null;
  /** stopped at the page limit before reaching the cursor */
  truncated: boolean;
  pages: number;
}

/** Requests a poll sent, counted as they go (a failed request costs budget too). */
export interface RequestCount {
  requests: number;
}

export interface LookBack {
  /** how far behind the cursor's start a long-running job may have started and still be alerted */
  windowMs: number;
  /** pages read past the cursor at most (each 50 failures): the window's cost bound */
  maxPages: number;
}

export const NO_LOOK_BACK: LookBack = { windowMs: 0, maxPages: 0 };

export async function listNewFailures(
  workato: Pick<WorkatoClient, "listJobs">,
  watch: WatchRecord,
  customer: CustomerRef,
  pageLimit: number,
  spent: RequestCount,
  lookBack: LookBack = NO_LOOK_BACK,
): Promise<Listing> {
  const cursorTime = parseIsoTime(watch.cursorStartedAt);
  const floor = cursorTime === null ? null : cursorTime - lookBack.windowMs;
  const completedMark = parseIsoTime(watch.cursorCompletedAt);
  const fresh: JobSummary[] = [];
  let newest: JobSummary | null = null;
  let newestCompleted = completedMark;
  let offsetJobId: string | undefined;
  let pages = 0;
  let pagesPastCursor = 0;
  let reachedCursor = false;
  let walked = 0;
  const done = (truncated: boolean): Listing => ({
    fresh,
    newest,
    newestCompletedAt: newestCompleted === null ? null : new Date(newestCompleted).toISOString(),
    truncated,
    pages,
  });
  for (;;) {
    if (reachedCursor ? pagesPastCursor >= lookBack.maxPages : pages >= pageLimit)
      return done(!reachedCursor);
    spent.requests++;
    const page = await workato.listJobs(
      customer,
      watch.recipeId,
      { status: "failed", ...(offsetJobId !== undefined ? { offsetJobId } : {}) },
      { priority: "background" },
    );
    pages++;
    if (reachedCursor) pagesPastCursor++;
    newest ??= page.items[0] ?? null;
    for (const job of page.items) {
      if (job.status !== "failed") continue;
      const completedAt = parseIsoTime(job.completed_at);
      const startedAt = parseIsoTime(job.started_at);
      const behind =
        job.id === watch.cursorJobId ||
        // Same start time as the cursor but listed before it: newer by Workato's order, so not behind.
        (cursorTime !== null && startedAt !== null && startedAt < cursorTime);
      if (!behind) {
        fresh.push(job);
      } else {
        reachedCursor = true;
        if (floor === null || startedAt === null || startedAt < floor || lookBack.windowMs === 0)
          return done(false);
        // Behind the cursor: new only if it completed after every failure an earlier poll saw.
        if (
          job.id !== watch.cursorJobId &&
          completedMark !== null &&
          completedAt !== null &&
          completedAt > completedMark
        ) {
          fresh.push(job);
        }
      }
      if (completedAt !== null && (newestCompleted === null || completedAt > newestCompleted)) {
        newestCompleted = completedAt;
      }
    }
    walked += page.items.length;
    const last = page.items.at(-1);
    // Every failed job of the recipe listed (no cursor yet, or it is gone): no need to ask for an empty page.
    if (last === undefined || walked >= page.job_failed_count) return done(false);
    offsetJobId = last.id;
  }
}
