// Builds the app: the store (SQLite or Postgres), the guarded receiver (HTTP or Socket Mode) with /healthz and
// /metrics, the leases shared with other replicas, every command, button and App Home handler, and the background work
// run under its lease (watch poller, repeat dispatcher and outcome follower, daily digest).
import type { IncomingMessage, ServerResponse } from "node:http";
import { App, type CustomRoute, type Receiver, SocketModeReceiver } from "@slack/bolt";
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
import { createLineageReader } from "./lineage/lineage-reader.js";
import { createOutcomeFollower } from "./lineage/outcome-follower.js";
import { boltLogger } from "./logger.js";
import { meteredBudget } from "./metrics/metered-budget.js";
import { createMetrics, type Metrics } from "./metrics/metrics.js";
import { metricsRoute } from "./metrics/metrics-route.js";
import { observeSlackRateLimits } from "./metrics/slack-rate-limits.js";
import { observeWorkatoRequests } from "./metrics/workato-requests.js";
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
import { createPoster } from "./slack/io/poster.js";
import { createSlackDirectory } from "./slack/io/slack-directory.js";
import { reporterForRecord } from "./slack/repeats/reporter-for-record.js";
import { createSlackOutcomeSink } from "./slack/repeats/slack-outcome-sink.js";
import { registerSlackHandlers } from "./slack/routes.js";
import { createSlackAlertSink } from "./slack/watches/slack-alert-sink.js";
import { asyncSqliteStore } from "./store/async-sqlite.js";
import { openPostgresStore } from "./store/postgres-store.js";
import { openSqliteStore } from "./store/sqlite-store.js";
import type { AsyncStore } from "./store/store.js";
import { createWatchPoller } from "./watch/poller.js";
import { localBudgetFor } from "./workato/budget.js";
import { createWorkatoClient, type WorkatoClient } from "./workato/client.js";

export interface RunningApp {
  readonly app: App;
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
}

/** The store the configuration names: Postgres (migrated before this resolves) when DATABASE_URL is set. */
async function openStore(config: Config, logger: Logger): Promise<AsyncStore> {
  if (!config.databaseUrl) return asyncSqliteStore(openSqliteStore(config.sqlitePath));
  const log = logger.child({ component: "store" });
  return openPostgresStore({
    connectionString: config.databaseUrl,
    // The pool replaces the connection; the URL (with its password) is never logged, and main.ts masks it too.
    onConnectionError: (error) => log.warn({ err: error }, "a pooled Postgres connection failed"),
  });
}

/** Builds the app; opening the store is the one asynchronous step (Postgres migrates first). */
export async function createApp(options: AppOptions): Promise<RunningApp> {
  const { config, logger } = options;
  const clock = options.clock ?? systemClock;
  const metrics = options.metrics ?? createMetrics({ replica: config.replicaName });
  let ready = false;
  const healthz: CustomRoute = {
    path: "/healthz",
    method: ["GET"],
    handler: (_req: IncomingMessage, res: ServerResponse) => {
      res.writeHead(ready ? 200 : 503, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: ready }));
    },
  };

  const receiver: Receiver = config.slack.appToken
    ? new SocketModeReceiver({
        appToken: config.slack.appToken,
        customRoutes: [healthz, metricsRoute(metrics)],
        installerOptions: { port: config.port },
        logger: boltLogger(logger),
      })
    : // Bolt's HTTPReceiver behind a guard: no signed body can crash it or wait for its 3-second timeout.
      createGuardedReceiver({
        // loadConfig guarantees a signing secret in HTTP mode.
        signingSecret: config.slack.signingSecret ?? "",
        endpoint: "/slack/events",
        customRoutes: [healthz, metricsRoute(metrics)],
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

  // Every write that changes what App Home shows republishes it for those looking at it (set once deps exist).
  let homeRefresher: HomeRefresher | undefined;
  const store = noticingHomeChanges(options.store ?? (await openStore(config, logger)), () =>
    homeRefresher?.changed(),
  );
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
  let installingTeamId: string | undefined;
  const poster = createPoster(app.client, logger.child({ component: "poster" }), metrics);
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
  const poller = createWatchPoller({
    store,
    workato,
    lineage,
    // What reaches the channel is also logged for the daily digest.
    alerts: withFailureLog(createSlackAlertSink(poster), { store, clock, logger }),
    intervalSeconds: config.watchIntervalSeconds,
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
    clock,
    logger: logger.child({ component: "outcomes" }),
    limitMs: config.repeatFollowUpMinutes * 60_000,
  });
  // Stop reaches the repeats this replica sends at once; others see it in the store (repeat-runner.ts).
  const runningRepeats = createRunningRepeats();
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
      }),
    store,
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
        { poster, workato, store, clock },
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
    customers: createCustomerDirectory({
      workato,
      clock,
      logger: logger.child({ component: "customers" }),
    }),
    store,
    poller,
    watchIntervalSeconds: config.watchIntervalSeconds,
    background,
    logger,
    clock,
    metrics,
    lineage,
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
    poster,
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

  return {
    app,
    deps,
    metrics,
    async start() {
      await app.init();
      // Slack Connect rules compare every user's team with the team the app is installed in.
      installingTeamId = await readInstallingTeam(app.client);
      await app.start(config.port);
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
      ready = true;
      logger.info(
        { port: config.port, mode: config.slack.appToken ? "socket" : "http" },
        "workato-jobs is running",
      );
    },
    async stop(graceMs = 30_000) {
      ready = false;
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
