// The demo channel as its one viewer sees it in Slack: channel messages, thread replies, their own ephemeral messages
// and the slash commands they ran, read from the fake Slack as a snapshot plus a stream of changes for the page.
import type { FakeMessage, FakeSlack, MessageChange } from "../sim/fake-slack/index.js";

export interface Person {
  id: string;
  name: string;
}

export type FeedItem =
  | {
      kind: "message";
      /** the message's ts; also its id on the page */
      id: string;
      ts: string;
      threadTs: string | null;
      user: string;
      text: string;
      blocks: unknown[];
      ephemeral: boolean;
      /** a thread reply also shown in the channel */
      broadcast: boolean;
      /** how many times it was changed in place (chat.update, replace_original) */
      version: number;
    }
  | { kind: "command"; id: string; ts: string; user: string; text: string };

export interface FeedSnapshot {
  channel: { id: string; name: string };
  viewer: Person;
  botUserId: string;
  /** display names for <@U…>, <!subteam^S…> and <#C…> mentions */
  people: Record<string, string>;
  /** commands offered under the message box */
  suggestions: string[];
  /** in no particular order: the page orders them by ts */
  items: FeedItem[];
}

export type FeedEvent =
  | { type: "message"; change: MessageChange; item: FeedItem }
  | { type: "command"; item: FeedItem };

export interface ChannelFeed {
  snapshot(): FeedSnapshot;
  subscribe(listener: (event: FeedEvent) => void): () => void;
  /** Slack shows the command a person ran above the answer it got. */
  recordCommand(text: string): void;
  close(): void;
}

/** Slack's "seconds.micros" message timestamp for a moment in ms. */
function slackTs(ms: number): string {
  return `${Math.floor(ms / 1000)}.${String((ms % 1000) * 1000).padStart(6, "0")}`;
}

function messageItem(message: FakeMessage): FeedItem {
  return {
    kind: "message",
    id: message.ts,
    ts: message.ts,
    threadTs: message.threadTs ?? null,
    user: message.user,
    text: message.text,
    blocks: message.blocks,
    ephemeral: message.ephemeralFor !== undefined,
    broadcast: message.broadcast ?? false,
    version: message.replaceCount,
  };
}

export function createChannelFeed(options: {
  slack: FakeSlack;
  channel: { id: string; name: string };
  viewer: Person;
  people: readonly Person[];
  suggestions: readonly string[];
}): ChannelFeed {
  const { slack, channel, viewer } = options;
  const commands: FeedItem[] = [];
  const listeners = new Set<(event: FeedEvent) => void>();
  const emit = (event: FeedEvent) => {
    for (const listener of listeners) listener(event);
  };

  const isVisible = (message: FakeMessage) =>
    message.channel === channel.id &&
    (message.ephemeralFor === undefined || message.ephemeralFor === viewer.id);
  const stopWatching = slack.onChange((message, change) => {
    if (isVisible(message)) emit({ type: "message", change, item: messageItem(message) });
  });

  return {
    snapshot() {
      const topLevel = slack.messages(channel.id);
      const messages = new Map<string, FakeMessage>();
      for (const message of [
        ...topLevel,
        ...topLevel.flatMap((parent) => slack.thread(channel.id, parent.ts)),
        ...slack.ephemerals(channel.id, viewer.id),
      ])
        messages.set(message.ts, message);
      const items = [...[...messages.values()].map(messageItem), ...commands];
      return {
        channel,
        viewer,
        botUserId: slack.botUserId,
        // The channel too, so a `<#C…>` mention reads "#integrations-oncall" as in Slack.
        people: Object.fromEntries(
          [viewer, ...options.people, channel].map((person) => [person.id, person.name]),
        ),
        suggestions: [...options.suggestions],
        items,
      };
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    recordCommand(text) {
      const item: FeedItem = {
        kind: "command",
        id: `command-${commands.length + 1}`,
        ts: slackTs(Date.now()),
        user: viewer.id,
        text,
      };
      commands.push(item);
      emit({ type: "command", item });
    },
    close() {
      stopWatching();
      listeners.clear();
    },
  };
}
