// The simulator's HTTP side: auth, rate limits, faults, latency and the request log around the endpoint answers.
import { createServer, type IncomingMessage, type ServerResponse, STATUS_CODES } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { answerEndpoint } from "./endpoints.js";
import { createFaultList } from "./faults.js";
import { createMinIntervalLimit, createSlidingWindowLimit, type RateLimit } from "./limits.js";
import { parseRoute, type Route } from "./paths.js";
import { type RepeatEnv, repeatFoundJob } from "./repeating.js";
import { seedFailures } from "./seeding.js";
import { createRepeatSettler } from "./settling.js";
import { createSimState } from "./state.js";
import type {
  Answer,
  FaultEffect,
  RecordedRequest,
  SimEndpoint,
  SimJob,
  SimulatorOptions,
  WorkatoSimulator,
} from "./types.js";

const UNAUTHORIZED: Answer = { status: 401, body: { message: "Unauthorized" } };
const JSON_CONTENT_TYPE = "application/json; charset=utf-8";
const RATE_LIMIT_WINDOW_MS = 60_000;

/** Sleeps that close() can cut short, so hanging answers never keep the process (or close()) waiting. */
function createSleeper() {
  const pending = new Map<NodeJS.Timeout, (finished: boolean) => void>();
  let cancelled = false;
  return {
    /** Resolves true after ms, or false as soon as the simulator closes. */
    sleep(ms: number): Promise<boolean> {
      if (cancelled) return Promise.resolve(false);
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          pending.delete(timer);
          resolve(true);
        }, ms);
        pending.set(timer, resolve);
      });
    },
    cancelAll(): void {
      cancelled = true;
      for (const [timer, resolve] of pending) {
        clearTimeout(timer);
        resolve(false);
      }
      pending.clear();
    },
  };
}

