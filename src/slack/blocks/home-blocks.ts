// The App Home tab of one person: their open alerts with buttons to act on them (Repeat N failed, Unmute) and a link
// to each thread, the watches of their channels with their state (Unmute for a muted one), and their recent repeats
// with links to their threads. Pure: plain data in, a `home` view out, always within Slack's 100 blocks of a view.
import type { Button, KnownBlock } from "@slack/types";
import type { FollowCounts } from "../../store/follow-up-store.js";
import type { RepeatSummaryRow } from "../../store/store.js";
import { stopCauseWords } from "../../workato/stop-cause.js";
import { ACTIONS, type ActionIds, createActionIds, encodeOnCallValue } from "./action-ids.js";
import { unmuteButton } from "./alert-blocks.js";
import { actions, button, context, header, section } from "./elements.js";
import {
  channelMention,
  countOf,
  escapeTruncated,
  mentionUser,
  recipeOfCustomer,
  slackDateOfMs,
} from "./format.js";
import { type RecipeInWorkspace, repeatFailedButton } from "./job-buttons.js";
import { packLines } from "./limits.js";
import { outcomeLine } from "./outcome-blocks.js";
import { requestTally } from "./status-icons.js";

/** Slack refuses a view of more blocks than this. */
export const HOME_VIEW_MAX_BLOCKS = 100;
/** Alerts shown, two blocks each (the alert, its buttons). */
const ALERTS_SHOWN = 20;
/** Blocks for watches: a muted one takes a block of its own (its Unmute button), the rest are packed as lines. */
const WATCH_BLOCKS = 20;
/** Sections of repeat lines. */
const REPEAT_SECTIONS = 10;
/** Views have no total-text limit; a part stops at these so the tab stays readable. */
const TEXT_PER_PART = 40_000;
const LINES_PER_PART = 60;

export type HomeWatchState =
  | { kind: "active" }
  | { kind: "paused"; reason: string }
  | { kind: "muted"; until: number };

/** A recipe as Home names it: its name and its customer's name where known, the ids beside them. */
export interface HomeRecipe extends RecipeInWorkspace {
  customerName: string | null;
}

export interface HomeWatch {
  watchId: number;
  channel: string;
  recipe: HomeRecipe;
  state: HomeWatchState;
  /** the person is among the watch's mentions, or made it */
  yours: boolean;
}

export interface HomeAlert {
  watchId: number;
  /** the error signature, or the recipe-stopped one */
  signature: string;
  channel: string;
  /** the alert's message: its thread's parent */
  threadTs: string;
  /** chat.getPermalink of the alert; null when Slack did not give one */
  threadLink: string | null;
  recipe: HomeRecipe;
  /** the error's first line, or a stopped recipe's cause */
  firstLine: string;
  recipeStopped: boolean;
  count: number;
  lastSeenAt: number;
  mutedUntil: number | null;
  /** the failed originals Repeat N failed offers (the click reads their lineage again), and the oldest's start */
  toRepeat: { masterIds: readonly string[]; oldestStartedAt: number | null };
  /** who has it ("I'm on it"); null: nobody */
  owner: { userId: string; since: number } | null;
}

export interface HomeRepeat {
  row: RepeatSummaryRow;
  recipe: HomeRecipe;
  /** what the follow-up learnt of the new jobs; null when they were not followed */
  followed: FollowCounts | null;
  /** chat.getPermalink of the repeat's thread; null when Slack did not give one */
  threadLink: string | null;
}

export interface HomeInput {
  builtAt: number;
  /** whose Home this is: they may release what they took */
  userId?: string;
  watches: readonly HomeWatch[];
  openAlerts: readonly HomeAlert[];
  repeats: readonly HomeRepeat[];
}

export interface HomeView {
  type: "home";
  blocks: KnownBlock[];
}

const MUTE_SIGNATURE = /^[0-9a-f]{12}$/;

/** The recipe and its customer as every message names them (format.ts), the ids beside the names. */
function target(recipe: HomeRecipe): string {
  return recipeOfCustomer({ ...recipe, customer: recipe.customer.display });
}

