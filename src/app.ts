// Builds the Bolt app: receiver (HTTP or Socket Mode), the /healthz route, and every command and button handler.
import type { IncomingMessage, ServerResponse } from "node:http";
import { App, type CustomRoute, type Receiver, SocketModeReceiver } from "@slack/bolt";
import type { Logger } from "pino";
import { createAccessChecker } from "./access/access-check.js";
import { createBackgroundWork } from "./background.js";
import { type Clock, systemClock } from "./clock.js";
import type { Config } from "./config.js";
import { createGuardedReceiver } from "./http/guarded-receiver.js";
import { boltLogger } from "./logger.js";
import { createRepeatClaims } from "./repeat/claims.js";
import { createPendingRepeats } from "./repeat/pending-repeats.js";
import { resumeUnfinishedRepeats } from "./repeat/repeat-resume.js";
import { createRepeatScheduler } from "./repeat/repeat-scheduler.js";
import { SLASH_COMMAND } from "./slack/commands/grammar.js";
import type { HandlerDeps } from "./slack/handler-deps.js";
import { readInstallingTeam } from "./slack/io/installing-team.js";
import { createPoster } from "./slack/io/poster.js";
import { createSlackDirectory } from "./slack/io/slack-directory.js";
import { createSlackRepeatReporter } from "./slack/repeats/slack-repeat-reporter.js";
import { registerSlackHandlers } from "./slack/routes.js";
import { createSlackAlertSink } from "./slack/watches/slack-alert-sink.js";
import { openSqliteStore } from "./store/sqlite-store.js";
import type { Store } from "./store/store.js";
import { createWatchPoller } from "./watch/poller.js";
import { createWorkatoClient, type WorkatoClient } from "./workato/client.js";

export interface RunningApp {
  readonly app: App;
  readonly deps: HandlerDeps;
  start(): Promise<void>;
  /** stops taking requests, lets started work finish (up to `graceMs`), then closes connections */
  stop(graceMs?: number): Promise<void>;
}

export interface AppOptions {
  config: Config;
  logger: Logger;
  /** opened from config.sqlitePath otherwise */
  store?: Store;
  /** for tests that want a client with other timeouts; built from config otherwise */
  workato?: WorkatoClient;
  /** the one clock every part reads; the system clock otherwise */
  clock?: Clock;
}

export function createApp(options: AppOptions): RunningApp {
  const { config, logger } = options;
  const clock = options.clock ?? systemClock;
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
        customRoutes: [healthz],
        installerOptions: { port: config.port },
        logger: boltLogger(logger),
      })
    : // Bolt's HTTPReceiver behind a guard: no signed body can crash it or wait for its 3-second timeout.
      createGuardedReceiver({
        // loadConfig guarantees a signing secret in HTTP mode.
        signingSecret: config.slack.signingSecret ?? "",
        endpoint: "/slack/events",
        customRoutes: [healthz],
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

  const store = options.store ?? openSqliteStore(config.sqlitePath);
  const workato =
    options.workato ??
    createWorkatoClient({
      baseUrl: config.workato.baseUrl,
      token: config.workato.token,
      logger: logger.child({ component: "workato" }),
      clock,
    });
  let installingTeamId: string | undefined;
  const poster = createPoster(app.client, logger.child({ component: "poster" }));
  const access = createAccessChecker({
    policy: config.accessPolicy,
    installingTeamId: () => installingTeamId,
    directory: createSlackDirectory(app.client, clock),
    logger: logger.child({ component: "access" }),
  });
  const poller = createWatchPoller({
    store,
    workato,
    alerts: createSlackAlertSink(poster),
    intervalSeconds: config.watchIntervalSeconds,
    clock,
    logger,
    // An alert shows the customer's jobs in the channel: the channel must still be allowed to see them.
    mayAlert: (watch, customer) =>
      access.canView({ channel: watch.channel, userId: watch.createdBy }, customer),
  });
  const deps: HandlerDeps = {
    workato,
    scheduler: createRepeatScheduler({
      client: workato,
      coalesceMs: config.repeatCoalesceMs,
      logger: logger.child({ component: "repeat" }),
      clock,
    }),
    poster,
    claims: createRepeatClaims(store, clock),
    pendingRepeats: createPendingRepeats(clock),
    access,
    store,
    poller,
    watchIntervalSeconds: config.watchIntervalSeconds,
    background: createBackgroundWork(logger),
    logger,
    clock,
  };
  registerSlackHandlers(app, deps);
  app.error(async (error) => {
    logger.error({ err: error }, "unhandled error in a Slack listener");
  });

  return {
    app,
    deps,
    async start() {
      await app.init();
      // Slack Connect rules compare every user's team with the team the app is installed in.
      installingTeamId = await readInstallingTeam(app.client);
      await app.start(config.port);
      // Repeats cut short by a crash or a deploy carry on in their threads.
      resumeUnfinishedRepeats({
        ...deps,
        reporterFor: (record) =>
          createSlackRepeatReporter(
            deps,
            record,
            logger.child({ repeatId: record.id, channel: record.channel }),
          ),
      });
      poller.start();
      ready = true;
      logger.info(
        { port: config.port, mode: config.slack.appToken ? "socket" : "http" },
        "workato-jobs is running",
      );
    },
    async stop(graceMs = 30_000) {
      ready = false;
      await app.stop();
      await poller.stop();
      // Requests not yet sent stay waiting in the store and go out after the next start.
      deps.scheduler.stop();
      await Promise.race([
        deps.background.settled(),
        new Promise((resolve) => setTimeout(resolve, graceMs).unref()),
      ]);
      await workato.close();
      store.close();
    },
  };
}
