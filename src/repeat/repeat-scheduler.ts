// Turns everyone's repeat requests into as few repeat_jobs requests as Workato's limits allow: ids of the same
// customer and recipe share requests (up to 25), a request is composed only when its 1-per-second slot opens,
// and each requester still hears exactly about their own jobs.
import type { Logger } from "pino";
import type { Clock } from "../clock.js";
import type { JobRepeatResult, RepeatBatch, WorkatoClient } from "../workato/client.js";
import type { CustomerRef } from "../workato/customer-ref.js";
import { type CallPriority, MAX_JOBS_PER_REPEAT } from "../workato/limits.js";

export interface RepeatDemand {
  customer: CustomerRef;
  recipeId: number;
  /** master job ids; duplicates are repeated once */
  jobIds: readonly string[];
  priority?: CallPriority;
  /** called once per request that carried some of this demand's jobs, in order, with just those results */
  onBatch?: (results: JobRepeatResult[], batchNumber: number) => Promise<void> | void;
  /**
   * Called synchronously just before a request carrying these of the demand's jobs is sent, so they can be
   * recorded as in flight first (a crash then leaves a trace to reconcile). Throwing cancels the request.
   */
  onSend?: (jobIds: string[]) => void;
  /** called when a request certainly did not run and its jobs wait again (429, connection refused) */
  onRetry?: (jobIds: string[]) => void;
  /** batch numbering continues from here (a resumed repeat's thread already has replies) */
  batchesAlreadyReported?: number;
}

export interface RepeatScheduler {
  /** resolves with a result for every distinct requested id, in the order requested */
  repeat(demand: RepeatDemand): Promise<JobRepeatResult[]>;
  /** Sends nothing more: requests not yet composed stay waiting (in the store) for the next start. */
  stop(): void;
}

export interface RepeatSchedulerOptions {
  client: WorkatoClient;
  /**
   * How long a request that is not full waits for more ids of its recipe (default 1000 ms): two people
   * repeating 10 jobs each within a second then share one request of 20.
   */
  coalesceMs?: number;
  /** times a request that certainly did not run (429, connection refused) is tried again; default 5 */
  maxRetries?: number;
  logger?: Logger;
  /** when a waiting job started waiting, and how long a 429 pauses everyone */
  clock: Clock;
}

interface Requester {
  readonly jobIds: readonly string[];
  readonly results: Map<string, JobRepeatResult>;
  readonly onBatch: RepeatDemand["onBatch"];
  readonly onSend: RepeatDemand["onSend"];
  readonly onRetry: RepeatDemand["onRetry"];
  readonly priority: CallPriority;
  batchesReported: number;
  /** keeps this requester's replies in request order */
  reporting: Promise<void>;
  resolve(results: JobRepeatResult[]): void;
}

interface WaitingJob {
  readonly jobId: string;
  readonly waitingSince: number;
  readonly requesters: Requester[];
  retries: number;
}

interface RecipeQueue {
  readonly key: string;
  readonly customer: CustomerRef;
  readonly recipeId: number;
  readonly waiting: WaitingJob[];
}

interface ComposedBatch extends RepeatBatch {
  readonly queue: RecipeQueue;
  readonly jobs: WaitingJob[];
}

