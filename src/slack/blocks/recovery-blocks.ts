// Messages of `/workato-jobs repeat … failed [since …]`: the private "reading" note and preview with its Repeat
// button, and the channel's progress message (bar, counts, ETA, Stop) that the thread's parent becomes.
import type { KnownBlock } from "@slack/types";
import type { CustomerRef } from "../../workato/customer-ref.js";
import { MAX_JOBS_PER_REPEAT, REPEAT_MIN_INTERVAL_MS } from "../../workato/limits.js";
import { ACTIONS, createActionIds, encodeConfirmValue } from "./action-ids.js";
import {
  actions,
  button,
  confirmDialog,
  context,
  fieldsSection,
  type SlackMessage,
  section,
} from "./elements.js";
import {
  countOf,
  customerText,
  escapeMrkdwn,
  escapeTruncated,
  formatMilliseconds,
  mentionUser,
  slackDateOfMs,
  truncate,
} from "./format.js";
import { recipeLabel } from "./job-buttons.js";
import { REPEAT_PAUSED_WORDS } from "./repeat-blocks.js";
import { ICON } from "./status-icons.js";

export interface RecoveryScope {
  customer: CustomerRef;
  recipeId: number;
  recipeName: string | null;
  /** the directory's name of the customer; null or absent: shown by id */
  customerName?: string | null;
  /** epoch ms; null: every failed job Workato still lists */
  since: number | null;
}

function sinceText(since: number | null): string {
  return since === null ? "" : ` since ${slackDateOfMs(since)}`;
}

function recipeText(scope: RecoveryScope): string {
  return escapeTruncated(recipeLabel(scope.recipeName, scope.recipeId), 150);
}

function customerOf(scope: RecoveryScope): string {
  return customerText(scope.customer, scope.customerName);
}

/** How long `jobs` take at Workato's limit of one request of 25 a second, when nobody else is repeating. */
export function estimatedRepeatMs(jobs: number): number {
  const requests = Math.ceil(jobs / MAX_JOBS_PER_REPEAT);
  return Math.max(0, requests - 1) * REPEAT_MIN_INTERVAL_MS + (requests > 0 ? 1000 : 0);
}

/** Shown privately while reading takes a while. */
export function buildReadingFailedJobs(input: { read: number; pages: number }): SlackMessage {
  const text = `Reading failed jobs… ${input.read.toLocaleString("en-US")} so far`;
  return {
    text,
    blocks: [
      section(`:mag: ${text}`),
      context(`${countOf(input.pages, "page")} read. Nothing is repeated before you confirm.`),
    ],
  };
}

export interface RecoveryPreviewInput extends RecoveryScope {
  /** the confirm button's token; the ids stay on the server */
  token: string;
  /** failed master jobs listed back to `since` */
  failed: number;
  /**
   * left out: already repeated and succeeded, a repeat still running, repeat state unknown, and Workato cannot
   * repeat them (refused before as past retention, 100 repeats, not an original), with why in words; resolved
   * by hand
   */
  leftOut: { succeeded: number; running: number; unknown: number; cannotRepeat: string[]; resolved: number };
  /** left out: older than Workato keeps their trigger data */
  expired: number;
  /** failed repeats listed back to `since`: their originals are what gets repeated, so Workato counts them apart */
  failedRepeats: number;
  toRepeat: number;
  /** with `again`: already handled jobs included on purpose */
  includedAgain: number;
}

