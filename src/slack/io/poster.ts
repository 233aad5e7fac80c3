// The one module that posts to Slack (chat.*, views.* and response_urls); every other module hands it built messages.
import type { ModalView } from "@slack/types";
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
  /** delete that message instead (an ephemeral one too); `message` is not sent */
  deleteOriginal?: boolean;
}

export interface Poster {
  post(channel: string, message: SlackMessage, threadTs?: string): Promise<PostResult>;
  update(channel: string, ts: string, message: SlackMessage): Promise<PostResult>;
  /** Answers through a response_url (valid 30 minutes, 5 uses), or in the person's DM with the app (App Home). */
  respond(to: ReplyTo, message: SlackMessage, options?: ResponseOptions): Promise<boolean>;
  /** Shows a person their App Home tab (views.publish); `ts` is empty. */
  publishHome(userId: string, view: HomeView): Promise<PostResult>;
  /** Opens a dialog on a click's trigger_id (valid 3 s, once: views.open); `ts` is empty. */
  openModal(triggerId: string, view: ModalView): Promise<PostResult>;
}

const RESPONSE_URL_TIMEOUT_MS = 10_000;

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

    openModal(triggerId, view) {
      return call("views.open", async () => {
        await client.views.open({ trigger_id: triggerId, view });
        return {};
      });
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
          body: JSON.stringify(
            options.deleteOriginal
              ? { delete_original: true }
              : {
                  text: message.text,
                  blocks: message.blocks,
                  response_type: options.visibility ?? "ephemeral",
                  replace_original: options.replaceOriginal ?? false,
                },
          ),
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

/** Slack's error code of a failed Web API call ("invalid_auth", "message_not_found"), else the error's message. */
export function slackErrorCode(error: unknown): string {
  if (typeof error === "object" && error !== null && "data" in error) {
    const data = (error as { data?: { error?: unknown } }).data;
    if (typeof data?.error === "string") return data.error;
  }
  return error instanceof Error ? error.message : "unknown_error";
}