/** A link Slack gave us, as mrkdwn; its text is ours. */
function link(url: string, text: string): string {
  return `<${url.replace(/[<>|]/g, "")}|${text}>`;
}

function watchState(watch: HomeWatch): string {
  return watch.state.kind === "paused"
    ? `:double_vertical_bar: *paused*: ${escapeTruncated(watch.state.reason, 300)}`
    : watch.state.kind === "muted"
      ? `:no_bell: muted until ${slackDateOfMs(watch.state.until)}`
      : ":large_green_circle: active";
}

function watchLine(watch: HomeWatch): string {
  return `• ${channelMention(watch.channel)} · ${target(watch.recipe)} — ${watchState(watch)}${watch.yours ? " · _yours_" : ""}`;
}

function alertText(alert: HomeAlert): string {
  const what = alert.recipeStopped
    ? `:octagonal_sign: *recipe stopped*: ${escapeTruncated(alert.firstLine ? stopCauseWords(alert.firstLine) : "no cause given", 200)}`
    : `:x: *${countOf(alert.count, "failure")}*: ${escapeTruncated(alert.firstLine || "no error text", 200)}`;
  const facts = [
    `last ${slackDateOfMs(alert.lastSeenAt)}`,
    ...(alert.mutedUntil !== null ? [`:no_bell: muted until ${slackDateOfMs(alert.mutedUntil)}`] : []),
    ...(alert.owner !== null
      ? [`:eyes: ${mentionUser(alert.owner.userId)} is on it since ${slackDateOfMs(alert.owner.since)}`]
      : []),
    ...(alert.threadLink !== null ? [link(alert.threadLink, "Open thread")] : []),
  ];
  return `${target(alert.recipe)} in ${channelMention(alert.channel)}\n${what}\n${facts.join(" · ")}`;
}

/** The mute an Unmute button of this alert ends: the whole watch's, or this kind's. */
function unmuteSignatureOf(alert: HomeAlert, watchMutedUntil: number | null): string | null {
  if (alert.mutedUntil === null) return null;
  if (watchMutedUntil !== null && watchMutedUntil >= alert.mutedUntil) return "*";
  return MUTE_SIGNATURE.test(alert.signature) ? alert.signature : null;
}

/**
 * The buttons of one alert: Repeat N failed (the channel's dialog, its value naming the alert so the repeat reports
 * in its thread), I'm on it or Release, and Unmute.
 */
function alertButtons(
  ids: ActionIds,
  alert: HomeAlert,
  watchMutedUntil: number | null,
  viewer: string | undefined,
): Button[] {
  const repeat = MUTE_SIGNATURE.test(alert.signature)
    ? repeatFailedButton(
        ids,
        alert.recipe,
        alert.toRepeat.masterIds,
        undefined,
        alert.toRepeat.oldestStartedAt,
        { watchId: alert.watchId, signature: alert.signature },
      )
    : null;
  const unmute = unmuteSignatureOf(alert, watchMutedUntil);
  return [
    ...(repeat ? [repeat.button] : []),
    ...takeButtons(ids, alert, viewer),
    ...(unmute !== null ? [unmuteButton(ids, alert.watchId, unmute)] : []),
  ];
}

/**
 * "I'm on it" while nobody has the alert, "Release" for whoever has it (the same actions as on the alert; the value
 * names the alert, so the click acts on it as if made in its channel).
 */
function takeButtons(ids: ActionIds, alert: HomeAlert, viewer: string | undefined): Button[] {
  const value = encodeOnCallValue({ w: alert.watchId, m: alert.threadTs });
  if (alert.owner === null) return [button(ids.next(ACTIONS.takeAlert), "I'm on it", value)];
  return alert.owner.userId === viewer ? [button(ids.next(ACTIONS.releaseAlert), "Release", value)] : [];
}

