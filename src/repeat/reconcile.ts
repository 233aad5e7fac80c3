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
  const found = new Map<string, { newJobId: string }>();

  // Only a listing that reached back past the earliest send can prove a job was not repeated.
  let reachedBack = false;
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
        const sentAt = master ? sentAtByJob.get(master) : undefined;
        if (!master || sentAt === undefined) continue;
        const startedAt = Date.parse(item.started_at ?? "");
        // A rerun not started yet has no start time: just enqueued, so it counts as ours.
        if (!Number.isNaN(startedAt) && startedAt < sentAt - CLOCK_SKEW_MS) continue;
        // Newest first: keep overwriting so the earliest repeat after our send wins.
        found.set(master, { newJobId: item.id });
      }
      const last = list.items.at(-1);
      if (!last) {
        reachedBack = true;
        break;
      }
      const oldest = Date.parse(last.started_at ?? "");
      if (!Number.isNaN(oldest) && oldest < earliest) {
        reachedBack = true;
        break;
      }
      offsetJobId = last.id;
    }
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return unknownAll(jobs, `Workato could not be asked what happened (${why})`);
  }

  return jobs.map((job): Reconciled => {
    const repeat = found.get(job.jobId);
    if (repeat)
      return {
        jobId: job.jobId,
        ran: true,
        result: { jobId: job.jobId, outcome: "enqueued", newJobId: repeat.newJobId },
      };
    if (reachedBack) return { jobId: job.jobId, ran: false };
    return unknownOne(job.jobId, `Workato's list of reruns was too long to check back to the restart`);
  });
}

function unknownOne(jobId: string, why: string): Reconciled {
  const message = `the bot restarted while this repeat was being sent, and ${why}; check the recipe's jobs before repeating it again`;
  return { jobId, ran: "unknown", result: { jobId, outcome: "unknown", message } };
}

function unknownAll(jobs: readonly InFlightJob[], why: string): Reconciled[] {
  return jobs.map((job) => unknownOne(job.jobId, why));
}
