// Process entry: configuration from the environment, the app, a graceful shutdown on SIGTERM/SIGINT, and what
// happens to errors nothing caught.
import { createApp } from "./app.js";
import { ConfigError, loadConfig } from "./config.js";
import { createLogger } from "./logger.js";
import { StartError } from "./start-errors.js";

/** How long an uncaught exception leaves started work to finish before the process exits. */
const CRASH_GRACE_MS = 5000;

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(`workato-jobs cannot start:\n${error.message}`);
    process.exit(1);
  }
  throw error;
}

// The logger masks these values wherever they appear, error texts and stacks included.
const logger = createLogger(config.logLevel, undefined, [
  config.slack.botToken,
  config.slack.signingSecret ?? "",
  config.slack.appToken ?? "",
  config.workato.token,
  config.metricsToken ?? "",
  ...databaseSecrets(config.databaseUrl),
]);

/** DATABASE_URL holds a password: the whole URL and the password alone (as written and decoded) are masked. */
function databaseSecrets(url: string | undefined): string[] {
  if (!url) return [];
  const password = new URL(url).password;
  return [url, password, decodeURIComponent(password)];
}

/** A failure at start, logged (secrets masked) with the line naming the service and the variable; then exit 1. */
function cannotStart(error: unknown): never {
  if (error instanceof StartError) logger.fatal({ err: error.cause }, `could not start: ${error.message}`);
  else logger.fatal({ err: error }, "could not start");
  process.exit(1);
}

let running: Awaited<ReturnType<typeof createApp>>;
try {
  running = await createApp({ config, logger });
} catch (error) {
  cannotStart(error);
}

let stopping = false;
function stop(reason: Record<string, unknown>, graceMs: number | undefined, exitCode: number): void {
  if (stopping) return;
  stopping = true;
  logger.info(reason, "stopping: finishing work already started");
  running.stop(graceMs).then(
    () => process.exit(exitCode),
    (error: unknown) => {
      logger.error({ err: error }, "stop failed");
      process.exit(1);
    },
  );
}

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => stop({ signal }, undefined, 0));
}

// A promise nobody awaited failed: its work has already lost its result, but no code was cut off half-way
// through a change, so the process keeps serving. Work it carried is in the store and resumes on the next start.
process.on("unhandledRejection", (reason) => {
  logger.error({ err: reason }, "a promise failed that nothing waited for; still serving");
});
// A synchronous throw nothing caught may have left any state half-changed: not safe to go on serving. Stop
// taking requests, give started work a short grace, and exit non-zero so the platform restarts the process.
process.on("uncaughtException", (error) => {
  logger.fatal({ err: error }, "uncaught exception: stopping");
  stop({ reason: "uncaught exception" }, CRASH_GRACE_MS, 1);
  // Should stopping itself hang, still exit.
  setTimeout(() => process.exit(1), CRASH_GRACE_MS + 5000).unref();
});

try {
  await running.start();
} catch (error) {
  cannotStart(error);
}
