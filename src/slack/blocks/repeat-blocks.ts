// Messages about repeating jobs: the thread's parent, one reply per repeat_jobs request, the final summary,
// Workato's refusals as worded in workato/, and the note that replaces a repeat button once it was used.
import type { ContextBlock, KnownBlock } from "@slack/types";
import { type LeftOut, leftOutCount } from "../../lineage/lineage.js";
import type { JobRepeatResult } from "../../workato/client.js";
import type { CustomerRef } from "../../workato/customer-ref.js";
import { describeRepeatJobError } from "../../workato/repeat-job-errors.js";
import {
  ACTION_PATTERNS,
  ACTIONS,
  createActionIds,
  decodeButtonValue,
  encodeConfirmValue,
} from "./action-ids.js";
import { button, confirmDialog, context, type SlackMessage, section } from "./elements.js";
import {
  countOf,
  customerText,
  escapeMrkdwn,
  escapeTruncated,
  inlineCode,
  MISSING,
  mentionUser,
  slackDate,
  truncate,
} from "./format.js";
import { recipeLabel } from "./job-buttons.js";
import { jobIdList } from "./job-id-list.js";
import { cannotRepeatWords, leftOutReasons } from "./lineage-words.js";
import { type SummaryOutcomes, summaryHeading, summaryNote } from "./outcome-blocks.js";
import { countRequests, ICON, requestTally, requestTallyText } from "./status-icons.js";

export { jobIdList };

import { packLines, SLACK_LIMITS } from "./limits.js";

export interface RepeatStartedInput {
  userId: string;
  count: number;
  recipeName: string | null;
  recipeId: number;
  customer: CustomerRef;
  /** the directory's name of the customer; null or absent: shown by id */
  customerName?: string | null;
}

export function buildRepeatStartedMessage(input: RepeatStartedInput): SlackMessage {
  const recipe = escapeTruncated(recipeLabel(input.recipeName, input.recipeId), 150);
  const text = `${mentionUser(input.userId)} is repeating ${countOf(input.count, "job")} of ${recipe} for ${escapeMrkdwn(customerText(input.customer, input.customerName))}`;
  return {
    text,
    blocks: [section(`:repeat: ${text}`), context("Each request to Workato is reported in this thread.")],
  };
}

/** The private question /workato-jobs repeat asks first, with Slack's own confirm dialog stating the count. */
export function buildRepeatConfirmation(input: {
  token: string;
  jobIds: readonly string[];
  recipeName: string | null;
  recipeId: number;
  customer: CustomerRef;
  /** the directory's name of the customer; null or absent: shown by id */
  customerName?: string | null;
  /** jobs asked for but left out, as lineage found them: listed apart */
  leftOut?: LeftOut;
  /** jobs already handled that `again` includes on purpose */
  includedAgain?: readonly string[];
}): SlackMessage {
  const recipe = truncate(recipeLabel(input.recipeName, input.recipeId), 80);
  const jobs = countOf(input.jobIds.length, "job");
  const customer = customerText(input.customer, input.customerName);
  const text = `Repeat ${jobs} of ${escapeMrkdwn(recipe)} for ${escapeMrkdwn(customer)}?`;
  const handled = handledBlocks(input.leftOut, input.includedAgain ?? []);
  if (input.jobIds.length === 0) {
    const nothing = "Nothing to repeat: every job you named was left out.";
    return {
      text: nothing,
      blocks: [
        section(`:information_source: ${nothing}`),
        ...handled,
        context("Only you see this. Add `again` at the end of the command to repeat them on purpose."),
      ],
    };
  }
  const again = (input.includedAgain?.length ?? 0) > 0;
  const confirm = button(
    createActionIds().next(ACTIONS.confirmRepeat),
    `Repeat ${jobs}`,
    encodeConfirmValue(input.token),
    {
      style: "primary",
      confirm: confirmDialog({
        title: `Repeat ${jobs}?`,
        text: `This runs the recipe again for ${jobs} of ${recipe} for ${truncate(customer, 60)}.${
          again
            ? ` ${input.includedAgain?.length} of them were already repeated (succeeded, running or unknown) and are repeated again because you said again.`
            : ""
        }`,
        confirm: again ? "Repeat anyway" : "Repeat",
        deny: "Cancel",
      }),
    },
  );
  return {
    text,
    blocks: [
      section(`:repeat: ${text}
${jobIdList(input.jobIds, 2000)}`),
      ...handled,
      { type: "actions", elements: [confirm] },
      context("Only you see this. The results will be posted in a thread in this channel."),
    ],
  };
}

