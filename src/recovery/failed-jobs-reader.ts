// Finds what a recovery repeats: every page of a recipe's failed jobs back to `since` (interactive priority, inside
// the jobs budget), leaving out non-master jobs, jobs past retention, and jobs lineage says are handled already.
// Keeps only ids and start times, so 10,000 failures cost a few hundred kilobytes.
import type { Clock } from "../clock.js";
import { type LeftOut, selectForRepeat } from "../lineage/lineage.js";
import type { LineageReader, MasterJob } from "../lineage/lineage-reader.js";
import type { AsyncStore } from "../store/store.js";
import { parseIsoTime } from "../time.js";
import type { WorkatoClient } from "../workato/client.js";
import type { CustomerRef } from "../workato/customer-ref.js";

export interface FailedJobsQuery {
  customer: CustomerRef;
  recipeId: number;
  /** epoch ms; null: every failed job Workato still lists */
  since: number | null;
  /** include jobs whose repeat succeeded or is running */
  again: boolean;
}

export interface ReadProgress {
  /** failed master jobs found so far */
  read: number;
  pages: number;
}

export interface FailedJobsFound {
  /** master job ids to repeat, newest first */
  send: string[];
  /** failed master jobs listed back to `since` */
  failed: number;
  leftOut: LeftOut;
  includedAgain: string[];
  /** past retention, so Workato would refuse them */
  expired: number;
  /** failed repeats (non-master jobs) skipped: their masters are what gets repeated */
  nonMaster: number;
  /** list GETs spent on failed jobs (lineage reads come on top) */
  pages: number;
}

export interface FailedJobsReaderDeps {
  workato: Pick<WorkatoClient, "listJobs">;
  lineage: LineageReader;
  /** which jobs people resolved by hand in their alerts: left out like repeated ones */
  store: Pick<AsyncStore, "handResolvedJobs">;
  clock: Clock;
  /** how long Workato keeps a job's trigger data, when known; older jobs are left out */
  retentionMs?: number;
  /** pages read at most, a guard against a listing that never ends; default 1,000 (50,000 jobs) */
  maxPages?: number;
}

const DEFAULT_MAX_PAGES = 1000;

export async function readFailedJobs(
  deps: FailedJobsReaderDeps,
  query: FailedJobsQuery,
  onProgress?: (progress: ReadProgress) => void,
): Promise<FailedJobsFound> {
  const { customer, recipeId, since } = query;
  const maxPages = deps.maxPages ?? DEFAULT_MAX_PAGES;
  const retainedFrom = deps.retentionMs === undefined ? null : deps.clock.now() - deps.retentionMs;
  const masters: MasterJob[] = [];
  const seen = new Set<string>();
  let expired = 0;
  let nonMaster = 0;
  let pages = 0;
  let offsetJobId: string | undefined;
  for (;;) {
    const page = await deps.workato.listJobs(
      customer,
      recipeId,
      { status: "failed", ...(offsetJobId !== undefined ? { offsetJobId } : {}) },
      { priority: "interactive" },
    );
    pages++;
    let reachedSince = false;
    for (const job of page.items) {
      const startedAt = parseIsoTime(job.started_at);
      // Newest first: the first job older than `since` ends the reading.
      if (since !== null && startedAt !== null && startedAt < since) {
        reachedSince = true;
        break;
      }
      if (job.status !== "failed" || seen.has(job.id)) continue;
      seen.add(job.id);
      if (job.master_job_id && job.master_job_id !== job.id) {
        nonMaster++;
        continue;
      }
      const completedAt = parseIsoTime(job.completed_at) ?? startedAt;
      if (retainedFrom !== null && completedAt !== null && completedAt < retainedFrom) {
        expired++;
        continue;
      }
      masters.push({ id: job.id, startedAt });
    }
    onProgress?.({ read: masters.length, pages });
    const last = page.items.at(-1);
    if (reachedSince || last === undefined || pages >= maxPages) break;
    const scope = page.job_scope_count;
    if (scope !== undefined && seen.size >= scope) break;
    offsetJobId = last.id;
  }
  const handling = await deps.lineage.read(customer, recipeId, masters, { priority: "interactive" });
  const ids = masters.map((master) => master.id);
  const resolvedByHand = new Set(await deps.store.handResolvedJobs(customer.display, recipeId, ids));
  const selection = selectForRepeat(ids, handling, { again: query.again, resolvedByHand });
  return {
    send: selection.send,
    failed: masters.length,
    leftOut: selection.leftOut,
    includedAgain: selection.includedAgain,
    expired,
    nonMaster,
    pages,
  };
}
