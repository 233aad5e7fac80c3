// The message for one job: its fields, its error in full (within limits), and a timing row per recipe step.
// Step input and output can hold customer data, so nothing here ever reads lines[].input or lines[].output.
import type { KnownBlock, StaticSelect } from "@slack/types";
import type { Handling } from "../../lineage/lineage.js";
import type { CustomerRef } from "../../workato/customer-ref.js";
import type { JobDetails, JobLine } from "../../workato/schemas.js";
import { ACTIONS, type ActionIds, createActionIds, encodeJobContext } from "./action-ids.js";
import {
  actions,
  context,
  fieldsSection,
  header,
  type SlackMessage,
  section,
  selectOption,
  staticSelect,
} from "./elements.js";
import {
  codeBlockWithin,
  countOf,
  customerTitle,
  escapeMrkdwn,
  escapeTruncated,
  formatDuration,
  formatMilliseconds,
  inlineCode,
  isKnownStatus,
  MISSING,
  slackDate,
  statusEmoji,
  statusShortcode,
  truncate,
} from "./format.js";
import { masterJobIdOf, recipeLabel, repeatOneButton } from "./job-buttons.js";
import { blockTextLength, NOTE_RESERVE, packLines, SLACK_LIMITS } from "./limits.js";
import { lineageLine } from "./lineage-words.js";
import { linkButton, OPEN_IN_WORKATO } from "./link-buttons.js";

export interface JobDetailsMessageInput {
  customer: CustomerRef;
  recipeId: number;
  recipeName: string | null;
  /** the directory's name of the customer; null or absent: shown by id */
  customerName?: string | null;
  job: JobDetails;
  /** what became of the failed job's master, so its Repeat dialog warns of a repeat that succeeded or runs */
  handling?: Handling;
  /** the job's page in Workato (WorkatoLinks.job); none: no Open in Workato button */
  workatoUrl?: string | null;
}

/** More rows than this is a wall of text nobody reads; the slowest step is always named. */
const MAX_STEP_ROWS = 40;
const MAX_STEP_SECTIONS = 5;
/** Room kept for the "… and N more steps" line under the step rows. */
const STEP_TAIL_RESERVE = 400;

export function buildJobDetailsMessage(input: JobDetailsMessageInput): SlackMessage {
  const { job } = input;
  const recipe = escapeTruncated(recipeLabel(input.recipeName, input.recipeId), 150);
  const customer = escapeMrkdwn(customerTitle(input.customer, input.customerName));
  const title = job.title?.trim() ? job.title : `Job ${job.id}`;
  const statusWord = isKnownStatus(job.status) ? "" : ` [${truncate(job.status, 30)}]`;

  const blocks: KnownBlock[] = [
    header(`${statusShortcode(job.status)}${statusWord} ${title}`),
    context(
      input.recipeName === null
        ? `${recipe} · customer ${customer}`
        : `${recipe} (recipe ${input.recipeId}) · customer ${customer}`,
    ),
    fieldsSection(fields(job)),
  ];
  if (job.status === "failed" || job.error) blocks.push(errorSection(job.error));
  // Workato will not repeat it: the missing Repeat button is explained.
  const cannotRepeat =
    job.status === "failed" && input.handling?.kind === "cannot_repeat" ? lineageLine(input.handling) : null;
  if (cannotRepeat) blocks.push(context(cannotRepeat));

  const ids = createActionIds();
  // Step data is never in this message; the menu sends one step's data to whoever asks, privately.
  const footer = actions(
    [
      stepDataMenu(ids, input),
      job.status === "failed" ? repeatOneButton(ids, input, job, input.handling) : null,
      linkButton(ids, OPEN_IN_WORKATO, input.workatoUrl),
    ],
    encodeJobContext({ c: input.customer.display, r: input.recipeId, j: job.id }) ?? undefined,
  );
  blocks.push(...stepBlocks(job.lines, blocks, footer));
  if (footer) blocks.push(footer);

  const text = truncate(
    `${escapeTruncated(title, 150)} — ${escapeTruncated(job.status, 30)} (${recipe}, customer ${customer})`,
    300,
  );
  return { text, blocks };
}