const HANDLED_IDS_LENGTH = 600;

/** The typed repeat's jobs that were already handled: left out (by reason), or included on purpose with `again`. */
function handledBlocks(leftOut: LeftOut | undefined, includedAgain: readonly string[]): KnownBlock[] {
  const lines: string[] = [];
  if (leftOut && leftOutCount(leftOut) > 0) {
    lines.push(`*Left out:* ${escapeMrkdwn(leftOutReasons(leftOut))}`);
    const groups: [string, string[]][] = [
      ["already repeated and succeeded", leftOut.succeeded],
      ["repeat still running", leftOut.running],
      ["repeat state unknown", leftOut.unknown],
    ];
    for (const why of ["past_retention", "repeat_limit", "not_master"] as const) {
      const ids = leftOut.cannotRepeat.filter((job) => job.why === why).map((job) => job.jobId);
      groups.push([`can't be repeated, ${cannotRepeatWords(why)}`, ids]);
    }
    for (const [why, jobIds] of groups) {
      if (jobIds.length > 0) lines.push(`• ${why}: ${jobIdList(jobIds, HANDLED_IDS_LENGTH)}`);
    }
    // Workato refuses the ones it cannot repeat whatever the command says.
    if (leftOutCount(leftOut) > leftOut.cannotRepeat.length) {
      lines.push("_Add `again` at the end of the command to repeat the others on purpose._");
    }
  }
  if (includedAgain.length > 0) {
    lines.push(
      `:warning: *Repeated again on purpose* (you said \`again\`), although already repeated: ${jobIdList(includedAgain, HANDLED_IDS_LENGTH)}`,
    );
  }
  return lines.length === 0 ? [] : [section(lines.join("\n"))];
}

/** Why Workato did not repeat a job (worded in workato/repeat-job-errors.ts), mrkdwn-safe. */
export function describeRepeatFailure(typeId: string | null, message: string): string {
  return describeRepeatJobError(typeId, message, (reason) => escapeTruncated(reason, 200));
}

/** One job's answer from Workato, in the legend's icons: enqueued is never a green tick. */
function resultLine(result: JobRepeatResult): string {
  switch (result.outcome) {
    case "enqueued":
      return `${ICON.enqueued} ${inlineCode(result.jobId)} → ${inlineCode(result.newJobId)}`;
    case "failed":
      return `${ICON.refused} ${inlineCode(result.jobId)} — ${describeRepeatFailure(result.typeId, result.message)}`;
    case "unknown":
      return `${ICON.unknown} ${inlineCode(result.jobId)} — *outcome unknown*: Workato may or may not have run it (${escapeTruncated(result.message, 150)})`;
  }
}

/** Room for the "… and N more" line that ends a cut-short list. */
const TAIL_RESERVE = 300;

/**
 * One thread reply per repeat_jobs request (up to 25 results; longer lists are cut short, never refused). Results
 * recorded before a restart and never posted have no request of their own here: `batchNumber` "before the restart".
 */
