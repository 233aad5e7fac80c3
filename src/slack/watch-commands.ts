// `/workato-jobs watch | unwatch | watches`: a pure parser for their words, and the handlers that create, remove and
// list a channel's watches.
import type { Logger } from "pino";
import type { Requester } from "../access/access-check.js";
import type { WatchPoller } from "../watch/poller.js";
import { type CustomerRef, parseCustomerRef } from "../workato/customer-ref.js";
import { allowed } from "./access-gate.js";
import type { SlackMessage } from "./blocks/elements.js";
import { buildErrorMessage } from "./blocks/help-blocks.js";
import {
  buildNoSuchWatchMessage,
  buildUnwatchedMessage,
  buildWatchesMessage,
  buildWatchStartedMessage,
} from "./blocks/watch-blocks.js";
import { commandWords, MAX_COMMAND_LENGTH, parseTarget, USAGE } from "./command-parser.js";
import type { HandlerDeps } from "./handler-deps.js";

export type WatchCommand =
  | { kind: "watch"; customer: CustomerRef; recipeId: number; mentions: string[] }
  | { kind: "unwatch"; customer: CustomerRef; recipeId: number }
  | { kind: "watches" };

export type WatchCommandParse =
  | { ok: true; command: WatchCommand }
  | { ok: false; problem: string; usage: string };

export const WATCH_USAGE = { watch: USAGE.watch, unwatch: USAGE.unwatch, watches: USAGE.watches } as const;

export type WatchSubcommand = keyof typeof WATCH_USAGE;

export function isWatchSubcommand(word: string | undefined): word is WatchSubcommand {
  return word !== undefined && Object.hasOwn(WATCH_USAGE, word.toLowerCase());
}

/** More than this is a paste gone wrong; a user group covers a rota. */
export const MAX_MENTIONS = 10;

/**
 * `words` is the whole command split on spaces, subcommand first, with Slack's &amp;/&lt;/&gt; already turned back
 * (as parseCommand does); `resolveAlias` turns a policy's customer alias into its customer. null when the subcommand
 * is not one of these three, so the caller can try its own.
 */
export function parseWatchCommand(
  words: readonly string[],
  resolveAlias: (text: string) => string = (text) => text,
): WatchCommandParse | null {
  const [subcommand, ...args] = words;
  if (!isWatchSubcommand(subcommand)) return null;
  switch (subcommand.toLowerCase() as WatchSubcommand) {
    case "watch":
      return parseWatch(args, resolveAlias);
    case "unwatch": {
      const target = parseTarget(args, WATCH_USAGE.unwatch, resolveAlias);
      if (!target.ok) return target;
      if (args.length > 2)
        return fail("unwatch takes a customer and a recipe id, nothing more.", WATCH_USAGE.unwatch);
      return { ok: true, command: { kind: "unwatch", ...target.value } };
    }
    case "watches":
      if (args.length > 0)
        return fail("watches takes no arguments: it lists this channel's watches.", WATCH_USAGE.watches);
      return { ok: true, command: { kind: "watches" } };
  }
}

/**
 * The same, from the slash command's raw text (Slack sends &, < and > escaped in it). null also for text too long to
 * be a command, which parseCommand refuses with its own message.
 */
export function parseWatchCommandText(
  rawText: string,
  resolveAlias: (text: string) => string = (text) => text,
): WatchCommandParse | null {
  if (rawText.length > MAX_COMMAND_LENGTH) return null;
  return parseWatchCommand(commandWords(rawText), resolveAlias);
}

function parseWatch(args: readonly string[], resolveAlias: (text: string) => string): WatchCommandParse {
  const target = parseTarget(args, WATCH_USAGE.watch, resolveAlias);
  if (!target.ok) return target;
  // Rejoined, because a mention's label (after "|") is Slack's text and may hold spaces.
  const tokens =
    args
      .slice(2)
      .join(" ")
      .match(/<[^<>]*>|[^\s<>]+|[<>]/g) ?? [];
  const mentions: string[] = [];
  for (const token of tokens) {
    const mention = parseMention(token);
    if (!mention.ok) return fail(mention.problem, WATCH_USAGE.watch);
    if (!mentions.includes(mention.value)) mentions.push(mention.value);
  }
  if (mentions.length > MAX_MENTIONS) {
    return fail(
      `That is ${mentions.length} people and groups to mention; the most is ${MAX_MENTIONS}. Mention a user group instead.`,
      WATCH_USAGE.watch,
    );
  }
  return { ok: true, command: { kind: "watch", ...target.value, mentions } };
}

const USER_MENTION = /^<@([UW][A-Z0-9]{2,30})(?:\|[^<>]*)?>$/;
const GROUP_MENTION = /^<!subteam\^(S[A-Z0-9]{2,30})(?:\|[^<>]*)?>$/;
const BROADCAST = /^<!(here|channel|everyone)(?:\|[^<>]*)?>$/;

/** A person (`<@U…>`) or a user group (`<!subteam^S…>`), with or without Slack's `|label`, stored without it. */
export function parseMention(token: string): { ok: true; value: string } | { ok: false; problem: string } {
  const user = USER_MENTION.exec(token);
  if (user) return { ok: true, value: `<@${user[1]}>` };
  const group = GROUP_MENTION.exec(token);
  if (group) return { ok: true, value: `<!subteam^${group[1]}>` };
  const shown = token.length > 40 ? `${token.slice(0, 40)}…` : token;
  if (BROADCAST.test(token)) {
    return {
      ok: false,
      problem: "Alerts can mention people or user groups, not @here, @channel or @everyone.",
    };
  }
  if (token.startsWith("<#")) {
    return {
      ok: false,
      problem: "Alerts go to the channel the watch is made in; mention people or user groups only.",
    };
  }
  if (token.startsWith("@")) {
    return {
      ok: false,
      problem: `"${shown}" reached the bot as plain text, not as a mention: pick the person or group from Slack's suggestions as you type @.`,
    };
  }
  return {
    ok: false,
    problem: `"${shown}" is not a person or user group to mention. After the recipe id, mention people (@name) or a user group (@group).`,
  };
}

