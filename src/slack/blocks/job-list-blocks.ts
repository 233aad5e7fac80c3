// The message for one page of a recipe's jobs: counts, the jobs, and paging. A page that fits is shown in full (a
// section and buttons per job); a longer one compactly: a line per job, one Details select and one Repeat-all button.
import type { Button, KnownBlock, PlainTextOption, StaticSelect } from "@slack/types";
import type { CustomerRef } from "../../workato/customer-ref.js";
import type { JobList, JobSummary } from "../../workato/schemas.js";
import { ACTIONS, type ActionIds, createActionIds, encodeListContext } from "./action-ids.js";
import {
  actions,
  context,
  header,
  type SlackMessage,
  section,
  selectOption,
  staticSelect,
} from "./elements.js";
import {
  countOf,
  escapeMrkdwn,
  escapeTruncated,
  firstLine,
  formatDuration,
  inlineCode,
  MISSING,
  slackDate,
  statusEmoji,
  statusShortcode,
} from "./format.js";
import {
  detailsButton,
  isMasterJob,
  type ListFilter,
  masterJobIdOf,
  pageButton,
  type RecipeInWorkspace,
  recipeLabel,
  repeatFailedButton,
  repeatOneButton,
} from "./job-buttons.js";
import { fitsInOneMessage, NOTE_RESERVE, packLines, SLACK_LIMITS } from "./limits.js";

export interface JobListMessageInput {
  customer: CustomerRef;
  recipeId: number;
  /** null when the name lookup failed: the recipe is shown as "Recipe <id>" */
  recipeName: string | null;
  list: JobList;
  filter: ListFilter;
  /** the query that produced this page */
  paging: { offsetJobId?: string; newer?: boolean };
}

export function buildJobListMessage(input: JobListMessageInput): SlackMessage {
  const where: RecipeInWorkspace = input;
  const recipe = recipeLabel(input.recipeName, input.recipeId);
  const text = `${escapeTruncated(recipe, 150)} — ${escapeMrkdwn(input.customer.display)}: ${input.list.job_succeeded_count} succeeded, ${input.list.job_failed_count} failed, ${input.list.job_count} total`;

  // Buttons per job cost two blocks and a confirm dialog per failed job, so only about 20 fit; past that the
  // compact layout keeps every job of the page reachable and "Repeat N failed" covering all of them.
  const full = fullLayout(input, where);
  if (fitsInOneMessage(full, NOTE_RESERVE)) return { text, blocks: full };
  return { text, blocks: compactLayout(input, where) };
}

function heading(input: JobListMessageInput): KnownBlock[] {
  const recipe = recipeLabel(input.recipeName, input.recipeId);
  return [header(`${recipe} — ${input.customer.display}`), context(summaryLine(input))];
}

function jobTitle(job: JobSummary): string {
  return job.title?.trim() ? job.title : "(untitled job)";
}

/** Each original job once: repeat_jobs takes master ids, and a failed repeat stands for its original. */
function failedMasterIds(jobs: readonly JobSummary[]): string[] {
  return [...new Set(jobs.filter((job) => job.status === "failed").map((job) => masterJobIdOf(job)))];
}

function repeatCoverageNote(carried: number, failed: number, repeatOthers: string): string {
  return `*Repeat ${carried} failed* covers the first ${carried} of the ${failed} failed jobs shown (a button can carry no more); ${repeatOthers}.`;
}

/** The closing blocks both layouts share: the notes, then paging and "Repeat N failed". */
function closingBlocks(
  input: JobListMessageInput,
  where: RecipeInWorkspace,
  ids: ActionIds,
  shown: readonly JobSummary[],
  notes: readonly string[],
  repeatFailed: Button | null,
): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  if (notes.length > 0) blocks.push(context(notes.join("\n")));
  const items = input.list.items;
  const first = shown[0];
  const last = shown.at(-1);
  const isFirstPage = input.paging.offsetJobId === undefined && !input.paging.newer;
  const footer = actions([
    first && !isFirstPage
      ? pageButton(ids, where, input.filter, { label: "Newer", offsetJobId: first.id, newer: true })
      : null,
    // An empty page other than the first leaves nothing to page from: offer the latest page instead.
    items.length === 0 && !isFirstPage
      ? pageButton(ids, where, input.filter, { label: "Latest jobs", newer: true })
      : null,
    last
      ? pageButton(ids, where, input.filter, { label: "Older", offsetJobId: last.id, newer: false })
      : null,
    repeatFailed,
  ]);
  if (footer) blocks.push(footer);
  return blocks;
}

// ---- The full layout: a section per job with its Details button, and a Repeat button per failed job.

const TITLE_MAX = 120;
const ERROR_LINE_MAX = 200;

