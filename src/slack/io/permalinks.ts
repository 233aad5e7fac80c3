// The one caller of chat.getPermalink: a message's permanent link (a thread's, when given its top message), cached
// for good (a permalink never changes), so `history`, the digest and App Home link to threads in one click without
// asking Slack again each time. A link Slack will not give is left out, never guessed.
import type { WebClient } from "@slack/web-api";
import type { Logger } from "pino";
import type { MetricsRecorder } from "../../metrics/metrics.js";
import { slackErrorCode } from "./poster.js";

/** A message in a channel: for a thread, its top message. */
export interface MessageRef {
  channel: string;
  ts: string;
}

export interface Permalinks {
  /** the message's permalink, or null when Slack gives none (deleted, no access, Slack unreachable) */
  of(message: MessageRef): Promise<string | null>;
  /** permalinks of many messages (asked at once, each at most once), by permalinkKey */
  ofMany(messages: readonly MessageRef[]): Promise<Map<string, string>>;
}

/** How ofMany's answer is keyed. */
export function permalinkKey(message: MessageRef): string {
  return `${message.channel}:${message.ts}`;
}

/** Enough for every thread a Home tab, a history and a day's digests show, many times over. */
const CACHE_SIZE = 5000;

export function createPermalinks(
  client: WebClient,
  logger: Logger,
  metrics?: Pick<MetricsRecorder, "slackCall">,
): Permalinks {
  // Promises, so concurrent asks for one message make one call; failures are dropped so a later ask retries.
  const cache = new Map<string, Promise<string | null>>();

  async function ask(message: MessageRef): Promise<string | null> {
    try {
      const answer = await client.chat.getPermalink({ channel: message.channel, message_ts: message.ts });
      metrics?.slackCall("chat.getPermalink", "ok");
      return typeof answer.permalink === "string" && /^https?:\/\//.test(answer.permalink)
        ? answer.permalink
        : null;
    } catch (error) {
      const code = slackErrorCode(error);
      metrics?.slackCall("chat.getPermalink", code);
      logger.warn({ method: "chat.getPermalink", slackError: code }, "slack call failed");
      return null;
    }
  }

  function of(message: MessageRef): Promise<string | null> {
    const key = permalinkKey(message);
    const cached = cache.get(key);
    if (cached) return cached;
    const asked = ask(message).then((link) => {
      if (link === null) cache.delete(key);
      return link;
    });
    cache.set(key, asked);
    // The oldest entry goes first: Map keeps insertion order.
    if (cache.size > CACHE_SIZE) {
      const [oldest] = cache.keys();
      if (oldest !== undefined) cache.delete(oldest);
    }
    return asked;
  }

  return {
    of,
    async ofMany(messages) {
      const links = await Promise.all(messages.map(async (message) => [message, await of(message)] as const));
      return new Map(
        links.flatMap(([message, link]) => (link === null ? [] : [[permalinkKey(message), link] as const])),
      );
    },
  };
}
