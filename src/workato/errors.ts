// Every way a Jobs API call can fail, as one coded error whose message tells a person what to do.

export type WorkatoErrorCode =
  | "auth"
  | "not_found"
  | "rate_limited"
  | "invalid_request"
  | "server_error"
  | "network"
  | "timeout"
  | "malformed_response";

/**
 * Whether the request may have reached Workato. A repeat_jobs POST may only be sent again when this is
 * "not_sent" or the answer was a 429: anything else could mean customer workflows already ran again.
 */
export type Delivery = "not_sent" | "maybe_processed" | "answered";

export class WorkatoApiError extends Error {
  override readonly name = "WorkatoApiError";

  constructor(
    readonly code: WorkatoErrorCode,
    message: string,
    readonly details: {
      status?: number;
      /** Workato's own message, when it sent one */
      workatoMessage?: string;
      retryAfterMs?: number;
      delivery: Delivery;
    },
  ) {
    super(message);
  }

  get status(): number | undefined {
    return this.details.status;
  }
}

/** What to change in Workato when the API client's role lacks jobs access. */
export const ROLE_HINT =
  'The API client\'s role needs Jobs "List" and "Get details" access: in Workato, open Workspace admin > API clients > ' +
  "Client roles, select the role, then under Customer workspaces > Projects check both for jobs.";

/** Maps an HTTP answer that is not a success to the error a person can act on. */
export function errorFromStatus(
  status: number,
  workatoMessage: string | undefined,
  retryAfterMs: number | undefined,
): WorkatoApiError {
  const said = workatoMessage ? ` Workato said: "${workatoMessage}".` : "";
  const details = {
    status,
    delivery: "answered" as const,
    ...(workatoMessage !== undefined ? { workatoMessage } : {}),
    ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
  };
  if (status === 401) {
    return new WorkatoApiError(
      "auth",
      `Workato rejected the API token (401).${said} Check WORKATO_API_TOKEN and WORKATO_BASE_URL (data centre). ${ROLE_HINT}`,
      details,
    );
  }
  if (status === 403) {
    return new WorkatoApiError("auth", `Workato refused access (403).${said} ${ROLE_HINT}`, details);
  }
  if (status === 404) {
    return new WorkatoApiError(
      "not_found",
      `Workato found no such customer, recipe or job (404).${said} Check the customer ID and recipe ID.`,
      details,
    );
  }
  if (status === 429) {
    return new WorkatoApiError(
      "rate_limited",
      `Workato's rate limit was hit (429).${said} Try again shortly.`,
      details,
    );
  }
  if (status >= 500) {
    return new WorkatoApiError(
      "server_error",
      `Workato had a server error (${status}).${said} Try again in a minute.`,
      details,
    );
  }
  return new WorkatoApiError("invalid_request", `Workato rejected the request (${status}).${said}`, details);
}

/** A failed call worded for the person who asked: what happened, and what they can do about it. Plain text. */
export interface FailureText {
  whatHappened: string;
  whatToDo?: string;
}

/** `doing` names the work, e.g. "reading job j-1"; every path that tells a person about a failed call uses this. */
export function describeWorkatoFailure(error: unknown, doing: string): FailureText {
  if (!(error instanceof WorkatoApiError)) {
    return {
      whatHappened: `Something went wrong on the bot's side while ${doing}.`,
      whatToDo: "It has been logged. Try again; if it keeps happening, tell the team that runs this bot.",
    };
  }
  // The error's own message already names the cause and the fix.
  return { whatHappened: `Could not finish ${doing}. ${error.message}` };
}
