// The repeat scheduler's shapes: what a requester asks for (RepeatDemand), what the scheduler offers, and the
// internal records it keeps per requester, per waiting job and per recipe queue.
import type { Logger } from "pino";
import type { Clock } from "../clock.js";
import type { MetricsRecorder } from "../metrics/metrics.js";
import type { JobRepeatResult, RepeatBatch, WorkatoClient } from "../workato/client.js";
import type { CustomerRef } from "../workato/customer-ref.js";
import type { CallPriority } from "../workato/limits.js";
import type { StoreGate } from "./store-pause.js";

export interface RepeatDemand {
  customer: CustomerRef;
  recipeId: number;
  /** master job ids; duplicates are repeated once */
  jobIds: readonly string[];
  priority?: CallPriority;
  /** called once per request that carried some of this demand's jobs, in order, with just those results */
  onBatch?: (results: JobRepeatResult[], batchNumber: number) => Promise<void> | void;
  /**
   * Called just before a request carrying these of the demand's jobs is sent, and awaited, so they are recorded
   * as in flight first (a crash then leaves a trace to reconcile). Throwing or rejecting cancels the request.
   */
  onSend?: (jobIds: string[]) => Promise<void> | void;
  /** called when a request certainly did not run and its jobs wait again (429, connection refused) */
  onRetry?: (jobIds: string[]) => Promise<void> | void;
  /** the store could not record a request of these jobs before it left: nothing is sent until it can (storeGate) */
  onPaused?: () => void;
  /** the store can be written again and this demand's jobs are sent again */
  onResumed?: () => void;
  /** batch numbering continues from here (a resumed repeat's thread already has replies) */
  batchesAlreadyReported?: number;
  /**
   * Stop: once aborted, none of this demand's jobs goes into another request; one already composed finishes and
   * is reported. The promise then resolves with the results of the jobs that were sent only.
   */
  stopSignal?: AbortSignal;
}

export interface RepeatScheduler {
  /** resolves with a result for every distinct requested id, in the order requested (sent ones only, if stopped) */
  repeat(demand: RepeatDemand): Promise<JobRepeatResult[]>;
  /** Sends nothing more: requests not yet composed stay waiting (in the store) for the next start. */
  stop(): void;
}

export interface RepeatSchedulerOptions {
  client: WorkatoClient;
  /** told how many jobs wait to be sent whenever that changes; absent where a test builds it without metrics */
  metrics?: Pick<MetricsRecorder, "repeatQueueDepth">;
  /**
   * How long a request that is not full waits for more ids of its recipe (default 1000 ms): two people
   * repeating 10 jobs each within a second then share one request of 20.
   */
  coalesceMs?: number;
  /** times a request that certainly did not run (429, connection refused) is tried again; default 5 */
  maxRetries?: number;
  logger?: Logger;
  /**
   * Whether the store can be written: with it, a request its requesters could not record pauses every repeat until
   * the store is back (nothing sent, nothing reported); without it, its jobs are reported not repeated.
   */
  storeGate?: StoreGate;
  /** when a waiting job started waiting, and how long a 429 pauses everyone */
  clock: Clock;
}

export interface Requester {
  readonly jobIds: readonly string[];
  readonly results: Map<string, JobRepeatResult>;
  readonly onBatch: RepeatDemand["onBatch"];
  readonly onSend: RepeatDemand["onSend"];
  readonly onRetry: RepeatDemand["onRetry"];
  readonly onPaused: RepeatDemand["onPaused"];
  readonly onResumed: RepeatDemand["onResumed"];
  readonly priority: CallPriority;
  batchesReported: number;
  /** keeps this requester's replies in request order */
  reporting: Promise<void>;
  /** keeps this requester's in-flight and waiting marks in the order they were made */
  marking: Promise<void>;
  /** set by Stop: its jobs still waiting are dropped, and jobs coming back from a 429 are not queued again */
  stopped: boolean;
  /** jobs that will not be sent because of Stop */
  notSent: number;
  finished: boolean;
  resolve(results: JobRepeatResult[]): void;
}

export interface WaitingJob {
  readonly jobId: string;
  readonly waitingSince: number;
  readonly requesters: Requester[];
  retries: number;
}

export interface RecipeQueue {
  readonly key: string;
  readonly customer: CustomerRef;
  readonly recipeId: number;
  readonly waiting: WaitingJob[];
  /** the slot sequence number this queue was last served in; 0 when never */
  lastServed: number;
}

export interface ComposedBatch extends RepeatBatch {
  readonly queue: RecipeQueue;
  readonly jobs: WaitingJob[];
}
