// What both layouts of a job list share: its input, the heading with the counts line, and the closing blocks: notes
// on what "Repeat N failed" leaves out, paging, and that button.
import type { KnownBlock } from "@slack/types";
import { type Handling, leftOutCount, type RepeatSelection, selectForRepeat } from "../../lineage/lineage.js";
import { parseIsoTime } from "../../time.js";
import type { CustomerRef } from "../../workato/customer-ref.js";
import type { JobList, JobSummary } from "../../workato/schemas.js";
import { type ActionIds, encodeListPage, type ListPage } from "./action-ids.js";
import { actions, context, header } from "./elements.js";
import { customerTitle, inlineCode, slackDateOfMs, statusShortcode } from "./format.js";
import {
  type ListFilter,
  masterJobIdOf,
  pageButton,
  type RecipeInWorkspace,
  recipeLabel,
  repeatFailedButton,
} from "./job-buttons.js";
import { leftOutReasonList } from "./lineage-words.js";

export interface JobListMessageInput {
  customer: CustomerRef;
  recipeId: number;
  /** null when the name lookup failed: the recipe is shown as "Recipe <id>" */
  recipeName: string | null;
  /** the directory's name of the customer; null or absent: shown by id */
  customerName?: string | null;
  list: JobList;
  filter: ListFilter;
  /** the query that produced this page; offsetStartedAt (ms) lets it say "older than 5:26 PM" */
  paging: { offsetJobId?: string; offsetStartedAt?: number; newer?: boolean };
  /**
   * What became of each failed master job shown (by master id), read from lineage; without it every job counts
   * as never repeated.
   */
  handling?: (masterJobId: string) => Handling;
}

export const NEVER_REPEATED: Handling = { kind: "never_repeated" };

export function handlingIn(input: JobListMessageInput): (masterJobId: string) => Handling {
  return input.handling ?? (() => NEVER_REPEATED);
}

/** Jobs neither succeeded nor failed: Workato's counts leave them to be worked out. */
export function pendingCount(list: JobList): number {
  return Math.max(0, list.job_count - list.job_succeeded_count - list.job_failed_count);
}

export function heading(input: JobListMessageInput): KnownBlock[] {
  const recipe = recipeLabel(input.recipeName, input.recipeId);
  const counts = context(summaryLine(input));
  // The page's query rides on its counts line, so a click on the list can register it to be drawn again.
  const page = encodeListPage(listPageOf(input));
  return [
    header(`${recipe} — ${customerTitle(input.customer, input.customerName)}`),
    page === null ? counts : { ...counts, block_id: page },
  ];
}

/** The filter and page a list shows, as its counts line carries them. */
export function listPageOf(input: Pick<JobListMessageInput, "filter" | "paging">): ListPage {
  const { filter, paging } = input;
  return {
    ...(filter.status ? { s: filter.status } : {}),
    ...(filter.rerunOnly ? { rr: true as const } : {}),
    ...(paging.offsetJobId !== undefined ? { o: paging.offsetJobId } : {}),
    ...(paging.offsetStartedAt !== undefined ? { t: paging.offsetStartedAt } : {}),
    ...(paging.newer ? { n: true as const } : {}),
  };
}

export function jobTitle(job: JobSummary): string {
  return job.title?.trim() ? job.title : "(untitled job)";
}

/** Each original job once: repeat_jobs takes master ids, and a failed repeat stands for its original. */
export function failedMasterIds(jobs: readonly JobSummary[]): string[] {
  return [...new Set(jobs.filter((job) => job.status === "failed").map((job) => masterJobIdOf(job)))];
}

/** The failed jobs "Repeat N failed" may send: none whose repeat succeeded, is running, or is unknown. */
function repeatSelection(input: JobListMessageInput, jobs: readonly JobSummary[]): RepeatSelection {
  return selectForRepeat(failedMasterIds(jobs), handlingIn(input), { again: false });
}

/**
 * The earliest start among the master jobs `masterIds` names, each shown on this page as itself; null when one is
 * only shown through a failed repeat (its master's start is not on the page) or has no start.
 */
function oldestMasterStart(jobs: readonly JobSummary[], masterIds: readonly string[]): number | null {
  let oldest = Number.POSITIVE_INFINITY;
  for (const id of masterIds) {
    const master = jobs.find((job) => job.id === id && masterJobIdOf(job) === id);
    const startedAt = master ? parseIsoTime(master.started_at) : null;
    if (startedAt === null) return null;
    oldest = Math.min(oldest, startedAt);
  }
  return Number.isFinite(oldest) ? oldest : null;
}

/**
 * Where the heading's "N failed" went, so it adds up beside "Repeat M failed": the jobs the button leaves out and
 * why, failed repeats of an original counted once, and failures not on this page. Null when M is N.
 */
function failedBreakdownNote(
  input: JobListMessageInput,
  shown: readonly JobSummary[],
  selection: RepeatSelection,
  olderOffered: boolean,
): string | null {
  const failedCount = input.list.job_failed_count;
  const send = selection.send.length;
  const left = leftOutCount(selection.leftOut);
  const shownFailed = shown.filter((job) => job.status === "failed").length;
  // A page with no failure has no Repeat M failed to account for (a succeeded-only list, say).
  if (shownFailed === 0) return null;
  // repeat_jobs takes originals: failed repeats of one original, and the original itself, are one job to repeat.
  const sameOriginal = Math.max(0, shownFailed - send - left);
  const notShown = Math.max(0, failedCount - shownFailed);
  if (left === 0 && sameOriginal === 0 && notShown === 0) return null;
  const parts = leftOutReasonList(selection.leftOut);
  if (sameOriginal > 0) {
    parts.push(
      `${sameOriginal} ${sameOriginal === 1 ? "is a failed repeat" : "are failed repeats"} of an original counted here`,
    );
  }
  if (notShown > 0) parts.push(`${notShown} not on this page${olderOffered ? " (*Older*)" : ""}`);
  return send === 0
    ? `*${failedCount} failed* = ${parts.join(" · ")}: nothing here needs repeating.`
    : `*${failedCount} failed* = ${send} in *Repeat ${send} failed* · ${parts.join(" · ")}.`;
}

