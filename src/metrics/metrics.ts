// The bot's Prometheus metrics: one registry per app instance and the typed recording functions every part calls.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { StoreHealthRecorder } from "../store/store-health.js";
import type { CallPriority, LimitFamily } from "../workato/limits.js";
import { WORKATO_ACCESS_STATES, type WorkatoAccessState } from "../workato/start-check.js";

/** The Workato endpoints the bot calls, as they appear in `workato_requests_total{endpoint}`. */
export const WORKATO_ENDPOINTS = [
  "list_jobs",
  "get_job",
  "get_recipe",
  "list_recipes",
  "repeat_jobs",
  "customers",
  "recipe_start",
  "recipe_stop",
] as const;
export type WorkatoEndpoint = (typeof WORKATO_ENDPOINTS)[number];

/** An HTTP status Workato answered, or why no answer came. */
export type WorkatoRequestStatus = number | "network" | "timeout";

/** What became of one repeated job: Workato's answer to the request, then how the new job ended. */
export const REPEAT_JOB_OUTCOMES = ["enqueued", "failed", "unknown", "succeeded", "failed_again"] as const;
export type RepeatJobOutcome = (typeof REPEAT_JOB_OUTCOMES)[number];

/** The recording functions, and nothing else: what the parts of the app depend on. */
export interface MetricsRecorder extends StoreHealthRecorder {
  /** one HTTP exchange with Workato (each retry is its own exchange) */
  workatoRequest(endpoint: WorkatoEndpoint, status: WorkatoRequestStatus): void;
  /** how long a call waited for its family's limiter before its request could leave */
  limiterWait(family: LimitFamily, priority: CallPriority, seconds: number): void;
  repeatJobs(outcome: RepeatJobOutcome, n?: number): void;
  /** repeat jobs waiting to be sent */
  repeatQueueDepth(n: number): void;
  /** how late a watch's poll ran against its target interval */
  watchPollLag(seconds: number): void;
  /** a Slack Web API call and how it ended: "ok" or Slack's error code */
  slackCall(method: string, outcome: string): void;
  /** Slack answered 429 (the Web API client waits it out and retries) */
  slackRateLimited(method: string): void;
  /** whether this replica holds `lease` now */
  leader(lease: string, held: boolean): void;
  /** what the start-up check found about the Workato token and its jobs access */
  workatoAccess(state: WorkatoAccessState): void;
}

export interface Metrics extends MetricsRecorder {
  /** this instance's own registry: never prom-client's global one, so apps in one process keep their own counts */
  readonly registry: Registry;
  /** the Prometheus exposition text */
  text(): Promise<string>;
}

export interface MetricsOptions {
  /** names this replica in `leader{replica}` */
  replica: string;
  /** prom-client's process metrics (CPU, memory, event loop lag); default true */
  processMetrics?: boolean;
}

const LIMITER_WAIT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
const POLL_LAG_BUCKETS = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];
/** Free-text label values (Slack methods and error codes, lease names) beyond this many distinct ones become "other". */
const MAX_FREE_LABEL_VALUES = 50;
const LABEL_VALUE = /^[A-Za-z0-9_.:-]{1,64}$/;

