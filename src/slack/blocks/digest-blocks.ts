// The daily digest in its channel (per watched recipe: failures of the last 24 hours, what repeats fixed, what still
// fails, stopped recipes), and the answers to `/workato-jobs digest`: set, off, and how it stands.
import type { KnownBlock } from "@slack/types";
import type { DigestRecipe, DigestReport } from "../../digest/digest-report.js";
import { describeDigestTime } from "../../digest/digest-time.js";
import { recipeKey } from "../../names/names.js";
import type { DigestSchedule } from "../../store/digest-store.js";
import { context, header, type SlackMessage, section } from "./elements.js";
import {
  countOf,
  escapeTruncated,
  inlineCode,
  mentionUser,
  type NamedRecipe,
  recipeOfCustomer,
  slackDateOfMs,
} from "./format.js";
import { threadLink } from "./history-blocks.js";
import { packLines, SLACK_LIMITS } from "./limits.js";

const DIGEST_USAGE = "/workato-jobs digest <HH:MM> [time zone]";

/** A digest's recipe with its names, where they could be read. */
export type NamedDigestRecipe = DigestRecipe & Pick<NamedRecipe, "recipeName" | "customerName">;

function recipeTarget(recipe: NamedDigestRecipe): string {
  return recipeOfCustomer({ ...recipe, customer: recipe.customer.display });
}

function recipeLine(recipe: NamedDigestRecipe, alertLink: string | null): string {
  const lines: string[] = [];
  const latest = alertLink ? ` · ${alertLink}` : "";
  if (recipe.failures === 0) {
    lines.push(`• ${recipeTarget(recipe)} — :white_check_mark: no failures alerted${latest}`);
  } else {
    const parts = [
      `*${countOf(recipe.failures, "failed job")}*`,
      `${recipe.repeatedAndSucceeded.toLocaleString("en-US")} repeated and succeeded`,
      ...(recipe.repeating > 0
        ? [`${recipe.repeating.toLocaleString("en-US")} repeated, outcome pending`]
        : []),
      `${recipe.stillFailing > 0 ? ":x: " : ""}${recipe.stillFailing.toLocaleString("en-US")} still failing`,
    ];
    lines.push(`• ${recipeTarget(recipe)} — ${parts.join(" · ")}${latest}`);
    const kinds = recipe.kinds.map(
      (kind) => `${escapeTruncated(kind.firstLine || "no error text", 120)} ×${kind.count}`,
    );
    if (kinds.length > 0) lines.push(`      most: ${kinds.join(" · ")}`);
  }
  if (recipe.stopped) {
    lines.push(
      `      :octagonal_sign: *stopped* since ${slackDateOfMs(recipe.stopped.since)}: ${escapeTruncated(recipe.stopped.cause || "no cause given", 300)}`,
    );
  }
  const { onCall } = recipe;
  const people = [
    ...(onCall.takenBy.length > 0 ? [`:eyes: ${onCall.takenBy.map(mentionUser).join(", ")} on it`] : []),
    ...onCall.resolvedByHand.map(
      (resolved) =>
        `:heavy_check_mark: resolved by hand by ${mentionUser(resolved.userId)}${resolved.reason ? `: ${escapeTruncated(resolved.reason, 120)}` : ""}`,
    ),
    ...(onCall.escalated > 0 ? [`:mega: ${countOf(onCall.escalated, "alert")} escalated`] : []),
  ];
  if (people.length > 0) lines.push(`      ${people.join(" · ")}`);
  if (recipe.pausedReason !== null) {
    lines.push(`      :double_vertical_bar: watch paused: ${escapeTruncated(recipe.pausedReason, 300)}`);
  }
  return lines.join("\n");
}

/**
 * The digest as the channel gets it, or (`preview`) as `digest now` shows it to one person at once: said to be a
 * preview, and, where the channel has no digest yet, how to set one instead of when it comes. `alertThreads`: each
 * recipe's latest alert thread (its permalink) by recipeKey(customer, recipeId), so one click leads from a line of the
 * digest to the thread.
 */