export function createRepeatScheduler(options: RepeatSchedulerOptions): RepeatScheduler {
  const { client, logger } = options;
  const coalesceMs = options.coalesceMs ?? 1000;
  const maxRetries = options.maxRetries ?? 5;
  const now = () => options.clock.now();

  const queues = new Map<string, RecipeQueue>();
  // Same job id asked for again while waiting or in flight: the new requester joins it instead of repeating twice.
  const waitingByJob = new Map<string, WaitingJob>();
  const inFlightByJob = new Map<string, WaitingJob>();
  let slotRequested = false;
  let wakeTimer: NodeJS.Timeout | undefined;
  let pausedUntil = 0;
  let stopped = false;

  function queueFor(customer: CustomerRef, recipeId: number): RecipeQueue {
    const key = `${customer.pathSegment}/${recipeId}`;
    let queue = queues.get(key);
    if (!queue) {
      queue = { key, customer, recipeId, waiting: [] };
      queues.set(key, queue);
    }
    return queue;
  }

  function readyAt(queue: RecipeQueue): number {
    const oldest = queue.waiting[0];
    if (!oldest) return Number.POSITIVE_INFINITY;
    if (queue.waiting.length >= MAX_JOBS_PER_REPEAT) return Math.max(pausedUntil, 0);
    return Math.max(pausedUntil, oldest.waitingSince + coalesceMs);
  }

  /** The queue to serve next: among those ready, the one whose oldest job has waited longest. */
  function nextReadyQueue(at: number): RecipeQueue | undefined {
    let best: RecipeQueue | undefined;
    for (const queue of queues.values()) {
      if (readyAt(queue) > at) continue;
      const oldest = queue.waiting[0];
      const bestOldest = best?.waiting[0];
      if (oldest && (!bestOldest || oldest.waitingSince < bestOldest.waitingSince)) best = queue;
    }
    return best;
  }

  function pump(): void {
    if (slotRequested || stopped) return;
    clearTimeout(wakeTimer);
    wakeTimer = undefined;
    const at = now();
    const queue = nextReadyQueue(at);
    if (!queue) {
      const earliest = Math.min(...[...queues.values()].map(readyAt));
      if (Number.isFinite(earliest)) wakeTimer = setTimeout(pump, Math.max(1, earliest - at));
      return;
    }
    slotRequested = true;
    const priority = queue.waiting.some((job) => job.requesters.some((r) => r.priority === "interactive"))
      ? "interactive"
      : "background";
    const taken: { batch: ComposedBatch | null } = { batch: null };
    client
      .repeatAtNextSlot(
        () => {
          taken.batch = compose();
          return taken.batch;
        },
        { priority },
      )
      .then((sent) => {
        if (sent) settle(sent.batch, sent.attempt.kind === "retry" ? sent.attempt : sent.attempt.results);
      })
      .catch((error: unknown) => {
        logger?.error({ err: error }, "repeat request failed unexpectedly");
        // The slot was taken and the request may have gone out: its jobs are reported unknown, never resent.
        const batch = taken.batch;
        if (batch) {
          const message =
            "the bot failed while sending this repeat; check the recipe's jobs before repeating again";
          settle(
            batch,
            batch.jobs.map((job) => ({ jobId: job.jobId, outcome: "unknown", message })),
          );
        }
      })
      .finally(() => {
        if (!taken.batch) slotRequested = false;
        pump();
      });
  }

  // Runs when the slot opens: takes whatever is waiting by then, so late arrivals still fill the request.
  function compose(): ComposedBatch | null {
    if (stopped) return null;
    const queue = nextReadyQueue(now());
    if (!queue) return null;
    const jobs = queue.waiting.splice(0, MAX_JOBS_PER_REPEAT);
    if (queue.waiting.length === 0) queues.delete(queue.key);
    for (const job of jobs) waitingByJob.delete(`${queue.key}#${job.jobId}`);
    try {
      for (const [requester, jobIds] of byRequester(jobs)) requester.onSend?.(jobIds);
    } catch (error) {
      // Without a record of what is about to be sent, a crash could hide a repeat: send nothing.
      logger?.error({ err: error }, "could not record a repeat request before sending it");
      const message = "not repeated: the bot could not record the request safely";
      deliver(
        jobs,
        jobs.map((job) => ({ jobId: job.jobId, outcome: "failed", typeId: null, message })),
      );
      return null;
    }
    for (const job of jobs) inFlightByJob.set(`${queue.key}#${job.jobId}`, job);
    // Ask for the next slot right away; bottleneck holds it until a second has passed.
    slotRequested = false;
    queueMicrotask(pump);
    return {
      customer: queue.customer,
      recipeId: queue.recipeId,
      jobIds: jobs.map((job) => job.jobId),
      queue,
      jobs,
    };
  }

  function settle(
    batch: ComposedBatch,
    outcome: JobRepeatResult[] | { error: Error; retryAfterMs: number },
  ): void {
    for (const job of batch.jobs) inFlightByJob.delete(`${batch.queue.key}#${job.jobId}`);
    if (Array.isArray(outcome)) {
      deliver(batch.jobs, outcome);
      return;
    }
    // Certainly not run (429 or no connection): back to the head of the line, in order.
    pausedUntil = Math.max(pausedUntil, now() + outcome.retryAfterMs);
    const retry = batch.jobs.filter((job) => ++job.retries <= maxRetries);
    const givenUp = batch.jobs.filter((job) => job.retries > maxRetries);
    logger?.warn(
      { jobs: batch.jobs.length, retryAfterMs: outcome.retryAfterMs },
      "repeat request not run; retrying",
    );
    if (givenUp.length > 0) {
      deliver(
        givenUp,
        givenUp.map((job) => ({
          jobId: job.jobId,
          outcome: "failed",
          typeId: null,
          message: `not repeated: Workato could not take the request (${outcome.error.message})`,
        })),
      );
    }
    for (const [requester, jobIds] of byRequester(retry)) requester.onRetry?.(jobIds);
    if (retry.length > 0) {
      const queue = queueFor(batch.customer, batch.recipeId);
      queue.waiting.unshift(...retry);
      for (const job of retry) waitingByJob.set(`${queue.key}#${job.jobId}`, job);
    }
  }

  function deliver(jobs: WaitingJob[], results: JobRepeatResult[]): void {
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
      const done = requester.results.size === requester.jobIds.length;
      requester.reporting = requester.reporting
        .then(() => requester.onBatch?.(mine, batchNumber))
        .catch((error: unknown) => logger?.error({ err: error }, "reporting a repeat batch failed"));
      if (done) {
        void requester.reporting.then(() =>
          requester.resolve(requester.jobIds.map((jobId) => requester.results.get(jobId) as JobRepeatResult)),
        );
      }
    }
  }

  function byRequester(jobs: readonly WaitingJob[]): Map<Requester, string[]> {
    const grouped = new Map<Requester, string[]>();
    for (const job of jobs) {
      for (const requester of job.requesters)
        grouped.set(requester, [...(grouped.get(requester) ?? []), job.jobId]);
    }
    return grouped;
  }

  return {
    repeat(demand) {
      const jobIds = [...new Set(demand.jobIds)];
      if (jobIds.length === 0) return Promise.resolve([]);
      return new Promise<JobRepeatResult[]>((resolve) => {
        const requester: Requester = {
          jobIds,
          results: new Map(),
          onBatch: demand.onBatch,
          onSend: demand.onSend,
          onRetry: demand.onRetry,
          priority: demand.priority ?? "interactive",
          batchesReported: demand.batchesAlreadyReported ?? 0,
          reporting: Promise.resolve(),
          resolve,
        };
        const queue = queueFor(demand.customer, demand.recipeId);
        const at = now();
        const joinedInFlight: string[] = [];
        for (const jobId of jobIds) {
          const key = `${queue.key}#${jobId}`;
          const inFlight = inFlightByJob.get(key);
          if (inFlight) {
            // Joining a request already on its way: record it as in flight for this requester too, or a crash
            // now would leave it "waiting" and send it again on restart.
            inFlight.requesters.push(requester);
            joinedInFlight.push(jobId);
            continue;
          }
          const waiting = waitingByJob.get(key);
          if (waiting) {
            waiting.requesters.push(requester);
            continue;
          }
          const job: WaitingJob = { jobId, waitingSince: at, requesters: [requester], retries: 0 };
          queue.waiting.push(job);
          waitingByJob.set(key, job);
        }
        if (queue.waiting.length === 0) queues.delete(queue.key);
        if (joinedInFlight.length > 0) requester.onSend?.(joinedInFlight);
        pump();
      });
    },

    stop() {
      stopped = true;
      clearTimeout(wakeTimer);
    },
  };
}