function fail(problem: string, usage: string): { ok: false; problem: string; usage: string } {
  return { ok: false, problem, usage };
}

// ── Handlers ───────────────────────────────────────────────────────────────────────────────────────────────────

export type WatchCommandDeps = Pick<HandlerDeps, "store" | "access" | "poster" | "logger" | "now"> & {
  poller: Pick<WatchPoller, "pollOnce" | "effectiveIntervalSeconds">;
  /** WATCH_INTERVAL_SECONDS */
  watchIntervalSeconds: number;
};

export interface WatchCommandContext {
  /** who typed the command, where, as the signed request says */
  who: Requester;
  responseUrl: string;
}

/**
 * Creates, removes or lists this channel's watches, after the access check: watching needs the channel to be
 * allowed to see the customer (alerts show its jobs there); unwatch and watches need only the channel rules, so a
 * watch can still be removed after the policy stopped the channel from seeing its customer. Not `history`.
 */
export async function handleWatchCommand(
  deps: WatchCommandDeps,
  command: WatchCommand,
  ctx: WatchCommandContext,
): Promise<void> {
  const { who, responseUrl } = ctx;
  const log = deps.logger.child({ subcommand: command.kind, channel: who.channel, user: who.userId });
  const respond = (message: SlackMessage, visibility: "in_channel" | "ephemeral") =>
    deps.poster.respond(responseUrl, message, { visibility });
  switch (command.kind) {
    case "watch":
      if (!(await allowed(deps, who, "view", command.customer, responseUrl))) return;
      return startWatch(deps, command, who, respond, log);
    case "unwatch": {
      if (!(await allowed(deps, who, "channel", undefined, responseUrl))) return;
      const removed = deps.store.removeWatch(who.channel, command.customer.display, command.recipeId);
      log.info({ recipeId: command.recipeId, removed }, "unwatch");
      await respond(
        removed
          ? buildUnwatchedMessage({ userId: who.userId, watch: command })
          : buildNoSuchWatchMessage(command),
        removed ? "in_channel" : "ephemeral",
      );
      return;
    }
    case "watches":
      if (!(await allowed(deps, who, "channel", undefined, responseUrl))) return;
      await respond(listWatches(deps, who.channel), "ephemeral");
      return;
  }
}

async function startWatch(
  deps: WatchCommandDeps,
  command: Extract<WatchCommand, { kind: "watch" }>,
  who: Requester,
  respond: (message: SlackMessage, visibility: "in_channel" | "ephemeral") => Promise<boolean>,
  log: Logger,
): Promise<void> {
  const existed = deps.store
    .watches({ channel: who.channel })
    .some((watch) => watch.customer === command.customer.display && watch.recipeId === command.recipeId);
  const watch = deps.store.upsertWatch(
    {
      channel: who.channel,
      customer: command.customer.display,
      recipeId: command.recipeId,
      mentions: command.mentions,
      createdBy: who.userId,
    },
    deps.now().getTime(),
  );
  log.info({ watch: watch.id, recipeId: watch.recipeId, updated: existed }, "watch");
  await respond(
    buildWatchStartedMessage({
      userId: who.userId,
      watch: { ...command, mentions: watch.mentions },
      updated: existed,
      interval: interval(deps),
    }),
    "in_channel",
  );
  // The first poll marks where "new" begins, so failures from now on are alerted rather than taken for history; it
  // also shows at once whether Workato lets the bot see this recipe's jobs.
  const outcome = await deps.poller.pollOnce(watch.id);
  if (outcome.kind === "error" && (outcome.code === "auth" || outcome.code === "not_found")) {
    await respond(
      buildErrorMessage(
        `The first check of recipe ${command.recipeId} failed. ${outcome.message}`,
        "The watch stays and keeps trying; after 3 such failures in a row it stops and says so in this channel.",
      ),
      "ephemeral",
    );
  }
}

function interval(deps: WatchCommandDeps) {
  return { actualSeconds: deps.poller.effectiveIntervalSeconds(), targetSeconds: deps.watchIntervalSeconds };
}

function listWatches(deps: WatchCommandDeps, channel: string): SlackMessage {
  const at = deps.now().getTime();
  const items = deps.store.watches({ channel }).flatMap((watch) => {
    const customer = parseCustomerRef(watch.customer);
    if (!customer.ok) return [];
    const mutedUntil = deps.store.mutedUntil(watch.id, "*");
    return [
      {
        customer: customer.ref,
        recipeId: watch.recipeId,
        mentions: watch.mentions,
        createdBy: watch.createdBy,
        pausedReason: watch.pausedReason,
        mutedUntil: mutedUntil !== null && mutedUntil > at ? mutedUntil : null,
        lastPolledAt: watch.lastPolledAt,
      },
    ];
  });
  const activeWatchesEverywhere = deps.store.watches().filter((watch) => watch.pausedReason === null).length;
  return buildWatchesMessage({ watches: items, interval: interval(deps), activeWatchesEverywhere });
}
