// pino JSON logging with secrets redacted, and the adapter that makes Bolt log through it.
import { type Logger as BoltLogger, type LogLevel as BoltLogLevel, LogLevel } from "@slack/bolt";
import { type DestinationStream, type Logger, pino } from "pino";

// Paths where a token or secret could end up in a log line; pino replaces their values.
const REDACTED_PATHS = [
  "token",
  "*.token",
  "botToken",
  "appToken",
  "signingSecret",
  "*.signingSecret",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "*.headers.authorization",
  'headers["x-slack-signature"]',
  "config.slack.botToken",
  "config.slack.appToken",
  "config.slack.signingSecret",
  "config.workato.token",
];

export function createLogger(level: string, destination?: DestinationStream, secrets: string[] = []): Logger {
  const scrub = secretScrubber(secrets);
  return pino(
    {
      level,
      redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
      base: { app: "workato-jobs" },
      // Last line of defence: a secret that slipped into a message or error text is masked too.
      hooks: scrub
        ? {
            logMethod(args, method) {
              method.apply(
                this,
                args.map((arg) => (typeof arg === "string" ? scrub(arg) : arg)) as Parameters<typeof method>,
              );
            },
          }
        : {},
      ...(scrub
        ? { formatters: { log: (object: Record<string, unknown>) => scrubObject(object, scrub) } }
        : {}),
    },
    destination,
  );
}

function secretScrubber(secrets: string[]): ((text: string) => string) | null {
  const real = secrets.filter((secret) => secret.length >= 8);
  if (real.length === 0) return null;
  return (text) => real.reduce((masked, secret) => masked.split(secret).join("[redacted]"), text);
}

function scrubObject(
  object: Record<string, unknown>,
  scrub: (text: string) => string,
): Record<string, unknown> {
  const json = JSON.stringify(object, (_key, value: unknown) =>
    value instanceof Error ? errorFields(value) : value,
  );
  if (json === undefined) return object;
  const masked = scrub(json);
  return masked === json ? object : (JSON.parse(masked) as Record<string, unknown>);
}

function errorFields(error: Error): Record<string, unknown> {
  return { type: error.name, message: error.message, stack: error.stack };
}

const BOLT_TO_PINO: Record<BoltLogLevel, string> = {
  [LogLevel.DEBUG]: "debug",
  [LogLevel.INFO]: "info",
  [LogLevel.WARN]: "warn",
  [LogLevel.ERROR]: "error",
};

/** Bolt's Logger interface, backed by a pino child logger. */
export function boltLogger(logger: Logger): BoltLogger {
  let child = logger.child({ component: "bolt" });
  const write = (level: "debug" | "info" | "warn" | "error", messages: unknown[]) => {
    const [first, ...rest] = messages;
    if (first instanceof Error) child[level]({ err: first, details: rest }, first.message);
    else
      child[level](
        messages
          .map((message) => (typeof message === "string" ? message : JSON.stringify(message)))
          .join(" "),
      );
  };
  return {
    debug: (...messages) => write("debug", messages),
    info: (...messages) => write("info", messages),
    warn: (...messages) => write("warn", messages),
    error: (...messages) => write("error", messages),
    setLevel: (level) => {
      child.level = BOLT_TO_PINO[level];
    },
    getLevel: () => {
      const level = child.level;
      if (level === "debug" || level === "trace") return LogLevel.DEBUG;
      if (level === "warn") return LogLevel.WARN;
      if (level === "error" || level === "fatal") return LogLevel.ERROR;
      return LogLevel.INFO;
    },
    setName: (name) => {
      child = logger.child({ component: name });
    },
  };
}
