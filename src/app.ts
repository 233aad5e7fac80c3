// Builds the app: the store (SQLite or Postgres), the guarded receiver (HTTP or Socket Mode) with /healthz and
// /metrics, the leases shared with other replicas, every command, button and App Home handler, and the background work
// run under its lease (watch poller, repeat dispatcher and outcome follower, daily digest).
import { existsSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { App, type CustomRoute, type Receiver } from "@slack/bolt";
import type { Logger } from "pino";
import { createAccessChecker } from "./access/access-check.js";
import { createBackgroundWork } from "./background.js";
import { type Clock, systemClock } from "./clock.js";
import { openCoordination } from "./cluster/coordination.js";
import { runWhileHeld } from "./cluster/while-held.js";
import type { Config } from "./config.js";
import { createCustomerDirectory } from "./customers/customer-directory.js";
import { withFailureLog } from "./digest/failure-log.js";
import { createGuardedReceiver } from "./http/guarded-receiver.js";
import {
  createGuardedSocketModeReceiver,
  type GuardedSocketModeOptions,
  type GuardedSocketModeReceiver,
} from "./http/guarded-socket-mode.js";
import { createLineageReader } from "./lineage/lineage-reader.js";
import { createOutcomeFollower } from "./lineage/outcome-follower.js";
import { boltLogger } from "./logger.js";
import { meteredBudget } from "./metrics/metered-budget.js";
import { createMetrics, type Metrics } from "./metrics/metrics.js";
import { metricsRoute } from "./metrics/metrics-route.js";
import { observeSlackRateLimits } from "./metrics/slack-rate-limits.js";
import { observeWorkatoRequests } from "./metrics/workato-requests.js";
import { createNames } from "./names/names.js";
import { createRepeatClaims } from "./repeat/claims.js";
import { createRepeatDispatcher } from "./repeat/repeat-dispatcher.js";
import { createRepeatScheduler } from "./repeat/repeat-scheduler.js";
import { createRunningRepeats } from "./repeat/running-repeats.js";
import { SLASH_COMMAND } from "./slack/commands/grammar.js";
import { createSlackDigests } from "./slack/digest/slack-digests.js";
import type { HandlerDeps } from "./slack/handler-deps.js";
import { publishAppHome } from "./slack/home/app-home.js";
import { createHomeRefresher, type HomeRefresher, noticingHomeChanges } from "./slack/home/home-refresh.js";
import { readInstallingTeam } from "./slack/io/installing-team.js";
import { createPermalinks } from "./slack/io/permalinks.js";
import { createPoster } from "./slack/io/poster.js";
import { createSlackDirectory } from "./slack/io/slack-directory.js";
import { createJobListDrawer } from "./slack/jobs/job-list-views.js";
import { reporterForRecord } from "./slack/repeats/reporter-for-record.js";
import { createSlackOutcomeSink } from "./slack/repeats/slack-outcome-sink.js";
import { registerSlackHandlers } from "./slack/routes.js";
import { createSlackAlertSink } from "./slack/watches/slack-alert-sink.js";
import { explainStartFailure, type StartContext, StartError, type StartStep } from "./start-errors.js";
import { asyncSqliteStore } from "./store/async-sqlite.js";
import { openPostgresStore } from "./store/postgres-store.js";
import { openSqliteStore } from "./store/sqlite-store.js";
import type { AsyncStore } from "./store/store.js";
import { createStoreHealth, type StoreCondition, type StoreHealth } from "./store/store-health.js";
import { createWatchPoller } from "./watch/poller.js";
import { localBudgetFor } from "./workato/budget.js";
import { createWorkatoClient, type WorkatoClient } from "./workato/client.js";
import { parseCustomerRef } from "./workato/customer-ref.js";
import { checkWorkatoAccess, NOWHERE_PROBE } from "./workato/start-check.js";
import { createWorkatoLinks } from "./workato/workato-links.js";

export interface RunningApp {
  readonly app: App;
  /** the Socket Mode receiver (SLACK_APP_TOKEN set), through which tests feed frames; null in HTTP mode */
  readonly socketMode: GuardedSocketModeReceiver | null;
  readonly deps: HandlerDeps;
  readonly metrics: Metrics;
  start(): Promise<void>;
  /** stops taking requests, lets started work finish (up to `graceMs`), then closes connections */
  stop(graceMs?: number): Promise<void>;
}

export interface AppOptions {
  config: Config;
  logger: Logger;
  /** Postgres at config.databaseUrl, else SQLite at config.sqlitePath, otherwise */
  store?: AsyncStore;
  /** for tests that want a client with other timeouts; built from config otherwise */
  workato?: WorkatoClient;
  /** the one clock every part reads; the system clock otherwise */
  clock?: Clock;
  /** this app's own registry otherwise (served at GET /metrics) */
  metrics?: Metrics;
  /** Socket Mode: where acknowledgements go instead of the WebSocket, for tests that feed frames without one */
  socketAcknowledge?: GuardedSocketModeOptions["acknowledge"];
  /** how often the store's write probe (and SQLite file check) runs; 5 s otherwise */
  storeCheckMs?: number;
}

/** /healthz's answer: 200 only while ready and the store can be written; otherwise 503 with the reason. */
function healthOf(ready: boolean, store: StoreCondition | undefined): { status: number; body: object } {
  if (!ready || store === undefined) return { status: 503, body: { ok: false } };
  switch (store.state) {
    case "ok":
      return { status: 200, body: { ok: true, store: "ok" } };
    case "unreachable":
      return {
        status: 503,
        body: { ok: false, store: "unreachable", since: new Date(store.since).toISOString() },
      };
    case "gone":
      return { status: 503, body: { ok: false, store: "gone", reason: store.reason } };
  }
}

/** The store the configuration names: Postgres (migrated before this resolves) when DATABASE_URL is set. */
async function openStore(config: Config, logger: Logger): Promise<AsyncStore> {
  const log = logger.child({ component: "store" });
  if (!config.databaseUrl) {
    const isNew = config.sqlitePath !== ":memory:" && !existsSync(config.sqlitePath);
    const store = asyncSqliteStore(openSqliteStore(config.sqlitePath));
    if (isNew) storeCreated(config, log, config.sqlitePath);
    return store;
  }
  return openPostgresStore({
    connectionString: config.databaseUrl,
    // The pool replaces the connection; the URL (with its password) is never logged, and main.ts masks it too.
    onConnectionError: (error) => log.warn({ err: error }, "a pooled Postgres connection failed"),
    onCreated: () =>
      storeCreated(config, log, `database ${new URL(config.databaseUrl ?? "").pathname.slice(1)}`),
  });
}

/**
 * A new empty store is expected only on the first start (STORE_FIRST_START=true). Any other time it means the store
 * the bot was using is not where it was (a deleted directory, another volume, another database): said loudly, since
 * every unfinished repeat, watch and digest is in the store that is missing.
 */
function storeCreated(config: Config, log: Logger, where: string): void {
  if (config.storeFirstStart) {
    log.info({ where }, `created the store at ${where} (first start)`);
    return;
  }
  log.error(
    { where },
    `created a new empty store at ${where}: if the bot ran before, its repeats, watches and digests are in a store that is not here; restore it and restart, or set STORE_FIRST_START=true on a first start`,
  );
}

/** Builds the app; opening the store is the one asynchronous step (Postgres migrates first). */
export async function createApp(options: AppOptions): Promise<RunningApp> {
  const { config, logger } = options;
  const clock = options.clock ?? systemClock;
  const metrics = options.metrics ?? createMetrics({ replica: config.replicaName });
  let ready = false;
  let storeHealth: StoreHealth | undefined;
  // Only the store's state decides it: Slack's or Workato's trouble shows in /metrics, so a platform does not restart
  // a bot that is waiting out someone else's outage.
  const healthz: CustomRoute = {
    path: "/healthz",
    method: ["GET"],
    handler: (_req: IncomingMessage, res: ServerResponse) => {
      const health = healthOf(ready, storeHealth?.condition());
      res.writeHead(health.status, { "content-type": "application/json" });
      res.end(JSON.stringify(health.body));
    },
  };

  // /metrics shares its port with /slack/events: with METRICS_TOKEN set, a scrape must carry it.
  const metricsAt = metricsRoute(
    metrics,
    config.metricsToken !== undefined ? { bearerToken: config.metricsToken } : {},
  );
  // Socket Mode's envelopes pass the same guard as HTTP ones: no frame can crash the process or go unacknowledged.
  const socketMode = config.slack.appToken
    ? createGuardedSocketModeReceiver({
        appToken: config.slack.appToken,
        customRoutes: [healthz, metricsAt],
        port: config.port,
        slashCommands: [SLASH_COMMAND],
        logger,
        ...(options.socketAcknowledge ? { acknowledge: options.socketAcknowledge } : {}),
      })
    : null;
  const receiver: Receiver =
    socketMode ??
    // Bolt's HTTPReceiver behind a guard: no signed body can crash it or wait for its 3-second timeout.
    createGuardedReceiver({
      // loadConfig guarantees a signing secret in HTTP mode.
      signingSecret: config.slack.signingSecret ?? "",
      endpoint: "/slack/events",
      customRoutes: [healthz, metricsAt],
      slashCommands: [SLASH_COMMAND],
      logger,
    });

  const app = new App({
    token: config.slack.botToken,
    receiver,
    logger: boltLogger(logger),
    deferInitialization: true,
    clientOptions: {
      ...(config.slack.apiUrl ? { slackApiUrl: config.slack.apiUrl } : {}),
      // Slack's own 429s are waited out by the client; other failures are retried briefly, not for 30 minutes.
      retryConfig: { retries: 3, factor: 2, minTimeout: 200, maxTimeout: 5000 },
    },
  });

  const stopObservingSlack = observeSlackRateLimits(app.client, metrics);
  const stopObservingWorkato = observeWorkatoRequests(config.workato.baseUrl, metrics);

  const startContext: StartContext = {
    postgres: config.databaseUrl !== undefined,
    sqlitePath: config.sqlitePath,
    slackApiUrl: config.slack.apiUrl,
    port: config.port,
    socketMode: config.slack.appToken !== undefined,
  };
  /** Runs a step of start-up; its failure is worded as the config errors are (the service, the variable). */
  async function startStep<T>(step: StartStep, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw new StartError(explainStartFailure(step, error, startContext), { cause: error });
    }
  }

  // Every write that changes what App Home shows republishes it for those looking at it (set once deps exist).
  let homeRefresher: HomeRefresher | undefined;
  storeHealth = createStoreHealth({
    store: options.store ?? (await startStep("store", () => openStore(config, logger))),
    clock,
    logger,
    metrics,
    replica: config.replicaName,
    ...(options.storeCheckMs !== undefined ? { everyMs: options.storeCheckMs } : {}),
    // The file check applies to the SQLite file this app opened itself.
    ...(options.store === undefined && !config.databaseUrl ? { sqlitePath: config.sqlitePath } : {}),
  });
  // Every part uses the watched store: its failures are seen, and nothing is written to a file that is gone.
  const store = noticingHomeChanges(storeHealth.store, () => homeRefresher?.changed());
  // After the store: its migrations create the tables replicas coordinate through.
  const coordination = await openCoordination({
    databaseUrl: config.databaseUrl,
    replicaName: config.replicaName,
    local: localBudgetFor(config.workato.baseUrl, config.workato.token),
    clock,
    logger,
    metrics,
  });
  const workato =
    options.workato ??
    createWorkatoClient({
      baseUrl: config.workato.baseUrl,
      token: config.workato.token,
      // Shared by every replica on Postgres, so Workato's limits hold across all of them.
      budget: meteredBudget(coordination.budget, metrics),
      logger: logger.child({ component: "workato" }),
      clock,
    });
  const links = createWorkatoLinks({
    baseUrl: config.workato.baseUrl,
    template: config.workato.jobUrlTemplate,
  });
  let installingTeamId: string | undefined;
  const poster = createPoster(app.client, logger.child({ component: "poster" }), metrics);
  const permalinks = createPermalinks(app.client, logger.child({ component: "permalinks" }), metrics);
  const slackDirectory = createSlackDirectory(app.client, clock);
  const access = createAccessChecker({
    policy: config.accessPolicy,
    installingTeamId: () => installingTeamId,
    directory: slackDirectory,
    logger: logger.child({ component: "access" }),
  });
  // One reader of what became of every failure, for lists, buttons and alerts alike (and one cache of Workato's reruns).
  const lineage = createLineageReader({
    workato,
    botRepeats: store,
    botQueue: store,
    clock,
    logger: logger.child({ component: "lineage" }),
  });
  const customers = createCustomerDirectory({
    workato,
    clock,
    logger: logger.child({ component: "customers" }),
  });
  // Customer and recipe names for every message, alerts included, from one place.
  const names = createNames({ directory: customers, workato });
  const poller = createWatchPoller({
    store,
    workato,
    lineage,
    // What reaches the channel is also logged for the daily digest.
    alerts: withFailureLog(createSlackAlertSink(poster, names, links), { store, clock, logger }),
    intervalSeconds: config.watchIntervalSeconds,
    viewMaxAgeMs: config.viewRedrawMaxAgeHours * 3_600_000,
    // The lists repeats were started from are redrawn with their outcomes, after every alert (lowest priority).
    listDrawer: createJobListDrawer(
      { workato, names, lineage, poster },
      logger.child({ component: "list-views" }),
    ),
    clock,
    logger,
    // An alert shows the customer's jobs in the channel: the channel must still be allowed to see them.
    mayAlert: (watch, customer) =>
      access.canView({ channel: watch.channel, userId: watch.createdBy }, customer),
    metrics,
  });
  const background = createBackgroundWork(logger);
  const claims = createRepeatClaims(store, clock);
  // Each repeat is followed to its end from the replica that sends it (the dispatcher's lease holder).
  const follower = createOutcomeFollower({
    workato,
    store,
    sink: createSlackOutcomeSink({
      poster,
      store,
      logger: logger.child({ component: "outcomes" }),
      limitMinutes: config.repeatFollowUpMinutes,
    }),
    // Each outcome redraws the alerts that show its job as soon as it is known.
    views: poller.views,
    clock,
    logger: logger.child({ component: "outcomes" }),
    limitMs: config.repeatFollowUpMinutes * 60_000,
  });
  // Stop reaches the repeats this replica sends at once; others see it in the store (repeat-runner.ts).
  const runningRepeats = createRunningRepeats();
  // A repeat that cannot record what it sends pauses until this says the store can be written again.
  const health = storeHealth;
  const storeGate = { writable: () => health.condition().state === "ok" };
  // Every repeat is sent by the holder of the repeat-dispatcher lease, from the store: one scheduler for all replicas.
  const dispatcher = createRepeatDispatcher({
    lease: coordination.leases.dispatcher,
    newScheduler: () =>
      createRepeatScheduler({
        client: workato,
        coalesceMs: config.repeatCoalesceMs,
        metrics,
        logger: logger.child({ component: "repeat" }),
        clock,
        storeGate,
      }),
    store,
    storeGate,
    claims,
    clock,
    metrics,
    workato,
    background,
    logger,
    follower,
    runningRepeats,
    // A recovery (its plan is in the store) reports through its progress message; any other repeat as before.
    reporterFor: (record) =>
      reporterForRecord(
        { poster, names, store, clock },
        record,
        logger.child({ repeatId: record.id, channel: record.channel }),
      ),
    ...(coordination.announcements
      ? {
          announce: coordination.announcements.announce,
          onAnnounced: coordination.announcements.onAnnounced,
        }
      : {}),
  });
  const deps: HandlerDeps = {
    workato,
    repeatQueue: dispatcher,
    runningRepeats,
    poster,
    claims,
    pendingRepeats: coordination.pendingRepeats,
    access,
    customers,
    names,
    store,
    poller,
    watchIntervalSeconds: config.watchIntervalSeconds,
    background,
    logger,
    clock,
    metrics,
    lineage,
    links,
    permalinks,
    storeHealth,
    timeZoneOf: (userId) => slackDirectory.userTimeZone(userId),
  };
  homeRefresher = createHomeRefresher({
    clock,
    logger: logger.child({ component: "home" }),
    publish: async (userId) => {
      await publishAppHome(deps, userId);
    },
  });
  deps.home = homeRefresher;
  const digests = createSlackDigests({
    store,
    access,
    names,
    poster,
    permalinks,
    clock,
    logger,
    shouldRun: () => coordination.leases.digest.isHeld(),
  });
  let stopPolling: () => Promise<void> = async () => {};
  let stopFollowing: () => Promise<void> = async () => {};
  registerSlackHandlers(app, deps);
  app.error(async (error) => {
    logger.error({ err: error }, "unhandled error in a Slack listener");
  });

  /** One page of a watched recipe's jobs (or of one that exists nowhere): is the token let in, with jobs access? */
  async function checkWorkatoAtStart(): Promise<void> {
    const [watch] = await store.watches();
    const customer = watch ? parseCustomerRef(watch.customer) : null;
    const probe =
      watch && customer?.ok ? { customer: customer.ref, recipeId: watch.recipeId } : NOWHERE_PROBE;
    if (probe === null) return;
    const access = await checkWorkatoAccess(workato, probe, config.workato.baseUrl);
    metrics.workatoAccess(access.state);
    const log = logger.child({ component: "workato", check: "start", state: access.state });
    if (access.state === "ok") log.info(access.message);
    else log.error(access.message);
  }

  return {
    app,
    socketMode,
    deps,
    metrics,
    async start() {
      await startStep("slack-bot-token", async () => {
        await app.init();
        // Slack Connect rules compare every user's team with the team the app is installed in.
        installingTeamId = await readInstallingTeam(app.client);
      });
      await startStep("receiver", () => app.start(config.port));
      // Background work runs on the replica holding its lease (always, in one process). The dispatcher's first look
      // carries on the repeats a crash or a deploy cut short, in their threads.
      dispatcher.start();
      stopPolling = runWhileHeld(coordination.leases.poller, poller);
      // Follow-ups under way before a restart are taken up again; what was already reported is not said twice.
      stopFollowing = runWhileHeld(coordination.leases.dispatcher, {
        start() {
          follower.start();
          follower.resumeUnfinished().catch((error: unknown) => {
            logger.error({ err: error }, "could not resume the follow-ups of repeats");
          });
        },
        stop: () => follower.stop(),
      });
      await coordination.start();
      digests.start();
      storeHealth?.start();
      ready = true;
      // Not awaited: the bot answers Slack whatever Workato says, and tells the log and /metrics what is wrong.
      background.run("workato start check", () => checkWorkatoAtStart());
      logger.info(
        { port: config.port, mode: config.slack.appToken ? "socket" : "http" },
        "workato-jobs is running",
      );
    },
    async stop(graceMs = 30_000) {
      ready = false;
      storeHealth?.stop();
      await app.stop();
      // The hand-over: nothing more is sent or polled here, answers to requests already sent are recorded, then the
      // leases are released and another replica takes over at its next attempt (about a second). Requests not yet
      // sent stay waiting in the store for it, or for the next start.
      await Promise.all([dispatcher.stop(), stopPolling(), stopFollowing(), digests.stop()]);
      homeRefresher?.stop();
      await coordination.stop();
      await Promise.race([
        deps.background.settled(),
        new Promise((resolve) => setTimeout(resolve, graceMs).unref()),
      ]);
      await workato.close();
      stopObservingWorkato();
      stopObservingSlack();
      await store.close();
    },
  };
}
