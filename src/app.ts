// Builds the Bolt app: receiver (HTTP or Socket Mode), the /healthz route, and every command and button handler.
import type { IncomingMessage, ServerResponse } from "node:http";
import { App, type CustomRoute, HTTPReceiver, type Receiver, SocketModeReceiver } from "@slack/bolt";
import type { Logger } from "pino";
import { createAccessChecker } from "./access/access-check.js";
import { createSlackDirectory } from "./access/slack-directory.js";
import type { Config } from "./config.js";
import { boltLogger } from "./logger.js";
import { createRepeatScheduler } from "./repeat/repeat-scheduler.js";
import { registerActions } from "./slack/actions.js";
import { createBackgroundWork } from "./slack/background.js";
import { createRepeatClaims } from "./slack/claims.js";
import { registerCommands } from "./slack/commands.js";
import type { HandlerDeps } from "./slack/handler-deps.js";
import { createPendingRepeats } from "./slack/pending-repeats.js";
import { createPoster } from "./slack/poster.js";
import { resumeUnfinishedRepeats } from "./slack/repeat-resume.js";
import { registerWatchActions } from "./slack/watch-actions.js";
import { createSlackAlertSink } from "./slack/watch-alerts.js";
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
  now?: () => Date;
}

export function createApp(options: AppOptions): RunningApp {
  const { config, logger } = options;
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
    : new HTTPReceiver({
        // loadConfig guarantees a signing secret in HTTP mode.
        signingSecret: config.slack.signingSecret ?? "",
        endpoints: "/slack/events",
        customRoutes: [healthz],
        logger: boltLogger(logger),
        // Acknowledge first, work after: Slack wants an answer within 3 seconds whatever Workato does.
        processBeforeResponse: false,
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
    });
  let installingTeamId: string | undefined;
  const poster = createPoster(app.client, logger.child({ component: "poster" }));
  const access = createAccessChecker({
    policy: config.accessPolicy,
    installingTeamId: () => installingTeamId,
    directory: createSlackDirectory(app.client),
    logger: logger.child({ component: "access" }),
  });
  const poller = createWatchPoller({
    store,
    workato,
    alerts: createSlackAlertSink(poster),
    intervalSeconds: config.watchIntervalSeconds,
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
    }),
    poster,
    claims: createRepeatClaims(store),
    pendingRepeats: createPendingRepeats(),
    access,
    store,
    poller,
    watchIntervalSeconds: config.watchIntervalSeconds,
    background: createBackgroundWork(logger),
    logger,
    now: options.now ?? (() => new Date()),
  };
  registerCommands(app, deps);
  registerActions(app, deps);
  registerWatchActions(app, deps);
  app.error(async (error) => {
    logger.error({ err: error }, "unhandled error in a Slack listener");
  });

  return {
    app,
    deps,
    async start() {
      await app.init();
      // Slack Connect rules compare every user's team with the team the app is installed in.
      installingTeamId = (await app.client.auth.test()).team_id;
      await app.start(config.port);
      // Repeats cut short by a crash or a deploy carry on in their threads.
      resumeUnfinishedRepeats(deps);
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
