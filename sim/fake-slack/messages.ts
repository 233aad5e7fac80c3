// The fake's memory of Slack messages: channel posts, thread replies and ephemerals, with Slack-like timestamps.
import { randomBytes } from "node:crypto";

export interface FakeMessage {
  channel: string;
  ts: string;
  threadTs?: string;
  user: string;
  text: string;
  blocks: unknown[];
  ephemeralFor?: string;
  replaceCount: number;
  via: "api" | "response_url";
  postedAt: number;
  /** A thread reply posted with reply_broadcast, so it also shows in the channel. */
  broadcast?: boolean;
}

export type MessageChange = "posted" | "updated" | "deleted";
export type MessageListener = (m: FakeMessage, kind: MessageChange) => void;

export type NewMessage = Omit<FakeMessage, "ts" | "replaceCount" | "postedAt">;

export interface MessageStore {
  post(m: NewMessage): FakeMessage;
  get(channel: string, ts: string): FakeMessage | undefined;
  replace(
    channel: string,
    ts: string,
    content: { text?: string; blocks?: unknown[] },
  ): FakeMessage | undefined;
  remove(channel: string, ts: string): FakeMessage | undefined;
  channelMessages(channel: string): FakeMessage[];
  thread(channel: string, threadTs: string): FakeMessage[];
  ephemerals(channel: string, user: string): FakeMessage[];
  all(channel: string): FakeMessage[];
  onChange(listener: MessageListener): () => void;
}

/** Slack's shape of a message as it appears in API answers and interaction payloads. */
export function toSlackMessageJson(
  m: FakeMessage,
  bot: { botUserId: string; botId: string },
): Record<string, unknown> {
  return {
    type: "message",
    user: m.user,
    ...(m.user === bot.botUserId ? { bot_id: bot.botId } : {}),
    ts: m.ts,
    text: m.text,
    blocks: structuredClone(m.blocks),
    ...(m.threadTs !== undefined ? { thread_ts: m.threadTs } : {}),
  };
}

function slackishId(): string {
  // Slack fills in missing block_id/action_id with short random ids; payloads then carry those ids.
  return randomBytes(4).toString("base64url").slice(0, 5);
}

function withSlackIds(blocks: unknown[]): unknown[] {
  const fillActionId = (element: unknown): unknown =>
    typeof element === "object" && element !== null && !Array.isArray(element) && !("action_id" in element)
      ? { ...element, action_id: slackishId() }
      : element;
  return blocks.map((block) => {
    if (typeof block !== "object" || block === null || Array.isArray(block)) return block;
    const copy: Record<string, unknown> = { ...block };
    if (copy.block_id === undefined) copy.block_id = slackishId();
    if (copy.type === "actions" && Array.isArray(copy.elements))
      copy.elements = copy.elements.map(fillActionId);
    if (copy.type === "section" && copy.accessory !== undefined) {
      const accessory = copy.accessory;
      const isImage =
        typeof accessory === "object" &&
        accessory !== null &&
        "type" in accessory &&
        accessory.type === "image";
      if (!isImage) copy.accessory = fillActionId(accessory);
    }
    return copy;
  });
}

/** Unique, increasing "seconds.micros" strings near the wall clock, like Slack's message ts. */
function createTsClock(now: () => number): () => string {
  let lastMicros = 0;
  return () => {
    lastMicros = Math.max(Math.floor(now()) * 1000, lastMicros + 100);
    const seconds = Math.floor(lastMicros / 1_000_000);
    const micros = lastMicros % 1_000_000;
    return `${seconds}.${String(micros).padStart(6, "0")}`;
  };
}

export function createMessageStore(now: () => number = Date.now): MessageStore {
  const byChannel = new Map<string, FakeMessage[]>();
  const listeners = new Set<MessageListener>();
  const nextTs = createTsClock(now);

  const list = (channel: string): FakeMessage[] => {
    let messages = byChannel.get(channel);
    if (!messages) {
      messages = [];
      byChannel.set(channel, messages);
    }
    return messages;
  };
  const find = (channel: string, ts: string) => byChannel.get(channel)?.find((m) => m.ts === ts);
  // Callers get copies, so a test holding a message sees it as it was and cannot edit the store by accident.
  const copy = (m: FakeMessage): FakeMessage => structuredClone(m);
  const emit = (m: FakeMessage, kind: MessageChange) => {
    for (const listener of listeners) {
      try {
        listener(copy(m), kind);
      } catch {
        // A broken listener (a demo page, a test spy) must not break the fake's HTTP answers.
      }
    }
  };

  return {
    post(m) {
      const stored: FakeMessage = {
        ...m,
        blocks: withSlackIds(structuredClone(m.blocks)),
        ts: nextTs(),
        replaceCount: 0,
        postedAt: now(),
      };
      list(m.channel).push(stored);
      emit(stored, "posted");
      return copy(stored);
    },
    get(channel, ts) {
      const m = find(channel, ts);
      return m && copy(m);
    },
    replace(channel, ts, content) {
      const m = find(channel, ts);
      if (!m) return undefined;
      if (content.text !== undefined) m.text = content.text;
      if (content.blocks !== undefined) m.blocks = withSlackIds(structuredClone(content.blocks));
      m.replaceCount += 1;
      emit(m, "updated");
      return copy(m);
    },
    remove(channel, ts) {
      const messages = byChannel.get(channel);
      const index = messages?.findIndex((m) => m.ts === ts) ?? -1;
      if (!messages || index < 0) return undefined;
      const [removed] = messages.splice(index, 1);
      if (!removed) return undefined;
      emit(removed, "deleted");
      return copy(removed);
    },
    channelMessages(channel) {
      return list(channel)
        .filter((m) => m.ephemeralFor === undefined && (m.threadTs === undefined || m.broadcast === true))
        .map(copy);
    },
    thread(channel, threadTs) {
      return list(channel)
        .filter((m) => m.ephemeralFor === undefined && m.threadTs === threadTs && m.ts !== threadTs)
        .map(copy);
    },
    ephemerals(channel, user) {
      return list(channel)
        .filter((m) => m.ephemeralFor === user)
        .map(copy);
    },
    all(channel) {
      return list(channel).map(copy);
    },
    onChange(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
  };
}