function fullLayout(input: JobListMessageInput, where: RecipeInWorkspace): KnownBlock[] {
  const ids = createActionIds();
  const items = input.list.items;
  const blocks = heading(input);
  if (items.length === 0) blocks.push(section(emptyPageText(input)));
  for (const job of items) blocks.push(...jobBlocks(job, where, ids));

  const masterIds = failedMasterIds(items);
  const repeatFailed = repeatFailedButton(ids, where, masterIds);
  const notes: string[] = [];
  if (repeatFailed && repeatFailed.carried < masterIds.length) {
    notes.push(
      repeatCoverageNote(
        repeatFailed.carried,
        masterIds.length,
        "repeat the others with their own *Repeat* buttons",
      ),
    );
  }
  blocks.push(...closingBlocks(input, where, ids, items, notes, repeatFailed?.button ?? null));
  return blocks;
}

function jobBlocks(job: JobSummary, where: RecipeInWorkspace, ids: ActionIds): KnownBlock[] {
  const lines = [
    `${statusEmoji(job.status)} *${escapeTruncated(jobTitle(job), TITLE_MAX)}*`,
    `${slackDate(job.started_at)} · ${formatDuration(job.started_at, job.completed_at)} · ${inlineCode(job.id)}`,
  ];
  const failed = job.status === "failed";
  if (failed && job.error) {
    const reason = firstLine(job.error);
    if (reason !== "") lines.push(`> ${escapeTruncated(reason, ERROR_LINE_MAX)}`);
  }
  if (!isMasterJob(job)) lines.push(`_(repeat of ${inlineCode(masterJobIdOf(job))})_`);

  const details = detailsButton(ids, where, job.id);
  const blocks: KnownBlock[] = [section(lines.join("\n"), details ?? undefined)];
  if (failed) {
    const repeat = actions([repeatOneButton(ids, where, job)]);
    if (repeat) blocks.push(repeat);
  }
  return blocks;
}

// ---- The compact layout: a line per job packed into few sections, one select for Details, no per-job buttons.

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

function compactRow(job: JobSummary, detail: Detail): CompactRow {
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

  const mark = STATUS_MARKS.get(job.status) ?? "?";
  const label = detail.optionTitle ? `${mark} ${job.id} · ${jobTitle(job)}` : `${mark} ${job.id}`;
  return { line, option: selectOption(label, job.id) };
}

function compactLayout(input: JobListMessageInput, where: RecipeInWorkspace): KnownBlock[] {
  // Every job shown has its option in the select, so no more are shown than a select can offer.
  const candidates = input.list.items.slice(0, SLACK_LIMITS.selectOptions);
  const wholePage = candidates.length === input.list.items.length;
  let rows: CompactRow[] = [];
  for (const detail of DETAIL_LEVELS) {
    rows = candidates.map((job) => compactRow(job, detail));
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

  const masterIds = failedMasterIds(shown);
  const repeatFailed = repeatFailedButton(ids, where, masterIds);
  if (repeatFailed && repeatFailed.carried < masterIds.length) {
    notes.push(
      repeatCoverageNote(repeatFailed.carried, masterIds.length, "repeat the others from their details"),
    );
  }
  blocks.push(...closingBlocks(input, where, ids, shown, notes, repeatFailed?.button ?? null));
  return fitsInOneMessage(blocks, NOTE_RESERVE) ? blocks : null;
}

// ---- Wording both layouts share.

function filterWords(filter: ListFilter): string[] {
  return [filter.status ? `${filter.status} only` : null, filter.rerunOnly ? "reruns only" : null].filter(
    (word): word is string => word !== null,
  );
}

function summaryLine(input: JobListMessageInput): string {
  const { list, filter, paging } = input;
  const parts = [
    `${statusShortcode("succeeded")} ${list.job_succeeded_count} succeeded`,
    `${statusShortcode("failed")} ${list.job_failed_count} failed`,
    `${list.job_count} total`,
  ];
  const words = filterWords(filter);
  if (words.length > 0) {
    const matching = list.job_scope_count === undefined ? "" : ` (${list.job_scope_count} match)`;
    parts.push(`filter: ${words.join(", ")}${matching}`);
  }
  if (paging.offsetJobId !== undefined) {
    parts.push(`${paging.newer ? "newer" : "older"} than ${inlineCode(paging.offsetJobId, 40)}`);
  }
  return parts.join(" · ");
}

function emptyPageText(input: JobListMessageInput): string {
  const words = filterWords(input.filter);
  const filtered = words.length > 0 ? ` (${words.join(", ")})` : "";
  if (input.paging.offsetJobId === undefined && !input.paging.newer) {
    return `:mag: No jobs match${filtered} for this recipe yet.`;
  }
  const direction = input.paging.newer ? "newer" : "older";
  return `:mag: No ${direction} jobs match${filtered}. *Latest jobs* starts again from the newest.`;
}
