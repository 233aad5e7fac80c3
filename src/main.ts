// Process entry: configuration from the environment, the app, and a graceful shutdown on SIGTERM/SIGINT.
import { createApp } from "./app.js";
import { ConfigError, loadConfig } from "./config.js";
import { createLogger } from "./logger.js";

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

const logger = createLogger(config.logLevel, undefined, [
  config.slack.botToken,
  config.slack.signingSecret ?? "",
  config.slack.appToken ?? "",
  config.workato.token,
]);
const running = createApp({ config, logger });

let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping: finishing work already started");
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, "stop failed");
        process.exit(1);
      },
    );
  });
}

try {
  await running.start();
} catch (error) {
  logger.fatal({ err: error }, "could not start");
  process.exit(1);
}
