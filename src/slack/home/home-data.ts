// What one person's App Home shows, read from the store (no Workato calls but cached names): the watches of their
// channels, the open alerts of those watches and their own recent repeats, each kept only where the person may see
// the customer in that channel; with the thread links (cached permalinks) and the jobs a Repeat button offers.
import type { AccessChecker } from "../../access/access-check.js";
import type { Clock } from "../../clock.js";
import { cannotRepeatWhyOf } from "../../lineage/lineage.js";
import type { AlertState } from "../../store/alert-state-store.js";
import type { AlertedJob, AlertThreadRecord, AsyncStore, WatchRecord } from "../../store/store.js";
import { RECIPE_STOPPED_SIGNATURE } from "../../store/store.js";
import { oldestMasterStart } from "../../watch/alert-sink.js";
import { type CustomerRef, parseCustomerRef } from "../../workato/customer-ref.js";
import type {
  HomeAlert,
  HomeInput,
  HomeRecipe,
  HomeRepeat,
  HomeWatch,
  HomeWatchState,
} from "../blocks/home-blocks.js";
import type { Permalinks } from "../io/permalinks.js";
import type { HomeNames } from "./home-names.js";

/** The person's repeats read for the tab; the view shows what fits of them. */
const REPEATS_READ = 30;

export type HomeStore = Pick<
  AsyncStore,
  | "watches"
  | "watch"
  | "alertState"
  | "recentRepeats"
  | "mutedUntil"
  | "alertThread"
  | "alertThreads"
  | "followUpOf"
  | "botRepeatsOf"
  | "refusedRepeatsOf"
>;

export interface HomeDeps {
  store: HomeStore;
  access: Pick<AccessChecker, "canView">;
  clock: Clock;
  permalinks: Pick<Permalinks, "of">;
  /** names for what is shown; see home-names.ts */
  names: HomeNames;
}

/**
 * "Their channels" are the channels where the person made a watch, is mentioned by one, or repeated jobs: the bot
 * knows these from its own store, where users.conversations would cost a paged Slack call on every open.
 */
function isTheirs(watch: WatchRecord, userId: string): boolean {
  return watch.createdBy === userId || watch.mentions.includes(`<@${userId}>`);
}

async function homeChannels(
  store: Pick<HomeStore, "watches" | "recentRepeats">,
  userId: string,
  allWatches?: readonly WatchRecord[],
): Promise<Set<string>> {
  const watches = allWatches ?? (await store.watches());
  const repeats = await store.recentRepeats({ userId, limit: REPEATS_READ });
  return new Set([
    ...watches.filter((watch) => isTheirs(watch, userId)).map((watch) => watch.channel),
    ...repeats.map((row) => row.repeat.channel),
  ]);
}

/**
 * The watch a Home button names, when the person's Home shows it (a watch of one of their channels); undefined
 * otherwise. A Home click has no channel of its own: this is what stands in for "the channel clicked in".
 */
export async function watchInHome(
  store: Pick<HomeStore, "watches" | "watch" | "recentRepeats">,
  userId: string,
  watchId: number | undefined,
): Promise<WatchRecord | undefined> {
  const watch = watchId === undefined ? undefined : await store.watch(watchId);
  if (!watch) return undefined;
  return (await homeChannels(store, userId)).has(watch.channel) ? watch : undefined;
}

/**
 * The open alert a Home button names (`w`, `g` in its value), when the person's Home shows its watch and the watch is
 * still of the recipe the value names: its channel and message, where the click acts as if made on the alert itself.
 */
export async function alertInHome(
  store: Pick<HomeStore, "watches" | "watch" | "recentRepeats" | "alertThread">,
  userId: string,
  value: { c: string; r: number; w?: number | undefined; g?: string | undefined },
): Promise<{ channel: string; ts: string } | undefined> {
  if (value.g === undefined) return undefined;
  const watch = await watchInHome(store, userId, value.w);
  const customer = watch ? parseCustomerRef(watch.customer) : undefined;
  if (!watch || !customer?.ok || customer.ref.display !== value.c || watch.recipeId !== value.r)
    return undefined;
  const thread = await store.alertThread(watch.id, value.g);
  return thread ? { channel: thread.channel, ts: thread.ts } : undefined;
}

/** The alert's failed originals that no repeat by this bot fixed or is running: what Repeat N failed offers. */
async function toRepeatOf(
  store: Pick<HomeStore, "botRepeatsOf" | "refusedRepeatsOf">,
  watch: WatchRecord,
  thread: AlertThreadRecord,
): Promise<HomeAlert["toRepeat"]> {
  if (thread.signature === RECIPE_STOPPED_SIGNATURE) return { masterIds: [], oldestStartedAt: null };
  const masters = [...new Set(thread.jobs.map((job) => job.masterJobId))];
  const repeats = await store.botRepeatsOf(watch.customer, watch.recipeId, masters);
  const handled = new Set(
    repeats
      .filter(
        (r) => r.followed === null || r.followed.state === "succeeded" || r.followed.state === "running",
      )
      .map((r) => r.masterJobId),
  );
  // Jobs Workato refused for good are counted apart on the alert, never offered (as there).
  for (const refusal of await store.refusedRepeatsOf(watch.customer, watch.recipeId, masters)) {
    if (cannotRepeatWhyOf(refusal.typeId, refusal.message) !== null) handled.add(refusal.masterJobId);
  }
  // The click reads the lineage again (Workato's own reruns too) before anything is sent.
  const outstanding: AlertedJob[] = thread.jobs.filter((job) => !handled.has(job.masterJobId));
  return {
    masterIds: [...new Set(outstanding.map((job) => job.masterJobId))],
    oldestStartedAt: oldestMasterStart(outstanding, thread.jobs),
  };
}

