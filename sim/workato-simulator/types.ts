// Public types of the Workato Jobs API simulator: jobs as tests see them, faults, options and the request log.

export type SimJobStatus = "succeeded" | "failed" | "pending";
export type SimEndpoint = "list" | "get" | "repeat" | "recipe";

export interface SimLine {
  recipe_line_number: number;
  adapter_name: string;
  adapter_operation: string;
  input: unknown;
  output: unknown;
  mask_data: boolean;
  line_stat: { total: number; details: unknown[] };
}

/**
 * A job as the simulator holds it. Objects returned by `jobs()`/`job()` are the live records, so a test may
 * e.g. flip a pending repeat to "succeeded"; changing `startedAt` afterwards would break the list order.
 */
export interface SimJob {
  id: string;
  recipeId: number;
  status: SimJobStatus;
  title: string;
  error: string | null;
  startedAt: Date;
  completedAt: Date | null;
  /** === id for master jobs; the original's id for repeats */
  masterJobId: string;
  isRepeat: boolean;
  isTest: boolean;
  isPollError: boolean;
  callingRecipeId: number | null;
  callingJobId: string | null;
  rootRecipeId: number | null;
  rootJobId: string | null;
  lines: SimLine[];
  /** how many times this master job has been repeated */
  repeatCount: number;
  /** trigger data erased by retention → cannot be repeated */
  expired: boolean;
}

export interface SimJobInput extends Partial<Omit<SimJob, "recipeId">> {}

export interface RecordedRequest {
  method: string;
  /** the path exactly as sent, still percent-encoded, without the query string */
  rawPath: string;
  query: Record<string, string>;
  /** parsed JSON, or the raw string if unparsable, or undefined when there was no body */
  body: unknown;
  /** arrival time, ms since epoch with sub-ms precision (performance.timeOrigin + performance.now()) */
  at: number;
  endpoint: SimEndpoint | "other";
  /** the :managed_user_id path segment, percent-decoded ("23456", "EA2300", "Eacme/eu-1"); null if absent */
  customer: string | null;
  recipeId: number | null;
  /** status actually answered (0 if the socket was reset/hung without answer) */
  status: number;
  authorization: string | undefined;
}

export type FaultEffect =
  /** a string body is sent as-is (text/plain); anything else as JSON. Default body: {"message": <reason phrase>} */
  | { type: "status"; status: number; body?: unknown; retryAfterSeconds?: number }
  /** destroy the socket without answering */
  | { type: "reset" }
  /** answer normally, but only after ms (clients should time out first) */
  | { type: "hang"; ms: number }
  /** a 200 whose body is not what it claims; contentType defaults to application/json */
  | { type: "malformed"; body: string; contentType?: string }
  /** extra delay, then the normal answer */
  | { type: "latency"; ms: number };

export interface Fault {
  /** default: all endpoints (unrouted paths are never faulted) */
  endpoint?: SimEndpoint | SimEndpoint[];
  /** how many matching requests it hits; default: every one */
  times?: number;
  /** apply AFTER the request's effect happened (e.g. repeat enqueued, then 500/reset/hang/malformed) */
  afterProcessing?: boolean;
  effect: FaultEffect;
}

export interface SimulatorOptions {
  /** default "sim-token"; requests without `Authorization: Bearer <token>` → 401 */
  token?: string;
  /** list page size, default 50 */
  pageSize?: number;
  /** added to every answer (default 0) */
  latencyMs?: number;
  /** default 1000: a repeat_jobs request arriving < this after the previous accepted one → 429 */
  repeatMinIntervalMs?: number;
  /** default 1000: other endpoints over this many in any sliding 60 s → 429 */
  perMinuteLimit?: number;
  /** get-recipe answer shape, default "bare" */
  recipeShape?: "bare" | "result-array";
  /** clock for new jobs' timestamps, default () => new Date() */
  now?: () => Date;
}

export interface WorkatoSimulator {
  /** e.g. http://127.0.0.1:PORT */
  readonly url: string;
  readonly token: string;
  readonly requests: RecordedRequest[];
  addCustomer(c: { id: number; externalId?: string }): void;
  addRecipe(customerId: number, r: { id: number; name: string }): void;
  /** Adds a job as the newest of that recipe (startedAt defaults to later than every existing job of the recipe). Returns it. */
  addJob(customerId: number, recipeId: number, job?: SimJobInput): SimJob;
  /** Convenience: n failed master jobs, each newer than the last, with a realistic multi-line error. */
  addFailedJobs(customerId: number, recipeId: number, n: number, job?: SimJobInput): SimJob[];
  /** newest first */
  jobs(customerId: number, recipeId: number): SimJob[];
  job(jobId: string): SimJob | undefined;
  /** returns a remover */
  addFault(f: Fault): () => void;
  clearFaults(): void;
  /** when true, every jobs endpoint answers 403 (API client role lacks List/Get details) */
  denyJobsAccess(deny: boolean): void;
  setLatency(ms: number): void;
  close(): Promise<void>;
}

/** What the simulator decided to answer, before it becomes HTTP. */
export interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}
