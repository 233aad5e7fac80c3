// Public types of the Workato Jobs API simulator: jobs as tests see them, faults, options and the request log.

export type SimJobStatus = "succeeded" | "failed" | "pending";
/**
 * Jobs API: list, get, repeat; "recipe" is get-recipe (metered with the Jobs API, as before).
 * Around it: customers (list managed users), customer (get one), recipes (list a customer's recipes),
 * start / stop (PUT a recipe's start or stop).
 */
export type SimEndpoint =
  | "list"
  | "get"
  | "repeat"
  | "recipe"
  | "customers"
  | "customer"
  | "recipes"
  | "start"
  | "stop";

/** How a repeat ends: "pending" means it never settles by itself (a repeat still running). */
export type RepeatOutcome = "succeeded" | "failed" | "pending";

/** When and how repeats (made through repeat_jobs or repeatInWorkatoUi) end. */
export interface SettleRepeatsOptions {
  /**
   * Delay from enqueueing to the end, in ms (real timers); default 0 (settles right after the answer is built).
   * A function gets the master job id and which repeat of that master this is (1 for its first repeat).
   */
  afterMs?: number | ((masterJobId: string, n: number) => number);
  /** default "succeeded"; a function gets the master job id and n as above */
  outcome?: RepeatOutcome | ((masterJobId: string, n: number) => RepeatOutcome);
  /** the error of a repeat that fails; default: the master's error, else the simulator's default failure message */
  errorMessage?: string;
}

export interface SimCustomerInput {
  id: number;
  externalId?: string;
  /** default `Customer <id>` */
  name?: string;
}

export interface SimRecipeInput {
  id: number;
  name: string;
  /** default true */
  running?: boolean;
  /** default 1 */
  folderId?: number;
  /** default "salesforce" */
  triggerApplication?: string;
}

/** A recipe's live state as the recipes endpoints report it. */
export interface SimRecipeState {
  id: number;
  name: string;
  customerId: number;
  running: boolean;
  stoppedAt: Date | null;
  /** why Workato stopped it by itself, e.g. "trigger_errors_limit"; null when running or stopped by a person */
  stopCause: string | null;
  folderId: number;
  triggerApplication: string;
  /** when set, PUT …/start answers 400 with this message and the recipe stays stopped */
  startError: string | null;
}

export interface SeedFailuresOptions {
  /** the customer's numeric id */
  customer: number;
  recipeId: number;
  /** failed master jobs to create */
  count: number;
  /** started_at spread evenly over [from, to); the newest starts just before `to` */
  from: Date;
  to: Date;
  /** default: the simulator's multi-line default failure message */
  errorMessage?: string;
  /**
   * How many of them already have one repeat, by its state; spread evenly over the failures (the newest first
   * get succeeded ones, then running, then failed). Each repeat starts halfway to the next failure.
   */
  repeated?: { succeeded?: number; pending?: number; failed?: number };
  /** succeeded master jobs interleaved over the same range (default 0), so failures are not every job */
  succeeded?: number;
}

export interface SeededFailures {
  /** the failed master jobs, newest first */
  failures: SimJob[];
  /** the repeats made of some of them, newest first */
  repeats: SimJob[];
  /** the succeeded master jobs interleaved, newest first */
  succeeded: SimJob[];
}

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
  /** every jobs endpoint answers 403 from the start, as after denyJobsAccess(true) */
  jobsAccessDenied?: boolean;
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
  /** default: repeats stay pending forever (what every test before repeat settling relied on) */
  settleRepeats?: SettleRepeatsOptions;
  /**
   * Jobs whose completed_at (started_at while pending) is older than this, by `now`, answer
   * err.job.repeat.trigger_data_unavailable.expired on repeat, and stay listed. Default: no age limit
   * (only jobs added with `expired: true` are expired).
   */
  retentionMs?: number;
  /** list managed users and get one, sharing one sliding minute; default 60 */
  customersPerMinuteLimit?: number;
  /** list a customer's recipes; default 2000 per sliding minute */
  recipeListPerMinuteLimit?: number;
  /** start and stop a recipe, together; default 1000 per sliding minute */
  startStopPerMinuteLimit?: number;
  /** shape of the customers and recipes lists: `{ result: [...] }` (default, as the Embedded docs), `{ items }`, or a bare array */
  listShape?: "result" | "items" | "bare";
}

export interface WorkatoSimulator {
  /** e.g. http://127.0.0.1:PORT */
  readonly url: string;
  readonly token: string;
  readonly requests: RecordedRequest[];
  addCustomer(c: SimCustomerInput): void;
  addRecipe(customerId: number, r: SimRecipeInput): void;
  /** the recipe's live state (a test may read it; change it through the methods below) */
  recipe(customerId: number, recipeId: number): SimRecipeState;
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
  /** Replaces the repeat-settling policy for repeats enqueued from now on; null: repeats stay pending (the default). */
  settleRepeats(options: SettleRepeatsOptions | null): void;
  /** The n-th repeat of this master (n = 1, 2, …) ends as outcomes[n - 1], whatever the policy says (it still sets the delay). */
  scriptRepeats(masterJobId: string, outcomes: readonly RepeatOutcome[]): void;
  /** Ends a pending job now (cancelling its timer). Default outcome: "succeeded". Returns the job. */
  settleRepeat(jobId: string, outcome?: "succeeded" | "failed", opts?: { errorMessage?: string }): SimJob;
  /** Ends every pending repeat now, each by the scripted/policy outcome ("succeeded" without a policy); returns them. */
  settlePendingRepeats(): SimJob[];
  /**
   * A repeat made as Workato's own UI would: no HTTP request, no rate limit, same checks and settling as repeat_jobs.
   * Throws (with Workato's error message) when Workato would refuse it (unknown, non-master, expired, exhausted).
   */
  repeatInWorkatoUi(jobId: string, opts?: { outcome?: RepeatOutcome; afterMs?: number }): SimJob;
  /** Failed master jobs spread over a time range, some already repeated; see SeedFailuresOptions. */
  seedFailures(options: SeedFailuresOptions): SeededFailures;
  /** null: no age limit. See SimulatorOptions.retentionMs. */
  setRetention(ms: number | null): void;
  /** Workato stops the recipe by itself: running false, stopped_at (default now), stop_cause (default trigger_errors_limit). */
  stopRecipeByWorkato(customerId: number, recipeId: number, opts?: { cause?: string; at?: Date }): void;
  /** Scripts PUT …/start to fail with this message (400) until cleared with null. */
  refuseRecipeStart(customerId: number, recipeId: number, message: string | null): void;
  close(): Promise<void>;
}

/** What the simulator decided to answer, before it becomes HTTP. */
export interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}