function repeatLine({ row, followed, recipe, threadLink }: HomeRepeat): string {
  const { repeat } = row;
  const sent =
    row.waiting > 0 ? `sending: ${row.total - row.waiting} of ${row.total} sent` : requestTally(row);
  const outcome = followed === null || followed.total === 0 ? "" : ` → ${outcomeLine(followed)}`;
  const thread = threadLink !== null ? ` · ${link(threadLink, "thread")}` : "";
  return `• ${slackDateOfMs(repeat.createdAt)} · ${channelMention(repeat.channel)} · ${countOf(row.total, "job")} of ${target(recipe)} — ${sent}${outcome}${thread}`;
}

/** Lines packed into at most `maxSections` sections, then "and N more" when they did not all fit. */
function packed(
  lines: readonly string[],
  maxSections: number,
  more: (count: number) => string,
): KnownBlock[] {
  const { texts, shown } = packLines(lines.slice(0, LINES_PER_PART), {
    maxSections,
    maxTotalText: TEXT_PER_PART,
  });
  const blocks: KnownBlock[] = texts.map((text) => section(text));
  if (shown < lines.length) blocks.push(context(`… and ${more(lines.length - shown)}.`));
  return blocks;
}

function alertsPart(ids: ActionIds, input: HomeInput): KnownBlock[] {
  const blocks: KnownBlock[] = [header("Open alerts")];
  if (input.openAlerts.length === 0) return [...blocks, context("No open alerts.")];
  const watchMutes = new Map(
    input.watches.map((watch) => [watch.watchId, watch.state.kind === "muted" ? watch.state.until : null]),
  );
  for (const alert of input.openAlerts.slice(0, ALERTS_SHOWN)) {
    blocks.push(section(alertText(alert)));
    const row = actions(alertButtons(ids, alert, watchMutes.get(alert.watchId) ?? null, input.userId));
    if (row) blocks.push(row);
  }
  const more = input.openAlerts.length - ALERTS_SHOWN;
  if (more > 0) blocks.push(context(`… and ${countOf(more, "more alert")}.`));
  return blocks;
}

function watchesPart(ids: ActionIds, input: HomeInput): KnownBlock[] {
  const blocks: KnownBlock[] = [header("Watches")];
  if (input.watches.length === 0)
    return [
      ...blocks,
      context(
        "No watches in your channels. `/workato-jobs watch <customer> <recipe_id>` in a channel adds one.",
      ),
    ];
  // Muted watches first, each with its Unmute; the others as lines in what room is left.
  const muted = input.watches.filter((watch) => watch.state.kind === "muted").slice(0, WATCH_BLOCKS / 2);
  for (const watch of muted) {
    blocks.push(section(watchLine(watch), unmuteButton(ids, watch.watchId, "*")));
  }
  const rest = input.watches.filter((watch) => !muted.includes(watch));
  blocks.push(
    ...packed(rest.map(watchLine), WATCH_BLOCKS - muted.length, (count) =>
      count === 1 ? "1 more watch" : `${count.toLocaleString("en-US")} more watches`,
    ),
  );
  return blocks;
}

function repeatsPart(input: HomeInput): KnownBlock[] {
  const blocks: KnownBlock[] = [header("Your recent repeats")];
  if (input.repeats.length === 0) return [...blocks, context("You have not repeated jobs yet.")];
  return [
    ...blocks,
    ...packed(input.repeats.map(repeatLine), REPEAT_SECTIONS, (count) => countOf(count, "older repeat")),
  ];
}

export function buildHomeView(input: HomeInput): HomeView {
  const ids = createActionIds();
  const blocks: KnownBlock[] = [
    context(
      `Your Workato jobs, as this bot recorded them at ${slackDateOfMs(input.builtAt)}. Channels shown: those where you made a watch, are mentioned by one, or repeated jobs; only what you may see in each.`,
    ),
    ...alertsPart(ids, input),
    { type: "divider" },
    ...watchesPart(ids, input),
    { type: "divider" },
    ...repeatsPart(input),
  ];
  // 1 intro + (1 + 20×2 + 1) alerts + 1 + (1 + 20 + 1) watches + 1 + (1 + 10 + 1) repeats: 80 blocks at most.
  return { type: "home", blocks: blocks.slice(0, HOME_VIEW_MAX_BLOCKS) };
}
