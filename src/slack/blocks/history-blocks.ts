// The private answer to /workato-jobs history: one line per recent repeat in the channel, with what became of its
// new jobs once their follow-up knows.
import type { KnownBlock } from "@slack/types";
import { recipeKey } from "../../names/names.js";
import type { FollowUpRecord } from "../../store/follow-up-store.js";
import type { RepeatSummaryRow } from "../../store/store.js";
import { context, type SlackMessage, section } from "./elements.js";
import { countOf, escapeMrkdwn, escapeTruncated, mentionUser, slackDateOfMs } from "./format.js";
import { packLines, SLACK_LIMITS } from "./limits.js";
import { outcomeLine } from "./outcome-blocks.js";
import { requestTally } from "./status-icons.js";

/** The follow-up as history needs it: its counts, and whether and why it ended. */
export type HistoryOutcome = Pick<FollowUpRecord, "counts" | "finishedAt" | "finishReason">;

export function buildHistoryMessage(input: {
  rows: readonly RepeatSummaryRow[];
  scope: string;
  /** by repeat id; a repeat without one was never followed (an older bot, or nothing enqueued) */
  outcomes?: ReadonlyMap<number, HistoryOutcome>;
  /** recipe names by recipeKey(customer, recipeId); a recipe without one is shown by its id */
  recipeNames?: ReadonlyMap<string, string>;
  /** customer names by CustomerRef.display; a customer without one is shown by its id */
  customerNames?: ReadonlyMap<string, string>;
  /** each repeat's thread (its permalink) by repeat id: one click to its results */
  threadLinks?: ReadonlyMap<number, string>;
}): SlackMessage {
  const heading = `*Recent repeats* ${escapeMrkdwn(input.scope)}`;
  if (input.rows.length === 0) {
    return { text: `No repeats yet ${input.scope}.`, blocks: [section(`${heading}\nNo repeats yet.`)] };
  }
  const lines = input.rows.map((row) => {
    const { repeat } = row;
    const when = slackDateOfMs(repeat.createdAt);
    const outcome =
      row.waiting > 0
        ? `running: ${row.total - row.waiting} of ${row.total} done`
        : sentAndOutcome(row, input.outcomes?.get(repeat.id));
    const name = input.recipeNames?.get(recipeKey(repeat.customer, repeat.recipeId));
    const recipe = name
      ? `${escapeTruncated(name, 80)} (recipe ${repeat.recipeId})`
      : `recipe ${repeat.recipeId}`;
    const thread = threadLink(input.threadLinks?.get(repeat.id));
    return `${when} · ${mentionUser(repeat.userId)} · ${countOf(row.total, "job")} of ${recipe} for ${escapeMrkdwn(input.customerNames?.get(repeat.customer) ?? repeat.customer)} — ${outcome}${thread ? ` · ${thread}` : ""}`;
  });
  const packed = packLines([heading, ...lines], {
    maxSections: SLACK_LIMITS.blocksPerMessage - 1,
    maxTotalText: SLACK_LIMITS.messageBlockText - 300,
  });
  const blocks: KnownBlock[] = packed.texts.map((text) => section(text));
  if (packed.shown < lines.length + 1)
    blocks.push(context(`… and ${lines.length + 1 - packed.shown} older repeats.`));
  return { text: `${countOf(input.rows.length, "recent repeat")} ${input.scope}`, blocks };
}

/** A permalink as a Slack link: its `&` written as Slack wants inside `<…>`, and nothing in it can end the link. */
export function threadLink(permalink: string | undefined, label = "thread"): string | null {
  if (permalink === undefined || /[<>|\s]/.test(permalink)) return null;
  return `<${permalink.replaceAll("&", "&amp;")}|${label}>`;
}

/** "📤 10 enqueued · 🚫 0 refused · ⚠️ 0 unknown → ✅ 8 succeeded · ❌ 1 failed again · ⏳ 1 running (following)". */
function sentAndOutcome(row: RepeatSummaryRow, outcome: HistoryOutcome | undefined): string {
  const sent = requestTally(row);
  if (!outcome || outcome.counts.total === 0) return sent;
  const still =
    outcome.finishReason === "time_limit"
      ? " (stopped following at the time limit)"
      : outcome.finishedAt === null
        ? " (following)"
        : "";
  return `${sent} → ${outcomeLine(outcome.counts)}${still}`;
}
