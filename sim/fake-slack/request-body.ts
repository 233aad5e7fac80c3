// Reads a request to the fake the way Slack does: form or JSON body (or query string), JSON-encoded fields parsed back.
import type { IncomingMessage } from "node:http";

const MAX_BODY_BYTES = 5 * 1024 * 1024;

// @slack/web-api sends nested values as JSON strings inside a form; Slack (and our assertions) want the objects.
const JSON_ENCODED_FIELDS = ["blocks", "attachments", "metadata", "view"] as const;

export interface ApiRequest {
  /** The method's arguments, token removed, JSON-encoded fields parsed. */
  args: Record<string, unknown>;
  token: string | undefined;
  /** Set when the body cannot be understood; Slack's error code to answer with. */
  error?: string;
}

export class BodyTooLargeError extends Error {}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLargeError(`request body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function parseJsonObject(raw: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(raw);
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? "");
  return match?.[1];
}

export function parseApiRequest(input: {
  raw: string;
  contentType: string | undefined;
  authorization: string | undefined;
  query: URLSearchParams;
}): ApiRequest {
  const args: Record<string, unknown> = Object.fromEntries(input.query);
  const isJson = (input.contentType ?? "").toLowerCase().includes("application/json");
  let error: string | undefined;

  if (isJson) {
    const body = parseJsonObject(input.raw);
    if (body) Object.assign(args, body);
    else error = "invalid_json";
  } else if (input.raw.length > 0) {
    Object.assign(args, Object.fromEntries(new URLSearchParams(input.raw)));
  }

  for (const field of JSON_ENCODED_FIELDS) {
    const value = args[field];
    if (typeof value !== "string") continue;
    try {
      args[field] = JSON.parse(value);
    } catch {
      error ??=
        field === "blocks"
          ? "invalid_blocks_format"
          : field === "view"
            ? "invalid_arguments"
            : `invalid_${field}`;
    }
  }

  const bodyToken = typeof args.token === "string" ? args.token : undefined;
  delete args.token;
  // Slack only reads the token from the Authorization header when the body is JSON.
  const token = bearerToken(input.authorization) ?? (isJson ? undefined : bodyToken);
  return error === undefined ? { args, token } : { args, token, error };
}
