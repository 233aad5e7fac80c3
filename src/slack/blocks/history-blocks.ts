// The private answer to /workato-jobs history: one line per recent repeat in the channel.
import type { KnownBlock } from "@slack/types";
import type { RepeatSummaryRow } from "../../store/store.js";
import { context, type SlackMessage, section } from "./elements.js";
import { countOf, escapeMrkdwn, mentionUser, slackDateOfMs } from "./format.js";
import { packLines, SLACK_LIMITS } from "./limits.js";

export function buildHistoryMessage(input: {
  rows: readonly RepeatSummaryRow[];
  scope: string;
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
        : `${row.enqueued} enqueued · ${row.failed} failed · ${row.unknown} unknown`;
    return `${when} · ${mentionUser(repeat.userId)} · ${countOf(row.total, "job")} of recipe ${repeat.recipeId} for ${escapeMrkdwn(repeat.customer)} — ${outcome}`;
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