export function buildRepeatBatchReply(input: {
  batchNumber: number | "before the restart";
  results: readonly JobRepeatResult[];
}): SlackMessage {
  const counts = countRequests(input.results);
  const label =
    input.batchNumber === "before the restart"
      ? "Answered before the restart"
      : `Request ${input.batchNumber}`;
  const heading = `*${label}:* ${requestTally(counts)}`;
  const packed = packLines([heading, ...input.results.map(resultLine)], {
    maxSections: SLACK_LIMITS.blocksPerMessage - 1,
    maxTotalText: SLACK_LIMITS.messageBlockText - TAIL_RESERVE,
  });
  const blocks: KnownBlock[] = packed.texts.map((text) => section(text));
  const resultsShown = Math.max(0, packed.shown - 1);
  if (resultsShown < input.results.length) {
    blocks.push(
      context(
        `… and ${countOf(input.results.length - resultsShown, "more job")}; the summary counts them all.`,
      ),
    );
  }
  return { text: `${label}: ${requestTallyText(counts)}`, blocks };
}

const MAX_REASON_GROUPS = 10;
const IDS_PER_REASON = 300;
const UNKNOWN_IDS_LENGTH = 2500;

/** A recovery someone stopped: who, and how many jobs were never sent. */
export interface SummaryStop {
  stoppedBy: string | null;
  notSent: number;
}

/**
 * A repeat's one summary, posted once its requests are answered and edited in place as the follow-up learns what
 * became of the new jobs: a heading that says only what is known, who asked and Workato's answers, who stopped it,
 * refusals grouped by reason, and the jobs whose fate is unknown.
 */
export function buildRepeatSummary(input: {
  results: readonly JobRepeatResult[];
  userId: string;
  /** what became of the new jobs, once the follow-up knows */
  outcomes?: SummaryOutcomes;
  /** a recovery stopped before every job was sent */
  stop?: SummaryStop;
}): SlackMessage {
  const counts = countRequests(input.results);
  const { failed, unknown } = counts;
  const heading = summaryHeading(counts.enqueued, input.outcomes);
  const blocks: KnownBlock[] = [
    section(`${heading.mrkdwn}\nRequested by ${mentionUser(input.userId)} · ${requestTally(counts)}`),
  ];
  const stop = input.stop;
  const stopped = stop !== undefined && (stop.stoppedBy !== null || stop.notSent > 0);
  if (stopped) {
    const by = stop.stoppedBy === null ? "" : ` by ${mentionUser(stop.stoppedBy)}`;
    blocks.push(
      section(
        `${ICON.stopped} *Stopped*${by}: ${countOf(stop.notSent, "job")} not sent. Run the same command again to repeat what is left.`,
      ),
    );
  }

  if (failed > 0) {
    const byReason = new Map<string, string[]>();
    for (const result of input.results) {
      if (result.outcome !== "failed") continue;
      const reason = describeRepeatFailure(result.typeId, result.message);
      const jobIds = byReason.get(reason);
      if (jobIds) jobIds.push(result.jobId);
      else byReason.set(reason, [result.jobId]);
    }
    const groups = [...byReason.entries()].sort((a, b) => b[1].length - a[1].length);
    const lines = groups
      .slice(0, MAX_REASON_GROUPS)
      .map(
        ([reason, jobIds]) =>
          `${ICON.refused} *${jobIds.length}* × ${reason}\n      ${jobIdList(jobIds, IDS_PER_REASON)}`,
      );
    const otherGroups = groups.slice(MAX_REASON_GROUPS);
    if (otherGroups.length > 0) {
      const jobs = otherGroups.reduce((sum, [, jobIds]) => sum + jobIds.length, 0);
      lines.push(`… and ${countOf(otherGroups.length, "other reason")} (${countOf(jobs, "job")})`);
    }
    // Ten long reasons with their ids outgrow one section, so they spread over a few.
    const packed = packLines([`*Refused by Workato*`, ...lines], { maxSections: 3, maxTotalText: 6000 });
    blocks.push(...packed.texts.map((text) => section(text)));
  }

  if (unknown > 0) {
    const unknownIds = input.results
      .filter((result) => result.outcome === "unknown")
      .map((result) => result.jobId);
    blocks.push(
      section(
        `${ICON.unknown} *${unknown} unknown* — Workato may or may not have run these; check the recipe's jobs before repeating them again.\n${jobIdList(unknownIds, UNKNOWN_IDS_LENGTH)}`,
      ),
    );
  }

  blocks.push(...summaryNote(counts, input.outcomes));
  const stoppedText = stopped ? `; stopped, ${stop.notSent} not sent` : "";
  return {
    text: `${heading.text} (${requestTallyText(counts)})${stoppedText}`,
    blocks: blocks.slice(0, SLACK_LIMITS.blocksPerMessage),
  };
}

