// After a crash, finds out what happened to repeat requests that were in flight: Workato lists each repeat it
// ran among the recipe's reruns, with the original as master_job_id.
import type { JobRepeatResult, WorkatoClient } from "../workato/client.js";
import type { CustomerRef } from "../workato/customer-ref.js";

export interface InFlightJob {
  jobId: string;
  /** when its request was about to be sent (ms epoch) */
  sentAt: number;
}

/** What reconciliation learnt per job: the repeat Workato ran, that it ran none, or that it could not tell. */
export type Reconciled =
  | { jobId: string; ran: true; result: JobRepeatResult }
  | { jobId: string; ran: false }
  | { jobId: string; ran: "unknown"; result: JobRepeatResult };

/** Clocks differ between us and Workato; a repeat started this long before our send still counts as ours. */
const CLOCK_SKEW_MS = 2 * 60_000;
const MAX_PAGES = 40;

export async function reconcileInFlight(
  workato: WorkatoClient,
  customer: CustomerRef,
  recipeId: number,
  jobs: readonly InFlightJob[],
): Promise<Reconciled[]> {
  if (jobs.length === 0) return [];
  const sentAtByJob = new Map(jobs.map((job) => [job.jobId, job.sentAt]));
  const earliest = Math.min(...jobs.map((job) => job.sentAt)) - CLOCK_SKEW_MS;
  const found = new Map<string, { newJobId: string; startedAt: number }>();

  try {
    let offsetJobId: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const list = await workato.listJobs(
        customer,
        recipeId,
        { rerunOnly: true, ...(offsetJobId !== undefined ? { offsetJobId } : {}) },
        { priority: "background" },
      );
      for (const item of list.items) {
        const master = item.master_job_id;
        const startedAt = Date.parse(item.started_at ?? "");
        const sentAt = master ? sentAtByJob.get(master) : undefined;
        if (!master || sentAt === undefined || Number.isNaN(startedAt) || startedAt < sentAt - CLOCK_SKEW_MS)
          continue;
        // Newest first: keep overwriting so the earliest repeat after our send wins.
        found.set(master, { newJobId: item.id, startedAt });
      }
      const oldest = Date.parse(list.items.at(-1)?.started_at ?? "");
      if (list.items.length === 0 || Number.isNaN(oldest) || oldest < earliest) break;
      offsetJobId = list.items.at(-1)?.id;
    }
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    const message = `the bot restarted while this repeat was being sent, and Workato could not be asked what happened (${why}); check the recipe's jobs before repeating it again`;
    return jobs.map((job) => ({
      jobId: job.jobId,
      ran: "unknown",
      result: { jobId: job.jobId, outcome: "unknown", message },
    }));
  }

  return jobs.map((job): Reconciled => {
    const repeat = found.get(job.jobId);
    if (!repeat) return { jobId: job.jobId, ran: false };
    return {
      jobId: job.jobId,
      ran: true,
      result: { jobId: job.jobId, outcome: "enqueued", newJobId: repeat.newJobId },
    };
  });
}