export async function gatherHome(deps: HomeDeps, userId: string): Promise<HomeInput> {
  const at = deps.clock.now();
  const allWatches = await deps.store.watches();
  const repeats = await deps.store.recentRepeats({ userId, limit: REPEATS_READ });
  const channels = await homeChannels(deps.store, userId, allWatches);

  const mayView = async (channel: string, customerText: string): Promise<CustomerRef | null> => {
    const parsed = parseCustomerRef(customerText);
    if (!parsed.ok) return null;
    const decision = await deps.access.canView({ channel, userId }, parsed.ref);
    return decision.ok ? parsed.ref : null;
  };

  const visible: { watch: WatchRecord; customer: CustomerRef }[] = [];
  for (const watch of allWatches.filter((candidate) => channels.has(candidate.channel))) {
    const customer = await mayView(watch.channel, watch.customer);
    if (customer !== null) visible.push({ watch, customer });
  }
  const shownRepeats: { row: (typeof repeats)[number]; customer: CustomerRef }[] = [];
  for (const row of repeats) {
    const customer = await mayView(row.repeat.channel, row.repeat.customer);
    if (customer !== null) shownRepeats.push({ row, customer });
  }
  const { names } = deps;
  const recipeOf = (customer: CustomerRef, recipeId: number): HomeRecipe => ({
    customer,
    recipeId,
    recipeName: names.recipe(customer, recipeId),
    customerName: names.customer(customer),
  });

  const watches: HomeWatch[] = [];
  const openAlerts: HomeAlert[] = [];
  for (const { watch, customer } of visible) {
    const wholeMute = await deps.store.mutedUntil(watch.id, "*");
    const recipe = recipeOf(customer, watch.recipeId);
    watches.push({
      watchId: watch.id,
      channel: watch.channel,
      recipe,
      state: stateOf(watch, wholeMute, at),
      yours: isTheirs(watch, userId),
    });
    for (const thread of await deps.store.alertThreads({ watchId: watch.id })) {
      if (thread.resolvedAt !== null) continue;
      const mute = Math.max((await deps.store.mutedUntil(watch.id, thread.signature)) ?? 0, wholeMute ?? 0);
      openAlerts.push({
        watchId: watch.id,
        signature: thread.signature,
        channel: thread.channel,
        threadTs: thread.ts,
        threadLink: null,
        recipe,
        firstLine: thread.firstLine,
        recipeStopped: thread.signature === RECIPE_STOPPED_SIGNATURE,
        count: thread.count,
        lastSeenAt: thread.lastSeenAt,
        mutedUntil: mute > at ? mute : null,
        toRepeat: await toRepeatOf(deps.store, watch, thread),
        owner: ownerOf(await deps.store.alertState(thread.channel, thread.ts)),
      });
    }
  }
  openAlerts.sort((a, b) => b.lastSeenAt - a.lastSeenAt);

  const homeRepeats: HomeRepeat[] = [];
  for (const { row, customer } of shownRepeats) {
    const followUp = await deps.store.followUpOf(row.repeat.id);
    homeRepeats.push({
      row,
      recipe: recipeOf(customer, row.repeat.recipeId),
      followed: followUp?.counts ?? null,
      threadLink: null,
    });
  }
  // Links only for what the view can show: a permalink is a Slack call the first time.
  await Promise.all([
    ...openAlerts.slice(0, HOME_LINKS).map(async (alert) => {
      alert.threadLink = await deps.permalinks.of({ channel: alert.channel, ts: alert.threadTs });
    }),
    ...homeRepeats.slice(0, HOME_LINKS).map(async (repeat) => {
      repeat.threadLink = await deps.permalinks.of({
        channel: repeat.row.repeat.channel,
        ts: repeat.row.repeat.threadTs,
      });
    }),
  ]);
  return { builtAt: at, userId, watches, openAlerts, repeats: homeRepeats };
}

/** No more alerts or repeats than this are shown with links (the view has 100 blocks). */
const HOME_LINKS = 30;

function stateOf(watch: WatchRecord, wholeMute: number | null, at: number): HomeWatchState {
  if (watch.pausedReason !== null) return { kind: "paused", reason: watch.pausedReason };
  if (wholeMute !== null && wholeMute > at) return { kind: "muted", until: wholeMute };
  return { kind: "active" };
}

/** Who said "I'm on it" for an alert, and since when; null while nobody has it. */
function ownerOf(state: AlertState | undefined): HomeAlert["owner"] {
  return state?.takenBy ? { userId: state.takenBy, since: state.takenAt ?? 0 } : null;
}
