// response_url endpoints: each bound to a channel, a user and maybe a message, usable 5 times within 30 minutes.
import { randomBytes } from "node:crypto";
import { validateMessageContent } from "./block-kit-limits.js";
import type { MessageStore } from "./messages.js";
import { parseJsonObject } from "./request-body.js";

/** Slack: a response_url may be used "up to 5 times within 30 minutes". */
export const RESPONSE_URL_MAX_USES = 5;
export const RESPONSE_URL_TTL_MS = 30 * 60 * 1000;

export interface ResponseUrlBinding {
  channel: string;
  user: string;
  /** The message a click came from; replace_original / delete_original act on it. */
  messageTs?: string;
  ephemeral?: boolean;
}

export interface ResponseUrlOutcome {
  status: number;
  answer: { ok: boolean; error?: string };
  /** The parsed body, for the call log. */
  args: Record<string, unknown>;
}

export interface ResponseUrls {
  create(binding: ResponseUrlBinding): string;
  handle(id: string, rawBody: string): ResponseUrlOutcome;
}

interface Entry extends ResponseUrlBinding {
  uses: number;
  createdAt: number;
}

function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}

export function createResponseUrls(deps: {
  store: MessageStore;
  botUserId: string;
  now?: () => number;
}): ResponseUrls {
  const { store, botUserId } = deps;
  const now = deps.now ?? Date.now;
  const entries = new Map<string, Entry>();

  const refuse = (status: number, error: string, args: Record<string, unknown> = {}): ResponseUrlOutcome => ({
    status,
    answer: { ok: false, error },
    args,
  });
  const accept = (args: Record<string, unknown>): ResponseUrlOutcome => ({
    status: 200,
    answer: { ok: true },
    args,
  });

  return {
    create(binding) {
      const id = randomBytes(9).toString("base64url");
      entries.set(id, { ...binding, uses: 0, createdAt: now() });
      return id;
    },

    handle(id, rawBody) {
      const entry = entries.get(id);
      if (!entry) return refuse(404, "no_such_url");
      if (now() - entry.createdAt > RESPONSE_URL_TTL_MS) return refuse(404, "expired_url");
      if (entry.uses >= RESPONSE_URL_MAX_USES) return refuse(404, "used_url");
      // Every attempt spends a use, even a rejected one: the stricter reading of Slack's rule.
      entry.uses += 1;

      const body = parseJsonObject(rawBody);
      if (!body) return refuse(400, "invalid_payload");
      const target = entry.messageTs === undefined ? undefined : store.get(entry.channel, entry.messageTs);

      if (isTrue(body.delete_original)) {
        if (!target) return refuse(404, "message_not_found", body);
        store.remove(target.channel, target.ts);
        return accept(body);
      }

      if (body.blocks !== undefined && !Array.isArray(body.blocks))
        return refuse(400, "invalid_blocks", body);
      const error = validateMessageContent({
        text: body.text,
        blocks: body.blocks,
        attachments: body.attachments,
      });
      if (error) return refuse(400, error, body);
      const text = typeof body.text === "string" ? body.text : "";
      const blocks = Array.isArray(body.blocks) ? body.blocks : [];

      if (isTrue(body.replace_original) && target) {
        // Replacing keeps the original's visibility: an ephemeral message cannot become a channel message.
        store.replace(target.channel, target.ts, { text, blocks });
        return accept(body);
      }

      const threadTs =
        typeof body.thread_ts === "string" && body.thread_ts.length > 0 ? body.thread_ts : undefined;
      const posted = store.post({
        channel: entry.channel,
        user: botUserId,
        text,
        blocks,
        via: "response_url",
        ...(threadTs !== undefined ? { threadTs } : {}),
        // Slash command responses are ephemeral unless the app asks for in_channel.
        ...(body.response_type === "in_channel" ? {} : { ephemeralFor: entry.user }),
      });
      // A slash command's response_url goes on to act on the message it produced.
      if (!target) {
        entry.messageTs = posted.ts;
        entry.ephemeral = posted.ephemeralFor !== undefined;
      }
      return accept(body);
    },
  };
}
