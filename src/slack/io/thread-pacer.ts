// Paces one busy thread within Slack's limits: queued results go out grouped, at most one reply every ~2 s, the
// parent is updated at most every ~3 s, and a refused call (429 after the client's own retries, a timeout) is tried
// again later, for as long as it takes, with whatever queued meanwhile. Adding never waits for Slack, so Slack never
// slows Workato's requests; `posted` hears of each reply Slack took, so the queue can be rebuilt after a crash.
import type { Logger } from "pino";
import type { SlackMessage } from "../blocks/elements.js";
import type { Poster, PostResult } from "./poster.js";

export interface ThreadPacerOptions<T> {
  poster: Pick<Poster, "post" | "update">;
  channel: string;
  /** the parent: replies go under it, progress updates replace it */
  threadTs: string;
  /** one reply holding the first items that fit (at least one), and how many that is; `posted` went before them */
  composeReply(items: readonly T[], posted: number): { message: SlackMessage; count: number };
  log: Logger;
  /** how many items earlier replies (before a restart) already hold; default 0 */
  alreadyPosted?: number;
  /** the items of a reply Slack accepted, awaited before the next reply; it logs its own failures */
  posted?(items: readonly T[]): Promise<void>;
  /** default 2000 ms between two replies */
  replyGapMs?: number;
  /** default 3000 ms between two progress updates */
  progressGapMs?: number;
  /** default 5000 ms before a refused call is tried again */
  retryMs?: number;
}

export interface ThreadPacer<T> {
  /** queues items for the thread; returns at once */
  add(items: readonly T[]): void;
  /** the parent's newest content; only the latest is sent, at most every progressGapMs */
  progress(message: SlackMessage): void;
  /**
   * a reply of its own (the summary), posted after every item queued before it; `posted` hears its ts once Slack
   * took it (awaited before the next reply), so the reply can be edited in place later
   */
  reply(message: SlackMessage, posted?: (ts: string) => Promise<void>): void;
  /** resolves when everything queued so far is in Slack (or refused for good) */
  drained(): Promise<void>;
}

type Entry<T> =
  | { kind: "items"; items: T[] }
  | { kind: "message"; message: SlackMessage; posted?: (ts: string) => Promise<void> };

/** Errors Slack will answer the same way however long the bot waits: retrying them would only block the thread. */
const PERMANENT = new Set([
  "channel_not_found",
  "not_in_channel",
  "is_archived",
  "msg_too_long",
  "invalid_blocks",
  "invalid_auth",
  "account_inactive",
  "token_revoked",
  "message_not_found",
  "cant_update_message",
  "thread_not_found",
  "no_text",
]);

export function isRetryableSlackError(error: string): boolean {
  return !PERMANENT.has(error);
}

export function createThreadPacer<T>(options: ThreadPacerOptions<T>): ThreadPacer<T> {
  const { poster, channel, threadTs, log } = options;
  const replyGapMs = options.replyGapMs ?? 2000;
  const progressGapMs = options.progressGapMs ?? 3000;
  const retryMs = options.retryMs ?? 5000;
  const queue: Entry<T>[] = [];
  let replying: Promise<void> | null = null;
  let lastReplyAt = Number.NEGATIVE_INFINITY;
  let itemsPosted = options.alreadyPosted ?? 0;
  let latestProgress: SlackMessage | null = null;
  let updating: Promise<void> | null = null;
  let lastUpdateAt = Number.NEGATIVE_INFINITY;

  /**
   * Calls Slack until it takes the message or refuses it for good; true when it was taken. A busy Slack is waited
   * out however long it lasts: giving a results reply up would lose those results from the thread.
   */
  async function deliver(what: string, call: () => Promise<PostResult>): Promise<PostResult> {
    for (let attempt = 1; ; attempt++) {
      const answer = await call();
      if (answer.ok) return answer;
      if (!isRetryableSlackError(answer.error)) {
        log.error({ slackError: answer.error, attempt, what }, "Slack refused a thread message; given up");
        return answer;
      }
      log.warn({ slackError: answer.error, attempt, what }, "Slack busy; trying the thread message again");
      await sleep(retryMs);
    }
  }

  async function replyLoop(): Promise<void> {
    while (queue.length > 0) {
      await sleep(lastReplyAt + replyGapMs - performance.now());
      const head = queue[0] as Entry<T>;
      if (head.kind === "message") {
        const answer = await deliver("reply", () => poster.post(channel, head.message, threadTs));
        if (answer.ok) await head.posted?.(answer.ts);
        queue.shift();
      } else {
        // Composed just before sending, so a reply waiting out a refusal takes everything queued meanwhile.
        let taken = 0;
        const { ok } = await deliver("results", () => {
          const composed = options.composeReply(head.items, itemsPosted);
          taken = composed.count;
          return poster.post(channel, composed.message, threadTs);
        });
        const sent = head.items.splice(0, taken);
        if (ok) await options.posted?.(sent);
        itemsPosted += taken;
        if (head.items.length === 0) queue.shift();
      }
      lastReplyAt = performance.now();
    }
  }

  async function updateLoop(): Promise<void> {
    while (latestProgress !== null) {
      await sleep(lastUpdateAt + progressGapMs - performance.now());
      const message = latestProgress;
      latestProgress = null;
      const { ok } = await deliver("progress", () => poster.update(channel, threadTs, message));
      lastUpdateAt = performance.now();
      if (!ok) return;
    }
  }

  function kick(): void {
    if (replying === null && queue.length > 0) {
      replying = replyLoop()
        .catch((error: unknown) => log.error({ err: error }, "thread pacer failed"))
        .finally(() => {
          replying = null;
          kick();
        });
    }
    if (updating === null && latestProgress !== null) {
      updating = updateLoop()
        .catch((error: unknown) => log.error({ err: error }, "progress pacer failed"))
        .finally(() => {
          updating = null;
          if (latestProgress !== null) kick();
        });
    }
  }

  return {
    add(items) {
      if (items.length === 0) return;
      const tail = queue.at(-1);
      if (tail?.kind === "items") tail.items.push(...items);
      else queue.push({ kind: "items", items: [...items] });
      kick();
    },
    progress(message) {
      latestProgress = message;
      kick();
    },
    reply(message, posted) {
      queue.push({ kind: "message", message, ...(posted ? { posted } : {}) });
      kick();
    },
    async drained() {
      while (replying !== null || updating !== null) await Promise.all([replying, updating]);
    },
  };
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}