/**
 * Whether jobs older than this page may match: not when this is the first page and it already shows every match
 * Workato counts.
 */
function mayHaveOlder(input: JobListMessageInput): boolean {
  const { list, filter, paging } = input;
  if (paging.offsetJobId !== undefined || paging.newer) return true;
  const unfiltered = filter.status === undefined && !filter.rerunOnly;
  const matches = list.job_scope_count ?? (unfiltered ? list.job_count : undefined);
  return matches === undefined || list.items.length < matches;
}

function repeatCoverageNote(carried: number, failed: number, repeatOthers: string): string {
  return `*Repeat ${carried} failed* covers the first ${carried} of the ${failed} failed jobs shown (a button can carry no more); ${repeatOthers}.`;
}

/**
 * The closing blocks both layouts share: the layout's `notes` and what "Repeat N failed" over the failed jobs
 * `shown` leaves out (those its button cannot carry, says `repeatOthers`, are repeated another way), then paging
 * and that button.
 */
export function closingBlocks(
  input: JobListMessageInput,
  where: RecipeInWorkspace,
  ids: ActionIds,
  shown: readonly JobSummary[],
  notes: readonly string[],
  repeatOthers: string,
): KnownBlock[] {
  const selection = repeatSelection(input, shown);
  const masterIds = selection.send;
  const repeatFailed = repeatFailedButton(
    ids,
    where,
    masterIds,
    selection.leftOut,
    oldestMasterStart(shown, masterIds),
  );
  const allNotes = [...notes];
  const items = input.list.items;
  const last = shown.at(-1);
  // A compact page showing only its beginning always has more to page to.
  const olderOffered = last !== undefined && (shown.length < items.length || mayHaveOlder(input));
  const breakdown = failedBreakdownNote(input, shown, selection, olderOffered);
  if (breakdown) allNotes.push(breakdown);
  if (repeatFailed && repeatFailed.carried < masterIds.length) {
    allNotes.push(repeatCoverageNote(repeatFailed.carried, masterIds.length, repeatOthers));
  }
  const blocks: KnownBlock[] = [];
  if (allNotes.length > 0) blocks.push(context(allNotes.join("\n")));
  const first = shown[0];
  const isFirstPage = input.paging.offsetJobId === undefined && !input.paging.newer;
  const footer = actions([
    first && !isFirstPage
      ? pageButton(ids, where, input.filter, {
          label: "Newer",
          offsetJobId: first.id,
          offsetStartedAt: parseIsoTime(first.started_at),
          newer: true,
        })
      : null,
    // An empty page other than the first leaves nothing to page from: offer the latest page instead.
    items.length === 0 && !isFirstPage
      ? pageButton(ids, where, input.filter, { label: "Latest jobs", newer: true })
      : null,
    last && olderOffered
      ? pageButton(ids, where, input.filter, {
          label: "Older",
          offsetJobId: last.id,
          offsetStartedAt: parseIsoTime(last.started_at),
          newer: false,
        })
      : null,
    repeatFailed?.button ?? null,
  ]);
  if (footer) blocks.push(footer);
  return blocks;
}

export function filterWords(filter: ListFilter): string[] {
  return [filter.status ? `${filter.status} only` : null, filter.rerunOnly ? "reruns only" : null].filter(
    (word): word is string => word !== null,
  );
}

export function summaryLine(input: JobListMessageInput): string {
  const { list, filter, paging } = input;
  const pending = pendingCount(list);
  const parts = [
    `${statusShortcode("succeeded")} ${list.job_succeeded_count} succeeded`,
    `${statusShortcode("failed")} ${list.job_failed_count} failed`,
    ...(pending > 0 ? [`${statusShortcode("pending")} ${pending} pending`] : []),
    `${list.job_count} total`,
  ];
  const words = filterWords(filter);
  if (words.length > 0) {
    const matching = list.job_scope_count === undefined ? "" : ` (${list.job_scope_count} match)`;
    parts.push(`filter: ${words.join(", ")}${matching}`);
  }
  if (paging.offsetJobId !== undefined) {
    // A time reads better than a job id; Slack's date token shows it in each reader's own time zone.
    const than =
      paging.offsetStartedAt !== undefined
        ? slackDateOfMs(paging.offsetStartedAt)
        : inlineCode(paging.offsetJobId, 40);
    parts.push(`${paging.newer ? "newer" : "older"} than ${than}`);
  }
  return parts.join(" · ");
}

export function emptyPageText(input: JobListMessageInput): string {
  const words = filterWords(input.filter);
  const filtered = words.length > 0 ? ` (${words.join(", ")})` : "";
  if (input.paging.offsetJobId === undefined && !input.paging.newer) {
    return `:mag: No jobs match${filtered} for this recipe yet.`;
  }
  const direction = input.paging.newer ? "newer" : "older";
  return `:mag: No ${direction} jobs match${filtered}. *Latest jobs* starts again from the newest.`;
}
