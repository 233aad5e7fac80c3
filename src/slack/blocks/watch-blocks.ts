// Answers to the watch commands: a watch started or changed, a watch removed, and this channel's watches with their
// state, mutes and the interval the poller's budget actually gives them.

import type { KnownBlock } from "@slack/types";
import type { EscalationStep } from "../../store/alert-state-store.js";
import { POLLER_SHARE_OF_LIMIT } from "../../watch/poll-budget.js";
import type { CustomerRef } from "../../workato/customer-ref.js";
import { JOBS_REQUESTS_PER_MINUTE } from "../../workato/limits.js";
import { safeMentions } from "./alert-blocks.js";
import { context, type SlackMessage, section } from "./elements.js";
import { escapeTruncated, inlineCode, mentionUser, recipeOfCustomer, slackDateOfMs } from "./format.js";
import { packLines, SLACK_LIMITS } from "./limits.js";

export interface WatchTargetView {
  customer: CustomerRef;
  recipeId: number;
  /** the recipe's name when it could be read; "recipe 28904" otherwise */
  recipeName?: string | null;
  /** the directory's name of the customer; "customer `23456`" otherwise */
  customerName?: string | null;
}

function target(view: WatchTargetView): string {
  return recipeOfCustomer({ ...view, customer: view.customer.display });
}

