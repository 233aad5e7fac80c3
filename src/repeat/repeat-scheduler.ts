// Turns everyone's repeat requests into as few repeat_jobs requests as Workato's limits allow: ids of the same
// customer and recipe share requests (up to 25), a request is composed only when its 1-per-second slot opens,
// each requester still hears exactly about their own jobs, and slots are shared fairly (fair-share.ts): a long
// recovery never holds up a short repeat, and a stopped repeat sends nothing more. What each requester hears, and
// when it is done, is requesters.ts.
import { isStoreOutage } from "../store/store-health.js";
import type { JobRepeatResult } from "../workato/client.js";
import type { CustomerRef } from "../workato/customer-ref.js";
import { MAX_JOBS_PER_REPEAT } from "../workato/limits.js";
import { nextFairQueue, takeInTurn } from "./fair-share.js";
import type {
  ComposedBatch,
  RecipeQueue,
  RepeatScheduler,
  RepeatSchedulerOptions,
  Requester,
  WaitingJob,
} from "./repeat-demand.js";
import { byRequester, deliver, dropStoppedRequesters, finishIfDone, inMarkingOrder } from "./requesters.js";
import { STORE_RECHECK_MS } from "./store-pause.js";

export type { RepeatDemand, RepeatScheduler, RepeatSchedulerOptions } from "./repeat-demand.js";

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
  let slotsServed = 0;
  /** while set, the store could not record a request before it left: nothing is composed, these requesters wait */
  let pausedForStore: Set<Requester> | null = null;

  function queueFor(customer: CustomerRef, recipeId: number): RecipeQueue {
    const key = `${customer.pathSegment}/${recipeId}`;
    let queue = queues.get(key);
    if (!queue) {
      queue = { key, customer, recipeId, waiting: [], lastServed: 0 };
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

  /** The queue to serve next: among those ready, the one served longest ago (round-robin across recipes). */
  function nextReadyQueue(at: number): RecipeQueue | undefined {
    return nextFairQueue(queues.values(), (queue) => readyAt(queue) <= at);
  }

  function pump(): void {
    if (slotRequested || stopped) return;
    clearTimeout(wakeTimer);
    wakeTimer = undefined;
    if (pausedForStore) {
      if (!options.storeGate?.writable()) {
        wakeTimer = setTimeout(pump, STORE_RECHECK_MS);
        return;
      }
      const held = pausedForStore;
      pausedForStore = null;
      logger?.info({ requesters: held.size }, "the store can be written again: repeats carry on");
      for (const requester of held) requester.onResumed?.();
    }
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
        async () => {
          taken.batch = await compose();
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
  async function compose(): Promise<ComposedBatch | null> {
    if (stopped) return null;
    const queue = nextReadyQueue(now());
    if (!queue) return null;
    // One job from each repeat waiting in this recipe in turn: a short repeat rides along with a long one.
    const jobs = takeInTurn(queue.waiting, MAX_JOBS_PER_REPEAT, (job) => job.requesters[0]);
    queue.lastServed = ++slotsServed;
    if (queue.waiting.length === 0) queues.delete(queue.key);
    // In flight from here, so a requester asking for the same job while the marks are written joins this request.
    for (const job of jobs) {
      waitingByJob.delete(`${queue.key}#${job.jobId}`);
      inFlightByJob.set(`${queue.key}#${job.jobId}`, job);
    }
    reportQueueDepth();
    try {
      await Promise.all(
        [...byRequester(jobs)].map(([requester, jobIds]) =>
          inMarkingOrder(requester, requester.onSend, jobIds),
        ),
      );
    } catch (error) {
      // Without a record of what is about to be sent, a crash could hide a repeat: send nothing.
      for (const job of jobs) inFlightByJob.delete(`${queue.key}#${job.jobId}`);
      if (options.storeGate && isStoreOutage(error)) {
        pauseForStore(queue, jobs, error);
        return null;
      }
      logger?.error({ err: error }, "could not record a repeat request before sending it");
      const message = "not repeated: the bot could not record the request safely";
      deliver(
        jobs,
        jobs.map((job) => ({ jobId: job.jobId, outcome: "failed", typeId: null, message })),
        logger,
      );
      return null;
    }
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
      deliver(batch.jobs, outcome, logger);
      return;
    }
    // Certainly not run (429 or no connection): back to the head of the line, in order; not for a stopped repeat.
    pausedUntil = Math.max(pausedUntil, now() + outcome.retryAfterMs);
    const stillWanted = batch.jobs.filter((job) => !dropStoppedRequesters(job));
    const retry = stillWanted.filter((job) => ++job.retries <= maxRetries);
    const givenUp = stillWanted.filter((job) => job.retries > maxRetries);
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
        logger,
      );
    }
    for (const [requester, jobIds] of byRequester(retry)) {
      // The next in-flight mark of these jobs waits for this one (inMarkingOrder), so the two cannot swap.
      inMarkingOrder(requester, requester.onRetry, jobIds).catch((error: unknown) =>
        logger?.error({ err: error }, "could not mark repeat jobs as waiting again"),
      );
    }
    if (retry.length > 0) {
      const queue = queueFor(batch.customer, batch.recipeId);
      queue.waiting.unshift(...retry);
      for (const job of retry) waitingByJob.set(`${queue.key}#${job.jobId}`, job);
    }
    reportQueueDepth();
  }

  /**
   * The store is out: the jobs go back to the head of their line, unsent and unreported, and nothing is composed
   * until the store can be written again. Their requesters hear they are paused; nobody hears a result.
   */
  function pauseForStore(from: RecipeQueue, jobs: WaitingJob[], error: unknown): void {
    const stillWanted = jobs.filter((job) => !dropStoppedRequesters(job));
    const queue = queueFor(from.customer, from.recipeId);
    queue.waiting.unshift(...stillWanted);
    for (const job of stillWanted) waitingByJob.set(`${queue.key}#${job.jobId}`, job);
    if (!pausedForStore)
      logger?.warn({ err: error }, "the store cannot record repeat requests: repeats paused");
    pausedForStore ??= new Set();
    for (const requester of byRequester(stillWanted).keys()) {
      if (pausedForStore.has(requester)) continue;
      pausedForStore.add(requester);
      requester.onPaused?.();
    }
    reportQueueDepth();
  }

  function reportQueueDepth(): void {
    if (!options.metrics) return;
    let depth = 0;
    for (const queue of queues.values()) depth += queue.waiting.length;
    options.metrics.repeatQueueDepth(depth);
  }

  /** Stop: the requester's waiting jobs leave the queue (unless someone else wants them too). */
  function stopRequester(requester: Requester, queueKey: string): void {
    if (requester.stopped) return;
    requester.stopped = true;
    const queue = queues.get(queueKey);
    if (queue) {
      const kept = queue.waiting.filter((job) => {
        if (!job.requesters.includes(requester)) return true;
        const unwanted = dropStoppedRequesters(job);
        if (unwanted) waitingByJob.delete(`${queueKey}#${job.jobId}`);
        return !unwanted;
      });
      queue.waiting.splice(0, queue.waiting.length, ...kept);
      if (queue.waiting.length === 0) queues.delete(queueKey);
    }
    reportQueueDepth();
    finishIfDone(requester);
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
          onPaused: demand.onPaused,
          onResumed: demand.onResumed,
          priority: demand.priority ?? "interactive",
          batchesReported: demand.batchesAlreadyReported ?? 0,
          reporting: Promise.resolve(),
          marking: Promise.resolve(),
          stopped: false,
          notSent: 0,
          finished: false,
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
        reportQueueDepth();
        if (joinedInFlight.length > 0) {
          // The request is already on its way: the mark is this requester's trace of it, not a condition to send.
          inMarkingOrder(requester, requester.onSend, joinedInFlight).catch((error: unknown) =>
            logger?.error({ err: error }, "could not record joined repeat jobs as in flight"),
          );
        }
        const signal = demand.stopSignal;
        if (signal) {
          if (signal.aborted) stopRequester(requester, queue.key);
          else signal.addEventListener("abort", () => stopRequester(requester, queue.key), { once: true });
        }
        pump();
      });
    },

    stop() {
      stopped = true;
      clearTimeout(wakeTimer);
    },
  };
}