export function buildDigestMessage(
  report: Omit<DigestReport, "recipes"> & { recipes: readonly NamedDigestRecipe[] },
  alertThreads?: ReadonlyMap<string, string>,
  preview?: { scheduled: boolean },
): SlackMessage {
  const when = describeDigestTime(report.schedule);
  const title = preview ? "Preview: today's digest of watched recipes" : "Daily digest of watched recipes";
  const schedule =
    preview && !preview.scheduled
      ? `this channel has no daily digest yet: ${inlineCode("/workato-jobs digest <HH:MM>")} sets one.`
      : `every day at ${when} · ${inlineCode("/workato-jobs digest off")} stops it.`;
  const period = `The last 24 hours, ${slackDateOfMs(report.from)} – ${slackDateOfMs(report.to)} · ${schedule}`;
  if (report.recipes.length === 0) {
    const text = `${title} (${when}): this channel watches no recipes.`;
    return {
      text,
      blocks: [header(title), section("This channel watches no recipes it may show here."), context(period)],
    };
  }
  const failing = report.recipes.filter((recipe) => recipe.stillFailing > 0).length;
  const stopped = report.recipes.filter((recipe) => recipe.stopped !== null).length;
  const summary = [
    countOf(report.recipes.length, "watched recipe"),
    `${failing.toLocaleString("en-US")} still failing`,
    ...(stopped > 0 ? [`${stopped.toLocaleString("en-US")} stopped`] : []),
  ].join(" · ");
  const lines = report.recipes.map((recipe) =>
    recipeLine(
      recipe,
      threadLink(alertThreads?.get(recipeKey(recipe.customer.display, recipe.recipeId)), "latest alert"),
    ),
  );
  const packed = packLines(lines, {
    maxSections: SLACK_LIMITS.blocksPerMessage - 5,
    maxTotalText: SLACK_LIMITS.messageBlockText - 1500,
  });
  const blocks: KnownBlock[] = [
    header(title),
    section(`*${summary}*`),
    ...packed.texts.map((text) => section(text)),
  ];
  if (packed.shown < report.recipes.length) {
    blocks.push(context(`… and ${countOf(report.recipes.length - packed.shown, "more recipe")}.`));
  }
  blocks.push(context(`${period} Failures count what was alerted here; muted kinds are not counted.`));
  return { text: `${title} (${when}): ${summary}`, blocks };
}

export function buildDigestSetMessage(input: {
  userId: string;
  schedule: DigestSchedule;
  /** "YYYY-MM-DD" in the schedule's zone */
  firstDay: string;
  replaced: boolean;
  /** where the zone came from when none was typed: the person's Slack profile, or UTC for want of one */
  zoneFrom?: "profile" | "fallback";
}): SlackMessage {
  const when = describeDigestTime(input.schedule);
  const verb = input.replaced
    ? "moved this channel's daily digest to"
    : "set a daily digest for this channel at";
  const zoneNote =
    input.zoneFrom === "profile"
      ? ` (${mentionUser(input.userId)}'s time zone in Slack)`
      : input.zoneFrom === "fallback"
        ? " (no time zone was typed and Slack gave none for you)"
        : "";
  const text = `${mentionUser(input.userId)} ${verb} ${when}${zoneNote}.`;
  return {
    text,
    blocks: [
      section(`:calendar: ${text}`),
      context(
        `The first one comes on ${input.firstDay} at ${when}: each watched recipe's failures of the last 24 hours, how many were repeated and succeeded, what still fails, and stopped recipes. ${inlineCode("/workato-jobs digest 09:00 Europe/Berlin")} names another zone; ${inlineCode("/workato-jobs digest now")} shows you today's at once; ${inlineCode("/workato-jobs digest off")} stops it.`,
      ),
    ],
  };
}

export function buildDigestOffMessage(input: { userId: string; removed: boolean }): SlackMessage {
  const text = input.removed
    ? `${mentionUser(input.userId)} stopped this channel's daily digest.`
    : "This channel has no daily digest.";
  return { text, blocks: [section(`${input.removed ? ":wave:" : ":grey_question:"} ${text}`)] };
}

export function buildDigestStatusMessage(schedule: DigestSchedule | undefined): SlackMessage {
  if (!schedule) {
    const text = "This channel has no daily digest.";
    return {
      text,
      blocks: [section(`:calendar: ${text}`), context(`${inlineCode(DIGEST_USAGE)} sets one.`)],
    };
  }
  const text = `This channel's daily digest comes every day at ${describeDigestTime(schedule)}.`;
  return {
    text,
    blocks: [
      section(`:calendar: ${text}`),
      context(`Set by ${mentionUser(schedule.setBy)}. ${inlineCode("/workato-jobs digest off")} stops it.`),
    ],
  };
}
