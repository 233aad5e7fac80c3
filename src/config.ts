// Environment → typed configuration, validated with zod. Nothing else in the app reads process.env.
import { hostname } from "node:os";
import { z } from "zod";
import { type AccessPolicy, loadPolicy, PolicyError } from "./access/policy.js";
import { templateProblem } from "./workato/workato-links.js";

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

const httpsOrLocalUrl = (what: string) =>
  z
    .url({ message: `${what} must be a URL such as https://www.workato.com` })
    .transform((url) => url.replace(/\/+$/, ""));

const envSchema = z.object({
  SLACK_BOT_TOKEN: z
    .string({ message: "SLACK_BOT_TOKEN is missing: put the app's Bot User OAuth Token (xoxb-…) there" })
    .regex(/^xoxb-/, "SLACK_BOT_TOKEN must be the Bot User OAuth Token, starting with xoxb-"),
  SLACK_SIGNING_SECRET: z.string().min(1).optional(),
  SLACK_APP_TOKEN: z
    .string()
    .regex(
      /^xapp-/,
      "SLACK_APP_TOKEN must be an app-level token starting with xapp- (or unset for HTTP mode)",
    )
    .optional(),
  SLACK_API_URL: httpsOrLocalUrl("SLACK_API_URL")
    .transform((url) => `${url}/`)
    .optional(),
  WORKATO_API_TOKEN: z
    .string({ message: "WORKATO_API_TOKEN is missing: put the Workato API client's token there" })
    .min(1, "WORKATO_API_TOKEN is empty: put the Workato API client's token there"),
  WORKATO_BASE_URL: httpsOrLocalUrl("WORKATO_BASE_URL").default("https://www.workato.com"),
  WORKATO_JOB_URL_TEMPLATE: z
    .string()
    .superRefine((template, ctx) => {
      const problem = templateProblem(template);
      if (problem !== null) ctx.addIssue({ code: "custom", message: `WORKATO_JOB_URL_TEMPLATE ${problem}` });
    })
    .optional(),
  PORT: z.coerce
    .number({ message: "PORT must be a port number such as 3000" })
    .int("PORT must be a whole number such as 3000")
    .min(1, "PORT must be between 1 and 65535")
    .max(65535, "PORT must be between 1 and 65535")
    .default(3000),
  LOG_LEVEL: z
    .enum(LOG_LEVELS, { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}` })
    .default("info"),
  DATABASE_URL: z
    .string()
    // The value holds a password: the message never repeats it.
    .refine((url) => /^postgres(ql)?:\/\/[^/\s]+/.test(url) && URL.canParse(url), {
      message: "DATABASE_URL must be a PostgreSQL URL such as postgres://user:password@host:5432/dbname",
    })
    .optional(),
  SQLITE_PATH: z.string().min(1).default("./data/workato-jobs.db"),
  STORE_FIRST_START: z
    .enum(["true", "false"], { message: "STORE_FIRST_START must be true or false" })
    .default("false"),
  ACCESS_POLICY: z.string().min(1).optional(),
  REPEAT_COALESCE_MS: z.coerce
    .number({ message: "REPEAT_COALESCE_MS must be a number of milliseconds such as 1000" })
    .int("REPEAT_COALESCE_MS must be a whole number of milliseconds such as 1000")
    .min(0, "REPEAT_COALESCE_MS must be between 0 and 10000")
    .max(10_000, "REPEAT_COALESCE_MS must be between 0 and 10000")
    .default(1000),
  REPEAT_FOLLOW_UP_MINUTES: z.coerce
    .number({ message: "REPEAT_FOLLOW_UP_MINUTES must be a number of minutes such as 60" })
    .int("REPEAT_FOLLOW_UP_MINUTES must be a whole number of minutes such as 60")
    .min(1, "REPEAT_FOLLOW_UP_MINUTES must be between 1 and 1440")
    .max(1440, "REPEAT_FOLLOW_UP_MINUTES must be between 1 and 1440")
    .default(60),
  VIEW_REDRAW_MAX_AGE_HOURS: z.coerce
    .number({ message: "VIEW_REDRAW_MAX_AGE_HOURS must be a number of hours such as 24" })
    .min(1, "VIEW_REDRAW_MAX_AGE_HOURS must be between 1 and 720")
    .max(720, "VIEW_REDRAW_MAX_AGE_HOURS must be between 1 and 720")
    .default(24),
  WATCH_INTERVAL_SECONDS: z.coerce
    .number({ message: "WATCH_INTERVAL_SECONDS must be a number of seconds such as 60" })
    .min(10, "WATCH_INTERVAL_SECONDS must be at least 10")
    .max(86_400, "WATCH_INTERVAL_SECONDS must be at most 86400 (a day)")
    .default(60),
  REPLICA_NAME: z.string().min(1).optional(),
  METRICS_TOKEN: z
    .string()
    .min(
      16,
      "METRICS_TOKEN must be at least 16 characters: a random secret your Prometheus sends as a bearer token",
    )
    .regex(/^[\x21-\x7e]+$/, "METRICS_TOKEN must be printable ASCII without spaces (it travels in a header)")
    .optional(),
});

/** Every variable the app reads, in the order the README's environment table lists them. */
export const ENV_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

export interface Config {
  slack: {
    botToken: string;
    /** HTTP mode when undefined */
    appToken: string | undefined;
    signingSecret: string | undefined;
    apiUrl: string | undefined;
  };
  workato: {
    token: string;
    baseUrl: string;
    /** WORKATO_JOB_URL_TEMPLATE: the page "Open in Workato" opens; undefined: the data centre's default */
    jobUrlTemplate: string | undefined;
  };
  /** scrapes of /metrics must send `Authorization: Bearer <token>`; undefined: /metrics is open */
  metricsToken: string | undefined;
  port: number;
  logLevel: (typeof LOG_LEVELS)[number];
  repeatCoalesceMs: number;
  /** how long the bot follows a repeat's new jobs before it reports those still running */
  repeatFollowUpMinutes: number;
  /** the interval asked for between two polls of a watch; the poller's budget may stretch it */
  watchIntervalSeconds: number;
  /** alerts and their thread replies posted longer ago than this are no longer redrawn as their jobs change */
  viewRedrawMaxAgeHours: number;
  /** postgres://… : the shared Postgres store; undefined: SQLite at sqlitePath */
  databaseUrl: string | undefined;
  /** the SQLite file (created on first start), or ":memory:" */
  sqlitePath: string;
  /**
   * this is the bot's first start, so a new empty store is expected; otherwise creating one is logged loudly, since
   * it means the store the bot was using is not where it was (on disk a first start and a lost directory look alike)
   */
  storeFirstStart: boolean;
  /** this process among replicas, in logs and /metrics: REPLICA_NAME, else the platform's DYNO, else the host name */
  replicaName: string;
  /** the validated access policy file; null: the single-team default (every member may view and repeat) */
  accessPolicy: AccessPolicy | null;
}

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** The policy file's problems as lines, or its content; null content: no ACCESS_POLICY. */
function readPolicy(path: string | undefined): { policy: AccessPolicy | null; problems: string[] } {
  if (path === undefined) return { policy: null, problems: [] };
  try {
    return { policy: loadPolicy(path), problems: [] };
  } catch (error) {
    if (error instanceof PolicyError) return { policy: null, problems: error.message.split("\n") };
    throw error;
  }
}

/** Problems that involve more than one variable: checked on the raw values, so they show with the others. */
function crossChecks(env: Record<string, string>): string[] {
  const problems: string[] = [];
  if (env.SLACK_APP_TOKEN === undefined && env.SLACK_SIGNING_SECRET === undefined) {
    problems.push(
      "SLACK_SIGNING_SECRET is missing: put the app's Signing Secret there (Basic Information page), or set SLACK_APP_TOKEN for Socket Mode",
    );
  }
  // A link is shown to the whole channel: it must never hold the API token.
  const token = env.WORKATO_API_TOKEN;
  if (token !== undefined && env.WORKATO_JOB_URL_TEMPLATE?.includes(token)) {
    problems.push(
      "WORKATO_JOB_URL_TEMPLATE holds the Workato API token: links are shown in Slack, remove it",
    );
  }
  return problems;
}

/**
 * Reads the configuration from any environment. Every problem is reported at once, in one ConfigError with one
 * line per problem: the variables, the combinations, and the policy file, so one round of fixes is enough.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  // Blank values count as unset, as they do in most .env files.
  const present = Object.fromEntries(
    Object.entries(env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== "",
    ),
  );
  const parsed = envSchema.safeParse(present);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => {
        const variable = String(issue.path[0] ?? "environment");
        return issue.message.startsWith(variable) ? issue.message : `${variable}: ${issue.message}`;
      });
  problems.push(...crossChecks(present));
  // The file is read even when variables are wrong: its mistakes belong in the same round.
  const policy = readPolicy(present.ACCESS_POLICY);
  problems.push(...policy.problems);
  if (!parsed.success || problems.length > 0) throw new ConfigError(problems.join("\n"));
  const e = parsed.data;
  return {
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      appToken: e.SLACK_APP_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      apiUrl: e.SLACK_API_URL,
    },
    workato: {
      token: e.WORKATO_API_TOKEN,
      baseUrl: e.WORKATO_BASE_URL,
      jobUrlTemplate: e.WORKATO_JOB_URL_TEMPLATE,
    },
    metricsToken: e.METRICS_TOKEN,
    port: e.PORT,
    logLevel: e.LOG_LEVEL,
    repeatCoalesceMs: e.REPEAT_COALESCE_MS,
    repeatFollowUpMinutes: e.REPEAT_FOLLOW_UP_MINUTES,
    watchIntervalSeconds: e.WATCH_INTERVAL_SECONDS,
    viewRedrawMaxAgeHours: e.VIEW_REDRAW_MAX_AGE_HOURS,
    databaseUrl: e.DATABASE_URL,
    sqlitePath: e.SQLITE_PATH,
    storeFirstStart: e.STORE_FIRST_START === "true",
    replicaName: e.REPLICA_NAME ?? present.DYNO ?? hostname(),
    accessPolicy: policy.policy,
  };
}