/** The private answer after reading: what was found, what is left out and why, and the Repeat N jobs button. */
export function buildRecoveryPreview(input: RecoveryPreviewInput): SlackMessage {
  const { leftOut } = input;
  const alreadyRepeated = leftOut.succeeded + leftOut.running;
  const requests = Math.ceil(input.toRepeat / MAX_JOBS_PER_REPEAT);
  // Every failed job Workato lists back to `since`, as `recipes` counts them; the parts below add up to it.
  const listed = input.failed + input.failedRepeats + input.expired;
  const parts = [`${listed.toLocaleString("en-US")} failed${sinceText(input.since)}`];
  if (input.failedRepeats > 0) {
    parts.push(
      `${input.failedRepeats.toLocaleString("en-US")} of them failed ${input.failedRepeats === 1 ? "repeat" : "repeats"} (only originals are repeated)`,
    );
  }
  if (alreadyRepeated > 0)
    parts.push(`${alreadyRepeated.toLocaleString("en-US")} already repeated (left out)`);
  if (leftOut.unknown > 0)
    parts.push(`${leftOut.unknown.toLocaleString("en-US")} with repeat state unknown (left out)`);
  if (input.expired > 0) parts.push(`${input.expired.toLocaleString("en-US")} past retention (left out)`);
  // "1 can't be repeated: past Workato's retention…" once per reason, with its count.
  const cannot = new Map<string, number>();
  for (const why of leftOut.cannotRepeat) cannot.set(why, (cannot.get(why) ?? 0) + 1);
  for (const [why, count] of cannot)
    parts.push(`${count.toLocaleString("en-US")} can't be repeated, ${why} (left out)`);
  if (input.includedAgain > 0)
    parts.push(`${input.includedAgain.toLocaleString("en-US")} already repeated, included (again)`);
  const plan =
    input.toRepeat === 0
      ? "nothing to repeat"
      : `${input.toRepeat.toLocaleString("en-US")} to repeat in ${countOf(requests, "request")} ≈ ${formatMilliseconds(estimatedRepeatMs(input.toRepeat))}`;
  parts.push(plan);
  const headline = `${recipeText(input)} for ${escapeMrkdwn(customerOf(input))}`;
  const why: string[] = [];
  if (leftOut.succeeded > 0) why.push(`${leftOut.succeeded} repeated and succeeded`);
  if (leftOut.running > 0) why.push(`${leftOut.running} with a repeat still running`);
  if (leftOut.resolved > 0) why.push(`${leftOut.resolved} resolved by hand in their alert`);
  const blocks: KnownBlock[] = [section(`:repeat: ${headline}\n${parts.join(" · ")}`)];
  if (why.length > 0) blocks.push(context(`Left out: ${why.join(", ")}. Add \`again\` to include them.`));
  if (input.toRepeat > 0) {
    const jobs = countOf(input.toRepeat, "job");
    const recipe = truncate(recipeLabel(input.recipeName, input.recipeId), 80);
    const confirm = button(
      createActionIds().next(ACTIONS.confirmRepeat),
      `Repeat ${jobs}`,
      encodeConfirmValue(input.token),
      {
        style: "primary",
        confirm: confirmDialog({
          title: `Repeat ${jobs}?`,
          text: `This runs ${recipe} again for ${jobs} of ${truncate(customerOf(input), 60)}, about ${formatMilliseconds(estimatedRepeatMs(input.toRepeat))} at Workato's limit. You can stop it from its progress message.`,
          confirm: "Repeat",
          deny: "Cancel",
        }),
      },
    );
    blocks.push({ type: "actions", elements: [confirm] });
    blocks.push(
      context("Only you see this. Progress and every result will be posted in a thread in this channel."),
    );
  }
  return {
    text: `${input.failed} failed${input.since === null ? "" : " since the time given"}: ${plan}`,
    blocks,
  };
}

export type RecoveryState = "running" | "finished" | "stopped";

export interface RecoveryProgressInput extends RecoveryScope {
  /** null until the repeat is on record: the Stop button names it */
  repeatId: number | null;
  userId: string;
  total: number;
  enqueued: number;
  failed: number;
  unknown: number;
  /** ms until every job is sent, as measured so far; null before the first result */
  etaMs: number | null;
  state: RecoveryState;
  /** set once Stop was clicked */
  stoppedBy?: string;
  /** jobs that will not be sent because of Stop */
  notSent?: number;
  /** nothing is sent while the bot cannot write its store: the ETA gives way to saying so */
  paused?: boolean;
}

