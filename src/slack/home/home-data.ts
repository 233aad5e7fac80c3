// What one person's App Home shows, read from the store: the watches of their channels, the open alerts of those
// watches and their own recent repeats, each kept only where the channel may see the customer. No Workato calls: the
// customer names come from the cached directory, recipe names only where the bot read them before.
import type { AccessChecker } from "../../access/access-check.js";
import type { Clock } from "../../clock.js";
import type { Names } from "../../names/names.js";
import type { AsyncStore, WatchRecord } from "../../store/store.js";
import { RECIPE_STOPPED_SIGNATURE } from "../../store/store.js";
import { type CustomerRef, parseCustomerRef } from "../../workato/customer-ref.js";
import type { HomeAlert, HomeInput, HomeRepeat, HomeWatch, HomeWatchState } from "../blocks/home-blocks.js";

/** The person's repeats read for the tab; the view shows what fits of them. */
const REPEATS_READ = 30;

export type HomeStore = Pick<
  AsyncStore,
  "watches" | "recentRepeats" | "mutedUntil" | "alertThreads" | "followUpOf"
>;

export interface HomeDeps {
  store: HomeStore;
  access: Pick<AccessChecker, "canView">;
  clock: Clock;
  /** without it, customers and recipes are shown by id */
  names?: Pick<Names, "customer" | "knownRecipe">;
}

/**
 * "Their channels" are the channels where the person made a watch, is mentioned by one, or repeated jobs: the bot
 * knows these from its own store, where users.conversations would cost a paged Slack call on every open.
 */
function isTheirs(watch: WatchRecord, userId: string): boolean {
  return watch.createdBy === userId || watch.mentions.includes(`<@${userId}>`);
}

export async function gatherHome(deps: HomeDeps, userId: string): Promise<HomeInput> {
  const at = deps.clock.now();
  const allWatches = await deps.store.watches();
  const repeats = await deps.store.recentRepeats({ userId, limit: REPEATS_READ });
  const channels = new Set([
    ...allWatches.filter((watch) => isTheirs(watch, userId)).map((watch) => watch.channel),
    ...repeats.map((row) => row.repeat.channel),
  ]);

  const mayView = async (channel: string, customerText: string): Promise<CustomerRef | null> => {
    const parsed = parseCustomerRef(customerText);
    if (!parsed.ok) return null;
    const decision = await deps.access.canView({ channel, userId }, parsed.ref);
    return decision.ok ? parsed.ref : null;
  };

  const watches: HomeWatch[] = [];
  const openAlerts: HomeAlert[] = [];
  for (const watch of allWatches.filter((candidate) => channels.has(candidate.channel))) {
    const customer = await mayView(watch.channel, watch.customer);
    if (customer === null) continue;
    const wholeMute = await deps.store.mutedUntil(watch.id, "*");
    watches.push({
      channel: watch.channel,
      customer,
      recipeId: watch.recipeId,
      state: stateOf(watch, wholeMute, at),
      yours: isTheirs(watch, userId),
    });
    for (const thread of await deps.store.alertThreads({ watchId: watch.id })) {
      if (thread.resolvedAt !== null) continue;
      const mute = Math.max((await deps.store.mutedUntil(watch.id, thread.signature)) ?? 0, wholeMute ?? 0);
      openAlerts.push({
        channel: thread.channel,
        customer,
        recipeId: watch.recipeId,
        firstLine: thread.firstLine,
        recipeStopped: thread.signature === RECIPE_STOPPED_SIGNATURE,
        count: thread.count,
        lastSeenAt: thread.lastSeenAt,
        mutedUntil: mute > at ? mute : null,
      });
    }
  }
  openAlerts.sort((a, b) => b.lastSeenAt - a.lastSeenAt);

  const shownRepeats: (HomeRepeat & { customer: CustomerRef; recipeId: number })[] = [];
  for (const row of repeats) {
    const customer = await mayView(row.repeat.channel, row.repeat.customer);
    if (customer === null) continue;
    const followUp = await deps.store.followUpOf(row.repeat.id);
    shownRepeats.push({ row, followed: followUp?.counts ?? null, customer, recipeId: row.repeat.recipeId });
  }
  // Every line here passed the channel's access check, so its names may be shown.
  const named = <T extends { customer: CustomerRef; recipeId: number }>(line: T): T => ({
    ...line,
    customerName: deps.names?.customer(line.customer) ?? null,
    recipeName: deps.names?.knownRecipe(line.customer, line.recipeId) ?? null,
  });
  return {
    builtAt: at,
    watches: watches.map(named),
    openAlerts: openAlerts.map(named),
    repeats: shownRepeats.map(({ row, followed, ...line }) => ({ row, followed, ...named(line) })),
  };
}

function stateOf(watch: WatchRecord, wholeMute: number | null, at: number): HomeWatchState {
  if (watch.pausedReason !== null) return { kind: "paused", reason: watch.pausedReason };
  if (wholeMute !== null && wholeMute > at) return { kind: "muted", until: wholeMute };
  return { kind: "active" };
}