/** The note that takes a used repeat button's place. */
export function buildRepeatRequestedNote(input: { userId: string; at: Date }): ContextBlock {
  const at = Number.isNaN(input.at.getTime()) ? MISSING : slackDate(input.at.toISOString());
  return context(`:repeat: Repeat requested by ${mentionUser(input.userId)} at ${at}`);
}

function isRepeatAction(actionId: string | undefined): boolean {
  return (
    actionId !== undefined &&
    (ACTION_PATTERNS.repeatOne.test(actionId) || ACTION_PATTERNS.repeatFailed.test(actionId))
  );
}

interface ButtonLike {
  type: string;
  action_id?: string;
  value?: string;
}

/**
 * The message's blocks once a repeat was requested from it: the clicked button is gone, and so is every other
 * repeat button that would repeat any of the same jobs again (a single Repeat after "Repeat N failed", or the
 * other way round); actions blocks left empty are dropped; `note` is appended. Paging and Details (buttons, or the
 * compact list's select with its block_id) stay.
 */
export function markRepeatRequested(
  blocks: readonly KnownBlock[],
  actionIdClicked: string,
  note: KnownBlock,
): KnownBlock[] {
  const targets = new Set<string>();
  const all = blocks.flatMap((block): ButtonLike[] => {
    if (block.type === "actions") return block.elements;
    if (block.type === "section" && block.accessory) return [block.accessory];
    return [];
  });
  for (const element of all) {
    if (element.action_id === actionIdClicked)
      for (const jobId of decodeButtonValue(element.value)?.j ?? []) targets.add(jobId);
  }

  const isUsed = (element: ButtonLike): boolean => {
    if (element.action_id === actionIdClicked) return true;
    if (element.type !== "button" || !isRepeatAction(element.action_id)) return false;
    return (decodeButtonValue(element.value)?.j ?? []).some((jobId) => targets.has(jobId));
  };

  const kept: KnownBlock[] = [];
  for (const block of blocks) {
    if (block.type === "actions") {
      const elements = block.elements.filter((element) => !isUsed(element));
      if (elements.length > 0) kept.push({ ...block, elements });
    } else if (block.type === "section" && block.accessory && isUsed(block.accessory)) {
      const { accessory: _used, ...rest } = block;
      kept.push(rest);
    } else {
      kept.push(block);
    }
  }
  // The builders leave room for the note; this only guards messages built some other way.
  const room = SLACK_LIMITS.blocksPerMessage - 1;
  return [...kept.slice(0, room), note];
}

/** The store is out and the repeat waits for it (never a result). */
export const REPEAT_PAUSED_WORDS = "⏸ paused: the bot can't reach its database; it carries on by itself";

/**
 * A repeat's pause note in its thread, edited in place: "paused" while the store cannot record what the bot sends,
 * then what happened, so the thread never reads as if a job had failed while it only waited.
 */
export function buildRepeatPauseNote(state: "paused" | "resumed"): SlackMessage {
  const text =
    state === "paused"
      ? `${REPEAT_PAUSED_WORDS}. Nothing is sent meanwhile; no job is lost.`
      : "▶ The repeat was paused while the bot could not reach its database; it reached it again and carried on.";
  return { text, blocks: [context(text)] };
}
