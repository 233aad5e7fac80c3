// The compact layout of a long job list: a line per job packed into few sections, one Details select and one
// "Repeat N failed" button, shortening titles and errors step by step until the page fits in one message.
import type { KnownBlock, PlainTextOption, StaticSelect } from "@slack/types";
import type { Handling } from "../../lineage/lineage.js";
import type { JobSummary } from "../../workato/schemas.js";
import { ACTIONS, type ActionIds, createActionIds, encodeListContext } from "./action-ids.js";
import { actions, section, selectOption, staticSelect } from "./elements.js";
import {
  countOf,
  escapeTruncated,
  firstLine,
  formatDuration,
  inlineCode,
  MISSING,
  slackDate,
  statusEmoji,
} from "./format.js";
import { isMasterJob, masterJobIdOf, type RecipeInWorkspace } from "./job-buttons.js";
import { closingBlocks, handlingIn, heading, type JobListMessageInput, jobTitle } from "./job-list-parts.js";
import { fitsInOneMessage, NOTE_RESERVE, packLines, SLACK_LIMITS } from "./limits.js";
import { lineageMark } from "./lineage-words.js";

/** How much of a job's title and first error line its compact line shows, and whether its option names it. */
interface Detail {
  title: number;
  error: number;
  optionTitle: boolean;
}

// Tried in order until the whole page fits; the last also decides how long a beginning of a longer page is shown.
// A line's fixed part (status, id, date token, duration) is ~90 characters and its option ~20, so 60 failed jobs
// leave roughly 60 characters each for title and error within the 11,000-character budget.
const DETAIL_LEVELS: readonly Detail[] = [
  { title: 50, error: 80, optionTitle: true },
  { title: 50, error: 80, optionTitle: false },
  { title: 40, error: 60, optionTitle: false },
  { title: 32, error: 48, optionTitle: false },
  { title: 24, error: 40, optionTitle: false },
  { title: 20, error: 30, optionTitle: false },
  { title: 0, error: 30, optionTitle: false },
  { title: 0, error: 0, optionTitle: false },
];

const DETAILS_SELECT_PLACEHOLDER = "Details of a job…";

interface CompactRow {
  line: string;
  /** null when the job id is too long for an option value */
  option: PlainTextOption | null;
}

// A Map, not an object literal: statuses are free text, and "toString" must not find Object.prototype.
const STATUS_MARKS: ReadonlyMap<string, string> = new Map([
  ["succeeded", "✓"],
  ["failed", "✗"],
  ["pending", "⏳"],
]);

function compactRow(job: JobSummary, detail: Detail, handling: Handling): CompactRow {
  const failed = job.status === "failed";
  const parts = [
    `${statusEmoji(job.status)} ${inlineCode(job.id)}`,
    slackDate(job.started_at, MISSING, "numeric"),
    formatDuration(job.started_at, job.completed_at),
  ];
  if (detail.title > 0) parts.push(escapeTruncated(jobTitle(job), detail.title));
  let line = parts.join(" · ");
  const reason = failed && job.error ? firstLine(job.error) : "";
  if (detail.error > 0 && reason !== "") line += ` — ${escapeTruncated(reason, detail.error)}`;
  if (failed && !isMasterJob(job)) line += ` (repeat of ${inlineCode(masterJobIdOf(job))})`;
  if (failed && isMasterJob(job)) line += lineageMark(handling);

  const mark = STATUS_MARKS.get(job.status) ?? "?";
  const label = detail.optionTitle ? `${mark} ${job.id} · ${jobTitle(job)}` : `${mark} ${job.id}`;
  return { line, option: selectOption(label, job.id) };
}

export function compactLayout(input: JobListMessageInput, where: RecipeInWorkspace): KnownBlock[] {
  // Every job shown has its option in the select, so no more are shown than a select can offer.
  const candidates = input.list.items.slice(0, SLACK_LIMITS.selectOptions);
  const wholePage = candidates.length === input.list.items.length;
  let rows: CompactRow[] = [];
  for (const detail of DETAIL_LEVELS) {
    const handling = handlingIn(input);
    rows = candidates.map((job) => compactRow(job, detail, handling(masterJobIdOf(job))));
    const blocks = wholePage ? compactBlocks(input, where, rows, rows.length) : null;
    if (blocks) return blocks;
  }
  // Not even the barest lines fit the whole page: the longest beginning of it that does, in those lines. Each
  // line added only makes the message longer, so halving finds it in a few tries.
  let best = compactBlocks(input, where, rows, 0) ?? heading(input);
  let low = 0;
  let high = rows.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    const blocks = compactBlocks(input, where, rows, middle);
    if (blocks) {
      best = blocks;
      low = middle;
    } else {
      high = middle - 1;
    }
  }
  return best;
}

/** One option per job shown, its value the bare job id: the block_id says which customer and recipe. */
function detailsSelect(ids: ActionIds, rows: readonly CompactRow[]): StaticSelect | null {
  const seen = new Set<string>();
  const options: PlainTextOption[] = [];
  for (const { option } of rows) {
    if (option?.value === undefined || seen.has(option.value)) continue;
    seen.add(option.value);
    options.push(option);
  }
  if (options.length === 0) return null;
  return staticSelect(ids.next(ACTIONS.detailsSelect), DETAILS_SELECT_PLACEHOLDER, options);
}

/** The compact message showing the first `shownCount` rows, or null when it would not fit in one message. */
function compactBlocks(
  input: JobListMessageInput,
  where: RecipeInWorkspace,
  rows: readonly CompactRow[],
  shownCount: number,
): KnownBlock[] | null {
  const ids = createActionIds();
  const items = input.list.items;
  const shown = items.slice(0, shownCount);
  const blocks = heading(input);

  const packed = packLines(
    rows.slice(0, shownCount).map((row) => row.line),
    { maxSections: SLACK_LIMITS.blocksPerMessage, maxTotalText: SLACK_LIMITS.messageBlockText },
  );
  if (packed.shown < shownCount) return null;
  blocks.push(...packed.texts.map((text) => section(text)));

  const notes: string[] = [];
  if (shown.length < items.length) {
    notes.push(
      `Showing ${shown.length} of ${countOf(items.length, "job")} on this page — use *Older* to see more.`,
    );
  }

  const listContext = encodeListContext({ c: where.customer.display, r: where.recipeId });
  const selectBlock =
    listContext === null ? null : actions([detailsSelect(ids, rows.slice(0, shownCount))], listContext);
  if (selectBlock) blocks.push(selectBlock);
  else if (shown.length > 0) {
    notes.push(`For a job's details, use \`/workato-jobs show <customer> ${input.recipeId} <job_id>\`.`);
  }

  blocks.push(...closingBlocks(input, where, ids, shown, notes, "repeat the others from their details"));
  return fitsInOneMessage(blocks, NOTE_RESERVE) ? blocks : null;
}