/** "60 s", "1 min 15 s", "2.5 s". */
export function formatInterval(seconds: number): string {
  if (seconds < 10) return `${Number(seconds.toFixed(1))} s`;
  const whole = Math.round(seconds);
  if (whole < 120) return `${whole} s`;
  const minutes = Math.floor(whole / 60);
  const rest = whole % 60;
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`;
}

function intervalWords(interval: { actualSeconds: number; targetSeconds: number }): string {
  const actual = formatInterval(interval.actualSeconds);
  if (interval.actualSeconds <= interval.targetSeconds) return `every ${actual}`;
  return `every ${actual} (${formatInterval(interval.targetSeconds)} asked for; the poller keeps to ${Math.round(POLLER_SHARE_OF_LIMIT * 100)}% of Workato's ${JOBS_REQUESTS_PER_MINUTE.toLocaleString("en-US")} requests a minute, spread over all watches)`;
}

/** The runbook as a link Slack draws; the address was checked when typed (no `|` or `>` can end it early). */
function runbookLink(url: string | null): string | null {
  return url === null ? null : `<${url.replaceAll("&", "&amp;")}|runbook>`;
}

export function buildWatchStartedMessage(input: {
  userId: string;
  watch: WatchTargetView & {
    mentions: readonly string[];
    runbookUrl?: string | null;
    escalation?: readonly EscalationStep[];
  };
  updated: boolean;
  interval: { actualSeconds: number; targetSeconds: number };
}): SlackMessage {
  const mentions = safeMentions(input.watch.mentions);
  const verb = input.updated ? "updated the watch of" : "is now watching";
  const who = mentionUser(input.userId);
  // Counted, not written out: mentions in this in-channel answer would ping everyone named right away.
  const mentioning =
    mentions.length > 0
      ? ` The first alert of each kind of error mentions the ${mentions.length === 1 ? "person or group" : `${mentions.length} people or groups`} given (${inlineCode("/workato-jobs watches")} shows who).`
      : "";
  // Counted too: the people to escalate to are mentioned only when an alert goes unanswered.
  const steps = input.watch.escalation ?? [];
  const escalating =
    steps.length > 0
      ? ` An alert nobody takes or resolves escalates in its thread ${steps.map((step) => `after ${Math.round(step.afterMs / 60_000)} min`).join(", then ")}.`
      : "";
  const text = `${who} ${verb} ${target(input.watch)} in this channel.`;
  const runbook = runbookLink(input.watch.runbookUrl ?? null);
  const runbookWords = runbook ? ` Its alerts carry a Runbook button (${runbook}).` : "";
  return {
    text,
    blocks: [
      section(`:eyes: ${text}`),
      context(
        `New failed jobs are checked ${intervalWords(input.interval)} and alerted here, grouped by error.${mentioning}${escalating}${runbookWords} Failures from before now are not alerted.`,
      ),
    ],
  };
}

export function buildUnwatchedMessage(input: { userId: string; watch: WatchTargetView }): SlackMessage {
  const text = `${mentionUser(input.userId)} stopped watching ${target(input.watch)} in this channel.`;
  return { text, blocks: [section(`:wave: ${text}`)] };
}

export function buildNoSuchWatchMessage(watch: WatchTargetView): SlackMessage {
  const text = `This channel has no watch of ${target(watch)}.`;
  return {
    text,
    blocks: [
      section(`:grey_question: ${text}`),
      context(`${inlineCode("/workato-jobs watches")} lists them.`),
    ],
  };
}

export interface WatchListItem extends WatchTargetView {
  mentions: readonly string[];
  createdBy: string;
  pausedReason: string | null;
  /** a mute of the whole watch, while it lasts */
  mutedUntil: number | null;
  /** kinds of error muted now, by their first line (null: an alert from before first lines were kept) */
  mutedKinds: readonly { firstLine: string | null; until: number }[];
  lastPolledAt: number | null;
  /** the page its alerts' Runbook button opens */
  runbookUrl: string | null;
  /** who an unanswered alert escalates to, and when; absent or [] for none */
  escalation?: readonly EscalationStep[];
}

/** "then <@U0SEC> after 15 min, then <!subteam^S0LEADS> after 60 min" */
function escalationWords(steps: readonly EscalationStep[]): string {
  return steps
    .map(
      (step) =>
        `then ${safeMentions(step.mentions).join(" ")} after ${Math.round(step.afterMs / 60_000)} min`,
    )
    .join(", ");
}

/** "1 watch", "3 active watches" (countOf would say "watchs"). */
function watchCount(count: number, adjective = ""): string {
  return `${count.toLocaleString("en-US")} ${adjective}${count === 1 ? "watch" : "watches"}`;
}

function watchLine(item: WatchListItem): string {
  const state =
    item.pausedReason !== null
      ? `:double_vertical_bar: *paused*: ${escapeTruncated(item.pausedReason, 600)}`
      : item.mutedUntil !== null
        ? `:no_bell: muted until ${slackDateOfMs(item.mutedUntil)}`
        : ":large_green_circle: active";
  const mentions = safeMentions(item.mentions);
  const details = [
    mentions.length > 0 ? `mentions ${mentions.join(" ")}` : "no mentions",
    runbookLink(item.runbookUrl) ?? "no runbook",
    ...((item.escalation ?? []).length > 0 ? [`escalates ${escalationWords(item.escalation ?? [])}`] : []),
    `last checked ${item.lastPolledAt === null ? "not yet" : slackDateOfMs(item.lastPolledAt)}`,
    `added by ${mentionUser(item.createdBy)}`,
  ];
  const mutes = item.mutedKinds
    .slice(0, 5)
    .map(
      (kind) =>
        `\n      :no_bell: ${kind.firstLine ? `“${escapeTruncated(kind.firstLine, 120)}”` : "one kind of error"} muted until ${slackDateOfMs(kind.until)}`,
    )
    .join("");
  const more =
    item.mutedKinds.length > 5 ? `\n      … and ${item.mutedKinds.length - 5} more muted kinds` : "";
  return `• ${target(item)} — ${state}\n      ${details.join(" · ")}${mutes}${more}`;
}

/**
 * This channel's watches. Mentions are shown as Slack renders them; the answer is private (ephemeral), and Slack does
 * not notify anyone for mentions in an ephemeral message.
 */
export function buildWatchesMessage(input: {
  watches: readonly WatchListItem[];
  interval: { actualSeconds: number; targetSeconds: number };
  activeWatchesEverywhere: number;
}): SlackMessage {
  if (input.watches.length === 0) {
    const text = "This channel watches no recipes.";
    return {
      text,
      blocks: [
        section(`:mag: ${text}`),
        context(
          `${inlineCode("/workato-jobs watch <customer> <recipe_id> [@person|@group …] [runbook <url>]")} adds one.`,
        ),
      ],
    };
  }
  const heading = `*${watchCount(input.watches.length)} in this channel* — each recipe is checked ${intervalWords(input.interval)}.`;
  const packed = packLines(input.watches.map(watchLine), {
    maxSections: SLACK_LIMITS.blocksPerMessage - 3,
    maxTotalText: SLACK_LIMITS.messageBlockText - 1000,
  });
  const blocks: KnownBlock[] = [section(heading), ...packed.texts.map((text) => section(text))];
  if (packed.shown < input.watches.length) {
    blocks.push(context(`… and ${watchCount(input.watches.length - packed.shown, "more ")}.`));
  }
  blocks.push(
    context(
      `${watchCount(input.activeWatchesEverywhere, "active ")} in all channels share the poller's budget. ${inlineCode("/workato-jobs unwatch <customer> <recipe_id>")} removes one.`,
    ),
  );
  return { text: `${watchCount(input.watches.length)} in this channel`, blocks };
}
