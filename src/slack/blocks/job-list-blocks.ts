// The message for one page of a recipe's jobs: counts, one section per job with its buttons, and paging.
import type { KnownBlock } from "@slack/types";
import type { CustomerRef } from "../../workato/customer-ref.js";
import type { JobList, JobSummary } from "../../workato/schemas.js";
import { type ActionIds, createActionIds } from "./action-ids.js";
import { actions, context, header, type SlackMessage, section } from "./elements.js";
import {
  countOf,
  escapeMrkdwn,
  escapeTruncated,
  firstLine,
  formatDuration,
  inlineCode,
  slackDate,
  statusEmoji,
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
import { fitsInOneMessage, NOTE_RESERVE } from "./limits.js";

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

const TITLE_MAX = 120;
const ERROR_LINE_MAX = 200;

export function buildJobListMessage(input: JobListMessageInput): SlackMessage {
  const where: RecipeInWorkspace = input;
  const items = input.list.items;
  const recipe = recipeLabel(input.recipeName, input.recipeId);
  const text = `${escapeTruncated(recipe, 150)} — ${escapeMrkdwn(input.customer.display)}: ${input.list.job_succeeded_count} succeeded, ${input.list.job_failed_count} failed, ${input.list.job_count} total`;

  // Show the whole page when it fits; otherwise the longest beginning of it that does. Each try renders from
  // scratch so action ids stay numbered in reading order.
  const wholePage = render(input, where, items.length);
  if (fitsInOneMessage(wholePage, NOTE_RESERVE)) return { text, blocks: wholePage };
  let shown = 0;
  while (shown < items.length && fitsInOneMessage(render(input, where, shown + 1), NOTE_RESERVE)) shown++;
  return { text, blocks: render(input, where, shown) };
}

function render(input: JobListMessageInput, where: RecipeInWorkspace, shownCount: number): KnownBlock[] {
  const ids = createActionIds();
  const items = input.list.items;
  const shown = items.slice(0, shownCount);
  const recipe = recipeLabel(input.recipeName, input.recipeId);
  const blocks: KnownBlock[] = [header(`${recipe} — ${input.customer.display}`), context(summaryLine(input))];

  if (items.length === 0) blocks.push(section(emptyPageText(input)));
  for (const job of shown) blocks.push(...jobBlocks(job, where, ids));

  const notes: string[] = [];
  if (shown.length < items.length) {
    notes.push(
      `Showing ${shown.length} of ${countOf(items.length, "job")} on this page — use *Older* to see more.`,
    );
  }

  const failedMasterIds = [
    ...new Set(shown.filter((job) => job.status === "failed").map((job) => masterJobIdOf(job))),
  ];
  const repeatFailed = repeatFailedButton(ids, where, failedMasterIds);
  if (repeatFailed && repeatFailed.carried < failedMasterIds.length) {
    notes.push(
      `*Repeat ${repeatFailed.carried} failed* covers the first ${repeatFailed.carried} of the ${failedMasterIds.length} failed jobs shown (a button can carry no more); repeat the others with their own *Repeat* buttons.`,
    );
  }
  if (notes.length > 0) blocks.push(context(notes.join("\n")));

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
    repeatFailed?.button ?? null,
  ]);
  if (footer) blocks.push(footer);
  return blocks;
}

function filterWords(filter: ListFilter): string[] {
  return [filter.status ? `${filter.status} only` : null, filter.rerunOnly ? "reruns only" : null].filter(
    (word): word is string => word !== null,
  );
}

function summaryLine(input: JobListMessageInput): string {
  const { list, filter, paging } = input;
  const parts = [
    `:white_check_mark: ${list.job_succeeded_count} succeeded`,
    `:x: ${list.job_failed_count} failed`,
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

function jobBlocks(job: JobSummary, where: RecipeInWorkspace, ids: ActionIds): KnownBlock[] {
  const title = job.title?.trim() ? job.title : "(untitled job)";
  const lines = [
    `${statusEmoji(job.status)} *${escapeTruncated(title, TITLE_MAX)}*`,
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