function splitUrl(url: string): { rawPath: string; query: Record<string, string> } {
  const questionMark = url.indexOf("?");
  if (questionMark === -1) return { rawPath: url, query: {} };
  return {
    rawPath: url.slice(0, questionMark),
    query: Object.fromEntries(new URLSearchParams(url.slice(questionMark + 1))),
  };
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  const text = Buffer.concat(chunks).toString("utf8");
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** A fault's answer when it replaces (or follows) the normal one; delays are handled by the caller. */
function faultAnswer(effect: Extract<FaultEffect, { type: "status" | "malformed" }>): {
  status: number;
  headers: Record<string, string>;
  payload: string;
} {
  if (effect.type === "malformed") {
    // A 200 is the nastiest case for a client: success status, unusable body.
    return {
      status: 200,
      headers: { "content-type": effect.contentType ?? JSON_CONTENT_TYPE },
      payload: effect.body,
    };
  }
  const headers: Record<string, string> = {};
  if (effect.retryAfterSeconds !== undefined) headers["retry-after"] = String(effect.retryAfterSeconds);
  if (typeof effect.body === "string") {
    return {
      status: effect.status,
      headers: { ...headers, "content-type": "text/plain" },
      payload: effect.body,
    };
  }
  const body = effect.body ?? { message: STATUS_CODES[effect.status] ?? "Error" };
  return {
    status: effect.status,
    headers: { ...headers, "content-type": JSON_CONTENT_TYPE },
    payload: JSON.stringify(body),
  };
}

export async function startWorkatoSimulator(options: SimulatorOptions = {}): Promise<WorkatoSimulator> {
  const token = options.token ?? "sim-token";
  const pageSize = options.pageSize ?? 50;
  const recipeShape = options.recipeShape ?? "bare";
  const listShape = options.listShape ?? "result";
  const now = options.now ?? (() => new Date());
  const state = createSimState(now);
  const settler = createRepeatSettler(state, now);
  if (options.settleRepeats !== undefined) settler.setPolicy(options.settleRepeats);
  const faults = createFaultList();
  // One budget per endpoint family, shared by every customer and API client, as Workato counts per admin workspace.
  const repeatLimit = createMinIntervalLimit(options.repeatMinIntervalMs ?? 1000);
  const perMinuteLimit = createSlidingWindowLimit(options.perMinuteLimit ?? 1000, RATE_LIMIT_WINDOW_MS);
  const customersLimit = createSlidingWindowLimit(
    options.customersPerMinuteLimit ?? 60,
    RATE_LIMIT_WINDOW_MS,
  );
  const recipeListLimit = createSlidingWindowLimit(
    options.recipeListPerMinuteLimit ?? 2000,
    RATE_LIMIT_WINDOW_MS,
  );
  const startStopLimit = createSlidingWindowLimit(
    options.startStopPerMinuteLimit ?? 1000,
    RATE_LIMIT_WINDOW_MS,
  );
  const limitFor: Record<SimEndpoint, RateLimit> = {
    repeat: repeatLimit,
    list: perMinuteLimit,
    get: perMinuteLimit,
    // Get recipe has always shared the Jobs API's minute here; the docs name no limit of its own.
    recipe: perMinuteLimit,
    customers: customersLimit,
    customer: customersLimit,
    recipes: recipeListLimit,
    start: startStopLimit,
    stop: startStopLimit,
  };
  let retentionMs: number | null = options.retentionMs ?? null;
  const repeatEnv: RepeatEnv = {
    state,
    isExpired(job) {
      if (job.expired) return true;
      if (retentionMs === null) return false;
      const finishedAt = (job.completedAt ?? job.startedAt).getTime();
      return now().getTime() - finishedAt > retentionMs;
    },
    onEnqueued: (repeat, n) => settler.enqueued(repeat, n),
  };
  const sleeper = createSleeper();
  const requests: RecordedRequest[] = [];
  let latencyMs = options.latencyMs ?? 0;
  let jobsAccessDenied = options.jobsAccessDenied ?? false;

  /**
   * Decided at arrival, before the body is read, so limits and faults are consumed in arrival order.
   * Every authorised request to an endpoint counts against its limit, whatever it is answered later (400, 403, 404,
   * a fault): Workato meters requests, not successes. Refused (429) requests do not count.
   */
  function refusalAtArrival(route: Route, authorization: string | undefined, arrivedAtMs: number) {
    if (authorization !== `Bearer ${token}`) return UNAUTHORIZED;
    if (route.endpoint === "other") return undefined;
    const decision = limitFor[route.endpoint].admit(arrivedAtMs);
    if (decision.allowed) return undefined;
    return {
      status: 429,
      body: { message: "Too many requests" },
      headers: { "retry-after": String(decision.retryAfterSeconds) },
    };
  }

  async function send(
    req: IncomingMessage,
    res: ServerResponse,
    record: RecordedRequest,
    answer: { status: number; headers: Record<string, string>; payload: string },
  ): Promise<void> {
    if (latencyMs > 0 && !(await sleeper.sleep(latencyMs))) return;
    if (req.socket.destroyed) return;
    res.writeHead(answer.status, { ...answer.headers, "content-length": Buffer.byteLength(answer.payload) });
    res.end(answer.payload);
    record.status = answer.status;
  }

  function sendAnswer(req: IncomingMessage, res: ServerResponse, record: RecordedRequest, answer: Answer) {
    return send(req, res, record, {
      status: answer.status,
      headers: { ...answer.headers, "content-type": JSON_CONTENT_TYPE },
      payload: JSON.stringify(answer.body),
    });
  }

  async function reset(req: IncomingMessage): Promise<void> {
    if (latencyMs > 0 && !(await sleeper.sleep(latencyMs))) return;
    req.socket.destroy();
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const arrivedAtMs = performance.now();
    const { rawPath, query } = splitUrl(req.url ?? "/");
    const method = req.method ?? "GET";
    const route = parseRoute(method, rawPath);
    const record: RecordedRequest = {
      method,
      rawPath,
      query,
      body: undefined,
      at: performance.timeOrigin + arrivedAtMs,
      endpoint: route.endpoint,
      customer: route.customerSegment,
      recipeId: route.recipeId,
      status: 0,
      authorization: req.headers.authorization,
    };
    requests.push(record);
    const refusal = refusalAtArrival(route, req.headers.authorization, arrivedAtMs);
    const fault =
      refusal === undefined && route.endpoint !== "other" ? faults.take(route.endpoint) : undefined;

    const body = await readBody(req);
    record.body = body;
    if (refusal !== undefined) return sendAnswer(req, res, record, refusal);

    // Read at answer time so denyJobsAccess() affects requests already waiting on a delay.
    const answerNormally = () =>
      answerEndpoint(
        { state, pageSize, recipeShape, jobsAccessDenied, repeatEnv, listShape, now },
        route,
        query,
        body,
      );
    if (fault === undefined) return sendAnswer(req, res, record, answerNormally());

    const effect = fault.effect;
    // Before processing, a delay postpones the request itself: a client that gave up may still see it take effect.
    const answer = fault.afterProcessing ? answerNormally() : undefined;
    switch (effect.type) {
      case "hang":
      case "latency":
        if (!(await sleeper.sleep(effect.ms))) return;
        return sendAnswer(req, res, record, answer ?? answerNormally());
      case "reset":
        return reset(req);
      case "status":
      case "malformed":
        return send(req, res, record, faultAnswer(effect));
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      // An aborted upload lands here with its socket gone; anything else is a simulator bug worth seeing.
      if (req.socket.destroyed || res.headersSent) return;
      const message = error instanceof Error ? error.message : String(error);
      res.writeHead(500, { "content-type": JSON_CONTENT_TYPE });
      res.end(JSON.stringify({ message: `Simulator error: ${message}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  let closing: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    requests,
    addCustomer: state.addCustomer,
    addRecipe: state.addRecipe,
    addJob: state.addJob,
    addFailedJobs: state.addFailedJobs,
    jobs: state.jobs,
    job: state.job,
    addFault: faults.add,
    clearFaults: faults.clear,
    denyJobsAccess(deny) {
      jobsAccessDenied = deny;
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    recipe: state.requireRecipe,
    settleRepeats: (policy) => settler.setPolicy(policy),
    scriptRepeats: (masterJobId, outcomes) => settler.script(masterJobId, outcomes),
    settleRepeat: (jobId, outcome = "succeeded", opts = {}) =>
      settler.settle(jobId, outcome, opts.errorMessage),
    settlePendingRepeats: () => settler.settleAllPending(),
    repeatInWorkatoUi(jobId, opts = {}) {
      let made: SimJob | undefined;
      const result = repeatFoundJob(
        {
          ...repeatEnv,
          onEnqueued: (repeat, n) => {
            made = repeat;
            settler.enqueued(repeat, n, opts);
          },
        },
        state.job(jobId),
        jobId,
      );
      if (result.status === "failed" || made === undefined) {
        throw new Error(
          `Simulator: Workato would not repeat ${jobId}: ${result.status === "failed" ? result.error.message : "unknown"}`,
        );
      }
      return made;
    },
    seedFailures: (seed) => seedFailures(state, seed),
    setRetention(ms) {
      retentionMs = ms;
    },
    stopRecipeByWorkato(customerId, recipeId, opts = {}) {
      const recipe = state.requireRecipe(customerId, recipeId);
      recipe.running = false;
      recipe.stoppedAt = opts.at ?? now();
      recipe.stopCause = opts.cause ?? "trigger_errors_limit";
    },
    refuseRecipeStart(customerId, recipeId, message) {
      state.requireRecipe(customerId, recipeId).startError = message;
    },
    close() {
      closing ??= new Promise<void>((resolve, reject) => {
        settler.close();
        sleeper.cancelAll();
        server.close((error) => (error ? reject(error) : resolve()));
        // Hanging and keep-alive connections would otherwise hold close() open until they end by themselves.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
