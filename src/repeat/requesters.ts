// The requesters' side of the repeat scheduler (repeat-scheduler.ts): results handed to everyone who asked for a job,
// each requester's reports and marks kept in order, and a requester resolved once all its jobs are settled.
import type { Logger } from "pino";
import type { JobRepeatResult } from "../workato/client.js";
import type { RepeatDemand, Requester, WaitingJob } from "./repeat-demand.js";

/** Runs one of a requester's marks after the ones before it; a failed mark does not block the next. */
export function inMarkingOrder(
  requester: Requester,
  mark: RepeatDemand["onSend"],
  jobIds: string[],
): Promise<void> {
  const done = requester.marking.then(() => mark?.(jobIds));
  requester.marking = done.catch(() => {});
  return done;
}

/** Hands each job's result to everyone who asked for it, and reports it to each of them in their own order. */
export function deliver(jobs: WaitingJob[], results: JobRepeatResult[], logger: Logger | undefined): void {
  const resultById = new Map(results.map((result) => [result.jobId, result]));
  const touched = new Map<Requester, JobRepeatResult[]>();
  for (const job of jobs) {
    const result = resultById.get(job.jobId) ?? {
      jobId: job.jobId,
      outcome: "unknown" as const,
      message: "no result was received for this job",
    };
    for (const requester of job.requesters) {
      requester.results.set(job.jobId, result);
      const mine = touched.get(requester) ?? [];
      mine.push(result);
      touched.set(requester, mine);
    }
  }
  for (const [requester, mine] of touched) {
    const batchNumber = ++requester.batchesReported;
    requester.reporting = requester.reporting
      .then(() => requester.onBatch?.(mine, batchNumber))
      .catch((error: unknown) => logger?.error({ err: error }, "reporting a repeat batch failed"));
    finishIfDone(requester);
  }
}

/** Resolves a requester once every job has a result or will not be sent (Stop), after its last report. */
export function finishIfDone(requester: Requester): void {
  if (requester.finished || requester.results.size + requester.notSent < requester.jobIds.length) return;
  requester.finished = true;
  void requester.reporting.then(() =>
    requester.resolve(
      requester.jobIds.flatMap((jobId) => {
        const result = requester.results.get(jobId);
        return result ? [result] : [];
      }),
    ),
  );
}

/** Takes stopped requesters off a job; true when nobody wants it any more. */
export function dropStoppedRequesters(job: WaitingJob): boolean {
  for (let index = job.requesters.length - 1; index >= 0; index--) {
    const requester = job.requesters[index] as Requester;
    if (!requester.stopped || requester.results.has(job.jobId)) continue;
    job.requesters.splice(index, 1);
    requester.notSent++;
    finishIfDone(requester);
  }
  return job.requesters.length === 0;
}

export function byRequester(jobs: readonly WaitingJob[]): Map<Requester, string[]> {
  const grouped = new Map<Requester, string[]>();
  for (const job of jobs) {
    for (const requester of job.requesters)
      grouped.set(requester, [...(grouped.get(requester) ?? []), job.jobId]);
  }
  return grouped;
}
