// The thread replies of a recovery: one compact line per job, as many lines per reply as Block Kit allows. Its
// summary is the repeat summary (repeat-blocks.ts), which says how many were not sent and who stopped it.
import type { KnownBlock } from "@slack/types";
import type { JobRepeatResult } from "../../workato/client.js";
import { context, type SlackMessage, section } from "./elements.js";
import { escapeTruncated, inlineCode } from "./format.js";
import { packLines, SLACK_LIMITS } from "./limits.js";
import { describeRepeatFailure } from "./repeat-blocks.js";
import { countRequests, ICON, requestTally, requestTallyText } from "./status-icons.js";

/** One job's result in one line: short enough that a reply holds a hundred or more. */
export function compactResultLine(result: JobRepeatResult): string {
  switch (result.outcome) {
    case "enqueued":
      return `${ICON.enqueued} ${inlineCode(result.jobId)} → ${inlineCode(result.newJobId)}`;
    case "failed":
      return `${ICON.refused} ${inlineCode(result.jobId)} — ${truncatedReason(describeRepeatFailure(result.typeId, result.message))}`;
    case "unknown":
      return `${ICON.unknown} ${inlineCode(result.jobId)} — outcome unknown (${escapeTruncated(result.message, 100)})`;
  }
}

function truncatedReason(reason: string): string {
  return reason.length > 160 ? `${reason.slice(0, 159)}…` : reason;
}

/** Most lines one reply carries, so a reply stays readable on a phone and well inside the text limit. */
export const MAX_RESULTS_PER_REPLY = 100;

/**
 * One reply holding the first results of `pending` that fit (at least one), and how many that is. The heading
 * numbers the jobs so a long thread can be followed ("Jobs 201–300 of 1,200").
 */
export function buildResultsReply(
  pending: readonly JobRepeatResult[],
  numbering: { firstNumber: number; total: number },
): { message: SlackMessage; count: number } {
  const candidates = pending.slice(0, MAX_RESULTS_PER_REPLY);
  const packed = packLines(candidates.map(compactResultLine), {
    maxSections: SLACK_LIMITS.blocksPerMessage - 1,
    maxTotalText: SLACK_LIMITS.messageBlockText - 400,
  });
  const count = Math.max(1, packed.shown);
  const shown = candidates.slice(0, count);
  const last = numbering.firstNumber + count - 1;
  const counts = countRequests(shown);
  const range = `Jobs ${numbering.firstNumber.toLocaleString("en-US")}–${last.toLocaleString("en-US")} of ${numbering.total.toLocaleString("en-US")}`;
  const blocks: KnownBlock[] = [
    context(`*${range}:* ${requestTally(counts)}`),
    ...(packed.shown > 0 ? packed.texts : [truncatedLine(shown)]).map((text) => section(text)),
  ];
  return { message: { text: `${range}: ${requestTallyText(counts)}`, blocks }, count };
}

function truncatedLine(shown: readonly JobRepeatResult[]): string {
  const first = shown[0];
  return first ? compactResultLine(first).slice(0, SLACK_LIMITS.sectionText) : "";
}
