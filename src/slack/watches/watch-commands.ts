// `/workato-jobs watch | unwatch | watches`: creates, removes and lists a channel's watches, after the access check.
import type { Logger } from "pino";
import type { Requester } from "../../access/access-check.js";
import { recipeKey } from "../../names/names.js";
import { AUTH_FAILURES_BEFORE_PAUSE } from "../../watch/poll-watch.js";
import type { WatchPoller } from "../../watch/poller.js";
import { type CustomerRef, parseCustomerRef } from "../../workato/customer-ref.js";
import { notFoundMessage, whatIsMissing } from "../../workato/not-found.js";
import { allowed } from "../access-gate.js";
import type { SlackMessage } from "../blocks/elements.js";
import { buildErrorMessage } from "../blocks/help-blocks.js";
import {
  buildNoSuchWatchMessage,
  buildUnwatchedMessage,
  buildWatchesMessage,
  buildWatchStartedMessage,
} from "../blocks/watch-blocks.js";
import type { UnwatchCommand, WatchCommand, WatchesCommand } from "../commands/grammar.js";
import type { HandlerDeps } from "../handler-deps.js";
import { existenceChecksOf } from "../jobs/explained-failure.js";

/** The subcommands about watches, which this file answers. */
export type WatchingCommand = WatchCommand | UnwatchCommand | WatchesCommand;

export type WatchCommandDeps = Pick<HandlerDeps, "store" | "access" | "poster" | "logger" | "clock"> &
  /** names, and telling which part of a 404 is missing; without them customers and recipes are named by id */
  Partial<Pick<HandlerDeps, "workato" | "customers" | "names">> & {
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
  command: WatchingCommand,
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
      const removed = await deps.store.removeWatch(who.channel, command.customer.display, command.recipeId);
      log.info({ recipeId: command.recipeId, removed }, "unwatch");
      // Named only where the channel may still see the customer: unwatch asks only for the channel rules.
      const named = deps.access.maySee(who.channel, command.customer)
        ? { ...command, ...(await namesOf(deps, command)) }
        : command;
      await respond(
        removed
          ? buildUnwatchedMessage({ userId: who.userId, watch: named })
          : buildNoSuchWatchMessage(command),
        removed ? "in_channel" : "ephemeral",
      );
      return;
    }
    case "watches":
      if (!(await allowed(deps, who, "channel", undefined, responseUrl))) return;
      await respond(await listWatches(deps, who.channel), "ephemeral");
      return;
  }
}

async function startWatch(
  deps: WatchCommandDeps,
  command: WatchCommand,
  who: Requester,
  respond: (message: SlackMessage, visibility: "in_channel" | "ephemeral") => Promise<boolean>,
  log: Logger,
): Promise<void> {
  const existed = (await deps.store.watches({ channel: who.channel })).some(
    (watch) => watch.customer === command.customer.display && watch.recipeId === command.recipeId,
  );
  const watch = await deps.store.upsertWatch(
    {
      channel: who.channel,
      customer: command.customer.display,
      recipeId: command.recipeId,
      mentions: command.mentions,
      createdBy: who.userId,
      ...(command.runbookUrl !== undefined ? { runbookUrl: command.runbookUrl } : {}),
    },
    deps.clock.now(),
  );
  await deps.store.setEscalation(watch.id, command.escalation);
  log.info(
    {
      watch: watch.id,
      recipeId: watch.recipeId,
      updated: existed,
      escalationSteps: command.escalation.length,
    },
    "watch",
  );
  await respond(
    buildWatchStartedMessage({
      userId: who.userId,
      watch: {
        ...command,
        mentions: watch.mentions,
        runbookUrl: watch.runbookUrl,
        ...(await namesOf(deps, command)),
      },
      updated: existed,
      interval: await interval(deps),
    }),
    "in_channel",
  );
  // The first poll marks where "new" begins, so failures from now on are alerted rather than taken for history; it
  // also shows at once whether Workato lets the bot see this recipe's jobs.
  const outcome = await deps.poller.pollOnce(watch.id);
  if (outcome.kind === "error" && (outcome.code === "auth" || outcome.code === "not_found")) {
    const missing =
      outcome.code === "not_found" && deps.workato && deps.customers
        ? await whatIsMissing(
            existenceChecksOf({ workato: deps.workato, customers: deps.customers }),
            command,
          )
        : null;
    const why = missing !== null ? notFoundMessage(missing, command) : outcome.message;
    await respond(
      buildErrorMessage(
        `The first check of recipe ${command.recipeId} failed. ${why}`,
        `The watch stays and keeps trying; after ${AUTH_FAILURES_BEFORE_PAUSE} such failures in a row it stops and says so in this channel.`,
      ),
      "ephemeral",
    );
  }
}

/** The recipe's and the customer's names, or null: the message then says "recipe 28904 of customer 23456". */
async function namesOf(deps: WatchCommandDeps, target: { customer: CustomerRef; recipeId: number }) {
  return {
    recipeName: (await deps.names?.recipe(target.customer, target.recipeId)) ?? null,
    customerName: deps.names?.customer(target.customer) ?? null,
  };
}

async function interval(deps: WatchCommandDeps) {
  return {
    actualSeconds: await deps.poller.effectiveIntervalSeconds(),
    targetSeconds: deps.watchIntervalSeconds,
  };
}

async function listWatches(deps: WatchCommandDeps, channel: string): Promise<SlackMessage> {
  const at = deps.clock.now();
  const items = [];
  for (const watch of await deps.store.watches({ channel })) {
    const customer = parseCustomerRef(watch.customer);
    if (!customer.ok) continue;
    const mutedUntil = await deps.store.mutedUntil(watch.id, "*");
    // Each kind still muted, named by its error's first line (never by its signature).
    const kinds = [];
    for (const mute of await deps.store.mutes(watch.id)) {
      if (mute.signature === "*" || mute.until <= at) continue;
      const thread = await deps.store.alertThread(watch.id, mute.signature);
      kinds.push({ firstLine: thread?.firstLine || null, until: mute.until });
    }
    items.push({
      mutedKinds: kinds,
      customer: customer.ref,
      recipeId: watch.recipeId,
      mentions: watch.mentions,
      escalation: await deps.store.escalationOf(watch.id),
      createdBy: watch.createdBy,
      pausedReason: watch.pausedReason,
      mutedUntil: mutedUntil !== null && mutedUntil > at ? mutedUntil : null,
      lastPolledAt: watch.lastPolledAt,
      runbookUrl: watch.runbookUrl,
    });
  }
  // Names only where the channel may still see the customer.
  const visible = items.filter((item) => deps.access.maySee(channel, item.customer));
  const names = (await deps.names?.recipes(visible)) ?? new Map<string, string>();
  const named = items.map((item) =>
    visible.includes(item)
      ? {
          ...item,
          recipeName: names.get(recipeKey(item.customer.display, item.recipeId)) ?? null,
          customerName: deps.names?.customer(item.customer) ?? null,
        }
      : item,
  );
  const activeWatchesEverywhere = (await deps.store.watches()).filter(
    (watch) => watch.pausedReason === null,
  ).length;
  return buildWatchesMessage({ watches: named, interval: await interval(deps), activeWatchesEverywhere });
}