function stepDataMenu(ids: ActionIds, input: JobDetailsMessageInput): StaticSelect | null {
  // Without the job's context in the block_id the handler could not know which job a step belongs to.
  if (encodeJobContext({ c: input.customer.display, r: input.recipeId, j: input.job.id }) === null)
    return null;
  // The value is the step's position in lines: a loop repeats recipe line numbers, and option values must differ.
  const options = input.job.lines.flatMap((line, position) => {
    const what = `${line.adapter_name ?? "unknown app"} · ${line.adapter_operation ?? "unknown action"}`;
    const option = selectOption(
      `Step ${line.recipe_line_number} · ${what}${line.mask_data ? " (masked)" : ""}`,
      String(position),
    );
    return option ? [option] : [];
  });
  return staticSelect(ids.next(ACTIONS.stepData), "Show step data (only to you)…", options);
}

function optionalJob(jobId: string | null | undefined, selfId: string): string {
  if (!jobId) return MISSING;
  return jobId === selfId ? `${inlineCode(jobId)} (this job)` : inlineCode(jobId);
}

function fields(job: JobDetails): string[] {
  const status = isKnownStatus(job.status)
    ? `${statusEmoji(job.status)} ${job.status}`
    : statusEmoji(job.status);
  return [
    `*Status*\n${status}`,
    `*Job ID*\n${inlineCode(job.id)}`,
    `*Started*\n${slackDate(job.started_at)}`,
    `*Completed*\n${slackDate(job.completed_at, job.status === "pending" ? "not yet" : MISSING)}`,
    `*Duration*\n${formatDuration(job.started_at, job.completed_at)}`,
    `*Master job*\n${optionalJob(masterJobIdOf(job), job.id)}`,
    `*Root job*\n${optionalJob(job.root_job_id, job.id)}`,
    `*Calling job*\n${optionalJob(job.calling_job_id, job.id)}`,
    `*Is a repeat*\n${flag(job.is_repeat)}`,
    `*Test job*\n${flag(job.is_test)}`,
  ];
}

function flag(value: boolean | undefined): string {
  if (value === undefined) return MISSING;
  return value ? "yes" : "no";
}

function errorSection(error: string | null): KnownBlock {
  if (error === null || error.trim() === "") return section("*Error*\nWorkato gave no error message.");
  return section(codeBlockWithin("Error", error, SLACK_LIMITS.sectionText));
}

function stepRow(line: JobLine, isSlowest: boolean): string {
  const adapter = escapeTruncated(line.adapter_name ?? "unknown app", 40);
  const operation = escapeTruncated(line.adapter_operation ?? "unknown action", 50);
  const time = line.line_stat ? formatMilliseconds(line.line_stat.total * 1000) : MISSING;
  return `${inlineCode(String(line.recipe_line_number), 10)} *${adapter}* · ${operation} — ${time}${isSlowest ? "  :turtle: *slowest*" : ""}`;
}

function slowestIndex(lines: readonly JobLine[]): number {
  let slowest = -1;
  let slowestTotal = -1;
  lines.forEach((line, index) => {
    const total = line.line_stat?.total;
    if (total !== undefined && total > slowestTotal) {
      slowest = index;
      slowestTotal = total;
    }
  });
  return lines.length > 1 ? slowest : -1;
}

/** Step rows packed into as few sections as fit beside `before` and `after`; the rest summarised in a line. */
function stepBlocks(
  lines: readonly JobLine[],
  before: readonly KnownBlock[],
  after: KnownBlock | null,
): KnownBlock[] {
  if (lines.length === 0) return [];
  const slowest = slowestIndex(lines);
  const rows = lines.map((line, index) => stepRow(line, index === slowest));
  const used = blockTextLength(before) + blockTextLength(after);
  const heading = `*Steps* (${lines.length})`;
  const freeBlocks =
    SLACK_LIMITS.blocksPerMessage - before.length - (after ? 1 : 0) - NOTE_RESERVE.blocks - 1;
  const packed = packLines([heading, ...rows.slice(0, MAX_STEP_ROWS)], {
    maxSections: Math.min(MAX_STEP_SECTIONS, freeBlocks),
    maxTotalText: SLACK_LIMITS.messageBlockText - used - NOTE_RESERVE.text - STEP_TAIL_RESERVE,
  });
  const blocks: KnownBlock[] = packed.texts.map((text) => section(text));
  const rowsShown = Math.max(0, packed.shown - 1);
  if (rowsShown < rows.length) {
    const hidden = rows.length - rowsShown;
    const slowestHidden = slowest >= rowsShown ? ` · slowest: ${truncate(rows[slowest] ?? "", 300)}` : "";
    blocks.push(context(`… and ${countOf(hidden, "more step")}${slowestHidden}`));
  }
  return blocks;
}