const BAR_CELLS = 10;
// Squares, not inline code: Slack draws inline code in red, which read as an error even at 100 %.
const BAR_DONE = ":large_green_square:";
const BAR_LEFT = ":white_large_square:";

/** "🟩🟩🟩⬜⬜⬜⬜⬜⬜⬜ 30%": a cell turns green only once its share is done, so a full bar means all sent. */
export function progressBar(done: number, total: number): string {
  const share = total === 0 ? 1 : Math.min(1, done / total);
  const full = Math.floor(share * BAR_CELLS);
  return `${BAR_DONE.repeat(full)}${BAR_LEFT.repeat(BAR_CELLS - full)} *${Math.floor(share * 100)}%*`;
}

/** The parent message, updated in place while the recovery runs; Stop while it runs, a closing line after. */
export function buildRecoveryProgress(input: RecoveryProgressInput): SlackMessage {
  const sent = input.enqueued + input.failed + input.unknown;
  const who = mentionUser(input.userId);
  const jobs = countOf(input.total, "failed job");
  const verb = input.state === "running" && input.stoppedBy === undefined ? "is repeating" : "repeated";
  const headline = `${who} ${verb} ${jobs} of ${recipeText(input)}${sinceText(input.since)} for ${escapeMrkdwn(customerOf(input))}`;
  const blocks: KnownBlock[] = [
    section(`:repeat: ${headline}`),
    section(progressBar(sent, input.total)),
    fieldsSection([
      `*Sent*\n${sent.toLocaleString("en-US")} of ${input.total.toLocaleString("en-US")}`,
      `${ICON.enqueued} *Enqueued*\n${input.enqueued.toLocaleString("en-US")}`,
      `${ICON.refused} *Refused*\n${input.failed.toLocaleString("en-US")}`,
      `${ICON.unknown} *Unknown*\n${input.unknown.toLocaleString("en-US")}`,
    ]),
  ];
  if (input.stoppedBy !== undefined) {
    const notSent = input.notSent ?? input.total - sent;
    blocks.push(
      context(
        `${ICON.stopped} Stopped by ${mentionUser(input.stoppedBy)}: ${countOf(notSent, "job")} not sent. The same command repeats what is left.`,
      ),
    );
  } else if (input.state === "running") {
    const eta =
      sent >= input.total
        ? "every request sent; the summary follows"
        : input.paused
          ? REPEAT_PAUSED_WORDS
          : input.etaMs === null
            ? "estimating…"
            : `about ${formatMilliseconds(input.etaMs)} left`;
    blocks.push(context(`${eta} · every result is posted in this thread`));
    const stop = actions([
      button(`${ACTIONS.stopRecovery}:0`, "Stop", encodeStopValue(input.repeatId ?? 0), {
        style: "danger",
        confirm: confirmDialog({
          title: "Stop this repeat?",
          text: "No further request is sent to Workato; one already on its way finishes and is reported. The same command later repeats what is left.",
          confirm: "Stop",
          deny: "Keep going",
        }),
      }),
    ]);
    // Once every job is sent there is nothing left to stop: the button would only promise what it cannot do.
    if (stop && input.repeatId !== null && sent < input.total) blocks.push(stop);
  } else {
    blocks.push(
      context("Every request answered: the summary in this thread follows the new jobs to their outcomes."),
    );
  }
  return { text: `${headline.replace(/<@([A-Z0-9]+)>/g, "@$1")}: ${sent} of ${input.total} sent`, blocks };
}

export function encodeStopValue(repeatId: number): string {
  return JSON.stringify({ x: repeatId });
}

/** The repeat a Stop button names, or null for anything this app could not have posted. Never throws. */
export function decodeStopValue(text: unknown): number | null {
  if (typeof text !== "string" || text.length > 100) return null;
  const match = /^\{"x":([1-9]\d{0,15})\}$/.exec(text);
  return match ? Number(match[1]) : null;
}
