// Why the app could not start, worded as the configuration errors are: the service, the variable to look at, and
// what to put there. Slack's client throws "An API error occurred: invalid_auth" or "fetch failed"; nobody on call
// should have to know that the first means SLACK_BOT_TOKEN and the second SLACK_API_URL or the network.

/** The steps of start-up that reach outside the process. */
export type StartStep =
  /** opening the store: Postgres at DATABASE_URL (migrated), else SQLite at SQLITE_PATH */
  | "store"
  /** auth.test with SLACK_BOT_TOKEN (Bolt's init, then the installing team) */
  | "slack-bot-token"
  /** the HTTP server on PORT, and in Socket Mode the WebSocket opened with SLACK_APP_TOKEN */
  | "receiver";

export interface StartContext {
  /** DATABASE_URL is set (never its value: it holds a password) */
  postgres: boolean;
  sqlitePath: string;
  /** SLACK_API_URL, or undefined for Slack's own */
  slackApiUrl: string | undefined;
  port: number;
  socketMode: boolean;
}

export class StartError extends Error {
  override readonly name = "StartError";
}

/** Slack's answers that mean the token itself is refused. */
const REFUSED_TOKEN = new Set([
  "invalid_auth",
  "not_authed",
  "token_revoked",
  "token_expired",
  "account_inactive",
  "not_allowed_token_type",
]);
const SLACK_API = "https://slack.com/api/";

/** The first `code` along an error's causes (undici puts ECONNREFUSED two levels down). */
function codeAlong(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth++) {
    const { code, cause, original } = current as { code?: unknown; cause?: unknown; original?: unknown };
    if (typeof code === "string" && !code.startsWith("slack_")) return code;
    current = original ?? cause;
  }
  return undefined;
}

function slackError(error: unknown): { code: string; error?: string } | null {
  if (typeof error !== "object" || error === null) return null;
  const { code, data } = error as { code?: unknown; data?: { error?: unknown } };
  if (typeof code !== "string" || !code.startsWith("slack_")) return null;
  return typeof data?.error === "string" ? { code, error: data.error } : { code };
}

/** One line naming the service and the variable, for the log and for the person reading it. */
export function explainStartFailure(step: StartStep, error: unknown, context: StartContext): string {
  if (step === "store") {
    const code = codeAlong(error);
    const why = code ?? (error instanceof Error ? error.message : String(error));
    return context.postgres
      ? `Postgres at DATABASE_URL could not be opened (${why}): check its host, port, user, password and database, and PGSSLMODE where the server wants TLS.`
      : `The SQLite store at SQLITE_PATH (${context.sqlitePath}) could not be opened (${why}): point SQLITE_PATH at a file on a writable disk.`;
  }
  const slack = slackError(error);
  const api = context.slackApiUrl ?? SLACK_API;
  const token =
    step === "receiver" && context.socketMode
      ? {
          name: "SLACK_APP_TOKEN",
          what: "an app-level token (xapp-…) with connections:write, from Basic Information → App-Level Tokens",
        }
      : {
          name: "SLACK_BOT_TOKEN",
          what: "the Bot User OAuth Token (xoxb-…) from OAuth & Permissions, of the app installed in your workspace",
        };
  if (slack?.error !== undefined && REFUSED_TOKEN.has(slack.error)) {
    return `Slack refused ${token.name} (${slack.error}): put ${token.what} there; reinstalling the app gives it a new token.`;
  }
  if (slack?.error !== undefined) {
    return `Slack answered ${slack.error} to ${token.name}'s first call: check ${token.name} (${token.what}) and the app's settings.`;
  }
  const code = codeAlong(error);
  if (slack !== null) {
    return `Slack's Web API at ${api} could not be reached (${code ?? "no answer"}): check SLACK_API_URL (unset: Slack's own) and that this host can reach it (network, proxy, DNS).`;
  }
  if (step === "receiver" && code === "EADDRINUSE") {
    return `PORT ${context.port} is already in use by another process: set PORT to a free port.`;
  }
  if (step === "receiver" && (code === "EACCES" || code === "EPERM")) {
    return `PORT ${context.port} may not be opened by this user: set PORT to 1024 or above.`;
  }
  const what = error instanceof Error ? error.message : String(error);
  return step === "receiver"
    ? `Could not start listening on PORT ${context.port}${context.socketMode ? " or connect to Slack with SLACK_APP_TOKEN" : ""}: ${what}`
    : `Could not reach Slack with SLACK_BOT_TOKEN: ${what}`;
}
