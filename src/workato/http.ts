// One HTTP exchange with Workato over undici: timeouts, the bearer token, and every failure turned into a
// WorkatoApiError that says whether the request may have been processed. Retries are decided by callers.
import { Agent, type Dispatcher, request, errors as undiciErrors } from "undici";
import type { z } from "zod";
import type { Clock } from "../clock.js";
import { errorFromStatus, WorkatoApiError } from "./errors.js";
import { errorBodySchema } from "./schemas.js";

export interface HttpTimeouts {
  /** TCP+TLS connect; a failure here certainly sent nothing */
  connectMs: number;
  /** until response headers; Workato itself gives up after 40 s, so wait a little longer than that */
  headersMs: number;
  /** between body chunks */
  bodyMs: number;
}

export const DEFAULT_TIMEOUTS: HttpTimeouts = { connectMs: 10_000, headersMs: 45_000, bodyMs: 30_000 };

export function createAgent(timeouts: HttpTimeouts): Agent {
  return new Agent({
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 120_000,
    connect: { timeout: timeouts.connectMs },
    headersTimeout: timeouts.headersMs,
    bodyTimeout: timeouts.bodyMs,
  });
}

export interface JsonExchange<T> {
  method: "GET" | "POST" | "PUT";
  url: URL;
  token: string;
  body?: unknown;
  schema: z.ZodType<T>;
  dispatcher: Dispatcher;
  /** what a Retry-After date is measured from */
  clock: Clock;
}

// Errors raised before a single byte of the request could reach Workato.
const NOT_SENT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "UND_ERR_CONNECT_TIMEOUT",
  "EHOSTUNREACH",
]);
const TIMEOUT_CODES = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "UND_ERR_CONNECT_TIMEOUT"]);

export async function exchangeJson<T>(exchange: JsonExchange<T>): Promise<T> {
  const headers: Record<string, string> = {
    authorization: `Bearer ${exchange.token}`,
    accept: "application/json",
  };
  if (exchange.body !== undefined) headers["content-type"] = "application/json";

  let status: number;
  let text: string;
  let retryAfterHeader: string | string[] | undefined;
  try {
    const response = await request(exchange.url, {
      method: exchange.method,
      headers,
      dispatcher: exchange.dispatcher,
      ...(exchange.body !== undefined ? { body: JSON.stringify(exchange.body) } : {}),
    });
    status = response.statusCode;
    retryAfterHeader = response.headers["retry-after"];
    text = await response.body.text();
  } catch (error) {
    throw transportError(error);
  }

  if (status < 200 || status >= 300) {
    throw errorFromStatus(
      status,
      workatoMessage(text),
      parseRetryAfter(retryAfterHeader, exchange.clock.now()),
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw malformed(status, `the body is not JSON (starts with ${JSON.stringify(text.slice(0, 40))})`);
  }
  const parsed = exchange.schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? `${issue.path.join(".") || "(root)"}: ${issue.message}` : "unexpected shape";
    throw malformed(status, where);
  }
  return parsed.data;
}

function malformed(status: number, why: string): WorkatoApiError {
  return new WorkatoApiError(
    "malformed_response",
    `Workato answered ${status} with something the bot does not understand (${why}). Try again; if it persists, Workato may have changed its API.`,
    // A 2xx was received: a repeat_jobs POST was processed even though its answer is unreadable.
    { status, delivery: "maybe_processed" },
  );
}

function transportError(error: unknown): WorkatoApiError {
  const code = errorCode(error);
  const delivery = code !== undefined && NOT_SENT_CODES.has(code) ? "not_sent" : "maybe_processed";
  if (code !== undefined && TIMEOUT_CODES.has(code)) {
    return new WorkatoApiError("timeout", `Workato did not answer in time (${code}). Try again shortly.`, {
      delivery,
    });
  }
  const what = code ?? (error instanceof Error ? error.message : "unknown error");
  return new WorkatoApiError("network", `Could not reach Workato (${what}). Try again shortly.`, {
    delivery,
  });
}

function errorCode(error: unknown): string | undefined {
  if (error instanceof undiciErrors.UndiciError) return error.code;
  if (error instanceof Error) {
    const own = (error as NodeJS.ErrnoException).code;
    if (own) return own;
    // undici wraps socket errors: the errno sits on the cause.
    const cause = error.cause;
    if (cause instanceof Error) return (cause as NodeJS.ErrnoException).code;
  }
  return undefined;
}

function workatoMessage(text: string): string | undefined {
  try {
    const body = errorBodySchema.safeParse(JSON.parse(text));
    return body.success ? body.data.message.slice(0, 500) : undefined;
  } catch {
    return undefined;
  }
}

/** Retry-After as seconds or an HTTP date, in ms; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | string[] | undefined, now: number): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
