// The App Home tab of one person: the watches of their channels with their state, open alerts, and their recent
// repeats with outcomes. Pure: plain data in, a `home` view out, always within Slack's 100 blocks of a view.
import type { KnownBlock } from "@slack/types";
import type { FollowCounts } from "../../store/follow-up-store.js";
import type { RepeatSummaryRow } from "../../store/store.js";
import type { CustomerRef } from "../../workato/customer-ref.js";
import { stopCauseWords } from "../../workato/stop-cause.js";
import { context, header, section } from "./elements.js";
import { channelMention, countOf, escapeTruncated, recipeOfCustomer, slackDateOfMs } from "./format.js";
import { packLines } from "./limits.js";
import { outcomeLine } from "./outcome-blocks.js";
import { requestTally } from "./status-icons.js";

/** Slack refuses a view of more blocks than this. */
export const HOME_VIEW_MAX_BLOCKS = 100;
/** Sections of lines per part (three parts), leaving room for headers, dividers and "and N more". */
const SECTIONS_PER_PART = 25;
/** Views have no total-text limit; a part stops at these so the tab stays readable. */
const TEXT_PER_PART = 40_000;
const LINES_PER_PART = 60;

export type HomeWatchState =
  | { kind: "active" }
  | { kind: "paused"; reason: string }
  | { kind: "muted"; until: number };

/** Names of a line's customer and recipe, where known; each line falls back to the ids. */
export interface HomeNames {
  customerName?: string | null;
  recipeName?: string | null;
}

export interface HomeWatch extends HomeNames {
  channel: string;
  customer: CustomerRef;
  recipeId: number;
  state: HomeWatchState;
  /** the person is among the watch's mentions, or made it */
  yours: boolean;
}

export interface HomeAlert extends HomeNames {
  channel: string;
  customer: CustomerRef;
  recipeId: number;
  /** the error's first line, or a stopped recipe's cause */
  firstLine: string;
  recipeStopped: boolean;
  count: number;
  lastSeenAt: number;
  mutedUntil: number | null;
}

export interface HomeRepeat extends HomeNames {
  row: RepeatSummaryRow;
  /** what the follow-up learnt of the new jobs; null when they were not followed */
  followed: FollowCounts | null;
}

export interface HomeInput {
  builtAt: number;
  watches: readonly HomeWatch[];
  openAlerts: readonly HomeAlert[];
  repeats: readonly HomeRepeat[];
}

export interface HomeView {
  type: "home";
  blocks: KnownBlock[];
}

function target(customer: string, recipeId: number, names: HomeNames): string {
  return recipeOfCustomer({
    customer,
    recipeId,
    recipeName: names.recipeName ?? null,
    customerName: names.customerName ?? null,
  });
}

function watchLine(watch: HomeWatch): string {
  const state =
    watch.state.kind === "paused"
      ? `:double_vertical_bar: *paused*: ${escapeTruncated(watch.state.reason, 300)}`
      : watch.state.kind === "muted"
        ? `:no_bell: muted until ${slackDateOfMs(watch.state.until)}`
        : ":large_green_circle: active";
  return `• ${channelMention(watch.channel)} · ${target(watch.customer.display, watch.recipeId, watch)} — ${state}${watch.yours ? " · _yours_" : ""}`;
}

function alertLine(alert: HomeAlert): string {
  const what = alert.recipeStopped
    ? `:octagonal_sign: *recipe stopped*: ${escapeTruncated(alert.firstLine ? stopCauseWords(alert.firstLine) : "no cause given", 200)}`
    : `:x: ${countOf(alert.count, "failure")}: ${escapeTruncated(alert.firstLine || "no error text", 200)}`;
  const muted =
    alert.mutedUntil !== null ? ` · :no_bell: muted until ${slackDateOfMs(alert.mutedUntil)}` : "";
  return `• ${channelMention(alert.channel)} · ${target(alert.customer.display, alert.recipeId, alert)} — ${what} · last ${slackDateOfMs(alert.lastSeenAt)}${muted}`;
}

function repeatLine({ row, followed, ...names }: HomeRepeat): string {
  const { repeat } = row;
  const sent =
    row.waiting > 0 ? `sending: ${row.total - row.waiting} of ${row.total} sent` : requestTally(row);
  const outcome = followed === null || followed.total === 0 ? "" : ` → ${outcomeLine(followed)}`;
  return `• ${slackDateOfMs(repeat.createdAt)} · ${channelMention(repeat.channel)} · ${countOf(row.total, "job")} of ${target(repeat.customer, repeat.recipeId, names)} — ${sent}${outcome}`;
}

/** One part: its heading, its lines packed into sections, "and N more" when they did not all fit. */
function part(
  title: string,
  empty: string,
  lines: readonly string[],
  more: (count: number) => string,
): KnownBlock[] {
  const blocks: KnownBlock[] = [header(title)];
  if (lines.length === 0) return [...blocks, context(empty)];
  const packed = packLines(lines.slice(0, LINES_PER_PART), {
    maxSections: SECTIONS_PER_PART,
    maxTotalText: TEXT_PER_PART,
  });
  blocks.push(...packed.texts.map((text) => section(text)));
  if (packed.shown < lines.length) blocks.push(context(`… and ${more(lines.length - packed.shown)}.`));
  return blocks;
}

export function buildHomeView(input: HomeInput): HomeView {
  const blocks: KnownBlock[] = [
    context(
      `Your Workato jobs, as this bot recorded them at ${slackDateOfMs(input.builtAt)}. Channels shown: those where you made a watch, are mentioned by one, or repeated jobs; only what each channel may see.`,
    ),
    ...part(
      "Watches",
      "No watches in your channels. `/workato-jobs watch <customer> <recipe_id>` in a channel adds one.",
      input.watches.map(watchLine),
      (count) => `${count.toLocaleString("en-US")} more ${count === 1 ? "watch" : "watches"}`,
    ),
    { type: "divider" },
    ...part("Open alerts", "No open alerts.", input.openAlerts.map(alertLine), (count) =>
      countOf(count, "more alert"),
    ),
    { type: "divider" },
    ...part(
      "Your recent repeats",
      "You have not repeated jobs yet.",
      input.repeats.map(repeatLine),
      (count) => countOf(count, "older repeat"),
    ),
  ];
  // Three parts of at most 25 sections, 3 headers, 2 dividers, 3 "more" lines and the intro: 84 blocks at most.
  return { type: "home", blocks: blocks.slice(0, HOME_VIEW_MAX_BLOCKS) };
}
