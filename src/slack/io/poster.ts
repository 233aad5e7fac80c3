// The one module that posts to Slack (chat.*, views.* and response_urls); every other module hands it built messages.
import type { WebClient } from "@slack/web-api";
import type { Logger } from "pino";
import type { MetricsRecorder } from "../../metrics/metrics.js";
import type { SlackMessage } from "../blocks/elements.js";
import type { HomeView } from "../blocks/home-blocks.js";

export type PostResult = { ok: true; ts: string } | { ok: false; error: string };

/**
 * Where a private answer goes: a response_url, or, for a click in App Home (Slack sends none with those), the
 * person's direct messages with the app.
 */
export type ReplyTo = string | { userId: string };

export interface ResponseOptions {
  /** "in_channel" shows the answer to everyone; default ephemeral (only the person who asked) */
  visibility?: "in_channel" | "ephemeral";
  /** replace the message the response_url belongs to (a clicked message) */
  replaceOriginal?: boolean;
}

export interface Poster {
  post(channel: string, message: SlackMessage, threadTs?: string): Promise<PostResult>;
  update(channel: string, ts: string, message: SlackMessage): Promise<PostResult>;
  /** Answers through a response_url (valid 30 minutes, 5 uses), or in the person's DM with the app (App Home). */
  respond(to: ReplyTo, message: SlackMessage, options?: ResponseOptions): Promise<boolean>;
  /** Shows a person their App Home tab (views.publish); `ts` is empty. */
  publishHome(userId: string, view: HomeView): Promise<PostResult>;
  /** A message's permalink (chat.getPermalink), cached: a permalink never changes. null when Slack refused. */
  permalink(channel: string, ts: string): Promise<string | null>;
}

const RESPONSE_URL_TIMEOUT_MS = 10_000;
/** Permalinks kept; the oldest is forgotten first (a Map keeps insertion order). */
const PERMALINKS_KEPT = 5_000;

export function createPoster(
  client: WebClient,
  logger: Logger,
  metrics?: Pick<MetricsRecorder, "slackCall">,
): Poster {
  async function call(method: string, run: () => Promise<{ ts?: string | undefined }>): Promise<PostResult> {
    try {
      const answer = await run();
      metrics?.slackCall(method, "ok");
      return { ok: true, ts: answer.ts ?? "" };
    } catch (error) {
      const code = slackErrorCode(error);
      metrics?.slackCall(method, code);
      logger.warn({ method, slackError: code }, "slack call failed");
      return { ok: false, error: code };
    }
  }

  const permalinks = new Map<string, Promise<string | null>>();

  const post: Poster["post"] = (channel, message, threadTs) =>
    call("chat.postMessage", () =>
      client.chat.postMessage({
        channel,
        text: message.text,
        blocks: message.blocks,
        // Links to Workato or customers' systems in job titles should not unfurl into the channel.
        unfurl_links: false,
        unfurl_media: false,
        ...(threadTs !== undefined ? { thread_ts: threadTs } : {}),
      }),
    );

  return {
    post,

    update(channel, ts, message) {
      return call("chat.update", () =>
        client.chat.update({ channel, ts, text: message.text, blocks: message.blocks }),
      );
    },

    publishHome(userId, view) {
      return call("views.publish", async () => {
        await client.views.publish({ user_id: userId, view });
        return {};
      });
    },

    permalink(channel, ts) {
      const key = `${channel}/${ts}`;
      const known = permalinks.get(key);
      if (known) return known;
      const asked = client.chat.getPermalink({ channel, message_ts: ts }).then(
        (answer) => {
          metrics?.slackCall("chat.getPermalink", "ok");
          return answer.permalink ?? null;
        },
        (error: unknown) => {
          const code = slackErrorCode(error);
          metrics?.slackCall("chat.getPermalink", code);
          logger.warn({ method: "chat.getPermalink", slackError: code }, "slack call failed");
          // A refusal is asked again next time rather than remembered.
          permalinks.delete(key);
          return null;
        },
      );
      permalinks.set(key, asked);
      if (permalinks.size > PERMALINKS_KEPT) {
        const oldest = permalinks.keys().next().value;
        if (oldest !== undefined) permalinks.delete(oldest);
      }
      return asked;
    },

    async respond(to, message, options = {}) {
      if (typeof to !== "string") {
        const posted = await post(to.userId, message);
        return posted.ok;
      }
      const responseUrl = to;
      try {
        const response = await fetch(responseUrl, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            text: message.text,
            blocks: message.blocks,
            response_type: options.visibility ?? "ephemeral",
            replace_original: options.replaceOriginal ?? false,
          }),
          signal: AbortSignal.timeout(RESPONSE_URL_TIMEOUT_MS),
        });
        const body = await response.text();
        if (!response.ok)
          logger.warn({ status: response.status, body: body.slice(0, 200) }, "response_url refused");
        return response.ok;
      } catch (error) {
        logger.warn({ err: error }, "response_url failed");
        return false;
      }
    },
  };
}

function slackErrorCode(error: unknown): string {
  if (typeof error === "object" && error !== null && "data" in error) {
    const data = (error as { data?: { error?: unknown } }).data;
    if (typeof data?.error === "string") return data.error;
  }
  return error instanceof Error ? error.message : "unknown_error";
}
