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
  escapeMrkdwn,
  escapeTruncated,
  formatMilliseconds,
  mentionUser,
  slackDateOfMs,
  truncate,
} from "./format.js";
import { recipeLabel } from "./job-buttons.js";

export interface RecoveryScope {
  customer: CustomerRef;
  recipeId: number;
  recipeName: string | null;
  /** epoch ms; null: every failed job Workato still lists */
  since: number | null;
}

function sinceText(since: number | null): string {
  return since === null ? "" : ` since ${slackDateOfMs(since)}`;
}

function recipeText(scope: RecoveryScope): string {
  return escapeTruncated(recipeLabel(scope.recipeName, scope.recipeId), 150);
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
  /** left out: already repeated and succeeded, a repeat still running, repeat state unknown, resolved by hand */
  leftOut: { succeeded: number; running: number; unknown: number; resolved: number };
  /** left out: older than Workato keeps their trigger data */
  expired: number;
  toRepeat: number;
  /** with `again`: already handled jobs included on purpose */
  includedAgain: number;
}

/** The private answer after reading: what was found, what is left out and why, and the Repeat N jobs button. */
export function buildRecoveryPreview(input: RecoveryPreviewInput): SlackMessage {
  const { leftOut } = input;
  const alreadyRepeated = leftOut.succeeded + leftOut.running;
  const requests = Math.ceil(input.toRepeat / MAX_JOBS_PER_REPEAT);
  const parts = [`${input.failed.toLocaleString("en-US")} failed${sinceText(input.since)}`];
  if (alreadyRepeated > 0)
    parts.push(`${alreadyRepeated.toLocaleString("en-US")} already repeated (left out)`);
  if (leftOut.unknown > 0)
    parts.push(`${leftOut.unknown.toLocaleString("en-US")} with repeat state unknown (left out)`);
  if (input.expired > 0) parts.push(`${input.expired.toLocaleString("en-US")} past retention (left out)`);
  if (input.includedAgain > 0)
    parts.push(`${input.includedAgain.toLocaleString("en-US")} already repeated, included (again)`);
  const plan =
    input.toRepeat === 0
      ? "nothing to repeat"
      : `${input.toRepeat.toLocaleString("en-US")} to repeat in ${countOf(requests, "request")} ≈ ${formatMilliseconds(estimatedRepeatMs(input.toRepeat))}`;
  parts.push(plan);
  const headline = `${recipeText(input)} for ${escapeMrkdwn(input.customer.display)}`;
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
          text: `This runs ${recipe} again for ${jobs} of ${truncate(input.customer.display, 60)}, about ${formatMilliseconds(estimatedRepeatMs(input.toRepeat))} at Workato's limit. You can stop it from its progress message.`,
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
}

const BAR_CELLS = 20;

export function progressBar(done: number, total: number): string {
  const share = total === 0 ? 1 : Math.min(1, done / total);
  const full = Math.round(share * BAR_CELLS);
  return `\`${"█".repeat(full)}${"░".repeat(BAR_CELLS - full)}\` ${Math.floor(share * 100)}%`;
}

/** The parent message, updated in place while the recovery runs; Stop while it runs, a closing line after. */
export function buildRecoveryProgress(input: RecoveryProgressInput): SlackMessage {
  const sent = input.enqueued + input.failed + input.unknown;
  const who = mentionUser(input.userId);
  const jobs = countOf(input.total, "failed job");
  const verb = input.state === "running" && input.stoppedBy === undefined ? "is repeating" : "repeated";
  const headline = `${who} ${verb} ${jobs} of ${recipeText(input)}${sinceText(input.since)} for ${escapeMrkdwn(input.customer.display)}`;
  const blocks: KnownBlock[] = [
    section(`:repeat: ${headline}`),
    section(progressBar(sent, input.total)),
    fieldsSection([
      `*Sent*\n${sent.toLocaleString("en-US")} of ${input.total.toLocaleString("en-US")}`,
      `*Enqueued*\n${input.enqueued.toLocaleString("en-US")}`,
      `*Failed*\n${input.failed.toLocaleString("en-US")}`,
      `*Unknown*\n${input.unknown.toLocaleString("en-US")}`,
    ]),
  ];
  if (input.stoppedBy !== undefined) {
    const notSent = input.notSent ?? input.total - sent;
    blocks.push(
      context(
        `:octagonal_sign: Stopped by ${mentionUser(input.stoppedBy)}: ${countOf(notSent, "job")} not sent. The same command repeats what is left.`,
      ),
    );
  } else if (input.state === "running") {
    const eta = input.etaMs === null ? "estimating…" : `about ${formatMilliseconds(input.etaMs)} left`;
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
    if (stop && input.repeatId !== null) blocks.push(stop);
  } else {
    blocks.push(context("Finished: the summary is in this thread."));
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