export function createMetrics(options: MetricsOptions): Metrics {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const replica = boundedLabels()(options.replica);

  const workatoRequests = new Counter({
    name: "workato_requests_total",
    help: "HTTP requests to Workato by endpoint and status (an HTTP status, network or timeout)",
    labelNames: ["endpoint", "status"] as const,
    registers,
  });
  const workatoRateLimited = new Counter({
    name: "workato_rate_limited_total",
    help: "Requests Workato answered 429 (Too Many Requests), by endpoint",
    labelNames: ["endpoint"] as const,
    registers,
  });
  const limiterWaitSeconds = new Histogram({
    name: "workato_limiter_wait_seconds",
    help: "Time a Workato call waited for its limit family's budget before its request could leave",
    labelNames: ["family", "priority"] as const,
    buckets: LIMITER_WAIT_BUCKETS,
    registers,
  });
  const repeatJobsTotal = new Counter({
    name: "repeat_jobs_total",
    help: "Repeated jobs by outcome: enqueued, failed, unknown (Workato's answer); succeeded, failed_again (the new job)",
    labelNames: ["outcome"] as const,
    registers,
  });
  const repeatQueue = new Gauge({
    name: "repeat_queue_depth",
    help: "Repeat jobs waiting to be sent to Workato",
    registers,
  });
  const pollLag = new Histogram({
    name: "watch_poll_lag_seconds",
    help: "How late a watch's poll ran against its target interval",
    buckets: POLL_LAG_BUCKETS,
    registers,
  });
  const slackCalls = new Counter({
    name: "slack_api_calls_total",
    help: 'Slack Web API calls by method and outcome ("ok" or Slack\'s error code)',
    labelNames: ["method", "outcome"] as const,
    registers,
  });
  const slackRateLimitedTotal = new Counter({
    name: "slack_rate_limited_total",
    help: "Slack Web API calls answered 429, by method (the client waits and retries them)",
    labelNames: ["method"] as const,
    registers,
  });
  const leaderGauge = new Gauge({
    name: "leader",
    help: "1 while this replica holds the lease (poller, repeat dispatcher), 0 otherwise",
    labelNames: ["lease", "replica"] as const,
    registers,
  });
  // The store's trouble shows here (and in /healthz while it cannot be written); Slack's and Workato's only here, so a
  // platform does not restart a bot that is waiting out someone else's outage. The outbox's depth belongs beside these.
  const storeErrors = new Counter({
    name: "store_errors_total",
    help: "Store calls that failed (or were refused because the store file is gone), by kind: read or write",
    labelNames: ["kind"] as const,
    registers,
  });
  const storeUpGauge = new Gauge({
    name: "store_up",
    help: "1 while the store can be written, 0 while it cannot (unreachable, full, or its file gone)",
    registers,
  });

  const workatoAccessGauge = new Gauge({
    name: "workato_access",
    help: "What the start-up check found: 1 for the state found (ok, token_refused, no_jobs_role, unreachable, unexpected), 0 for the others; no series before it ran",
    labelNames: ["state"] as const,
    registers,
  });

  // Zero series from the start, so a dashboard's rate() sees "none yet" rather than "no data".
  for (const endpoint of WORKATO_ENDPOINTS) workatoRateLimited.inc({ endpoint }, 0);
  for (const outcome of REPEAT_JOB_OUTCOMES) repeatJobsTotal.inc({ outcome }, 0);
  repeatQueue.set(0);
  for (const kind of ["read", "write"] as const) storeErrors.inc({ kind }, 0);
  storeUpGauge.set(1);

  const slackMethod = boundedLabels();
  const slackOutcome = boundedLabels();
  const leaseName = boundedLabels();

  return {
    registry,
    text: () => registry.metrics(),
    workatoRequest(endpoint, status) {
      workatoRequests.inc({ endpoint, status: statusLabel(status) });
      if (status === 429) workatoRateLimited.inc({ endpoint });
    },
    limiterWait(family, priority, seconds) {
      limiterWaitSeconds.observe({ family, priority }, Math.max(0, seconds));
    },
    repeatJobs(outcome, n = 1) {
      if (n > 0) repeatJobsTotal.inc({ outcome }, n);
    },
    repeatQueueDepth(n) {
      repeatQueue.set(Math.max(0, n));
    },
    watchPollLag(seconds) {
      pollLag.observe(Math.max(0, seconds));
    },
    slackCall(method, outcome) {
      slackCalls.inc({ method: slackMethod(method), outcome: slackOutcome(outcome) });
    },
    slackRateLimited(method) {
      slackRateLimitedTotal.inc({ method: slackMethod(method) });
    },
    storeError(kind) {
      storeErrors.inc({ kind });
    },
    storeUp(up) {
      storeUpGauge.set(up ? 1 : 0);
    },
    leader(lease, held) {
      leaderGauge.set({ lease: leaseName(lease), replica }, held ? 1 : 0);
    },
    workatoAccess(found) {
      for (const state of WORKATO_ACCESS_STATES) workatoAccessGauge.set({ state }, state === found ? 1 : 0);
    },
  };
}

function statusLabel(status: WorkatoRequestStatus): string {
  if (typeof status === "string") return status;
  return Number.isInteger(status) && status >= 100 && status <= 599 ? String(status) : "other";
}

/**
 * A guard for free-text label values: each distinct value is a new time series, so odd strings (an exception's
 * message instead of a Slack error code) and anything past the first MAX_FREE_LABEL_VALUES values become "other".
 */
function boundedLabels(): (value: string) => string {
  const seen = new Set<string>();
  return (value) => {
    if (!LABEL_VALUE.test(value)) return "other";
    if (seen.has(value)) return value;
    if (seen.size >= MAX_FREE_LABEL_VALUES) return "other";
    seen.add(value);
    return value;
  };
}
