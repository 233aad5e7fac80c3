// The message for one page of a recipe's jobs: counts, the jobs, and paging. A page that fits is shown in full (a
// section and buttons per job, with what became of each failed job's repeats); a longer one compactly (see
// job-list-compact.ts).
import type { KnownBlock } from "@slack/types";
import type { Handling } from "../../lineage/lineage.js";
import type { JobSummary } from "../../workato/schemas.js";
import { type ActionIds, createActionIds } from "./action-ids.js";
import { actions, type SlackMessage, section } from "./elements.js";
import {
  customerTitle,
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
  masterJobIdOf,
  type RecipeInWorkspace,
  recipeLabel,
  repeatOneButton,
} from "./job-buttons.js";
import { compactLayout } from "./job-list-compact.js";
import {
  closingBlocks,
  emptyPageText,
  handlingIn,
  heading,
  type JobListMessageInput,
  jobTitle,
  pendingCount,
} from "./job-list-parts.js";
import { fitsInOneMessage, NOTE_RESERVE } from "./limits.js";
import { lineageLine } from "./lineage-words.js";

export type { JobListMessageInput };

export function buildJobListMessage(input: JobListMessageInput): SlackMessage {
  const where: RecipeInWorkspace = input;
  const recipe = recipeLabel(input.recipeName, input.recipeId);
  const { list } = input;
  const pending = pendingCount(list);
  const text = `${escapeTruncated(recipe, 150)} — ${escapeMrkdwn(customerTitle(input.customer, input.customerName))}: ${list.job_succeeded_count} succeeded, ${list.job_failed_count} failed, ${pending > 0 ? `${pending} pending, ` : ""}${list.job_count} total`;

  // Buttons per job cost two blocks and a confirm dialog per failed job, so only about 20 fit; past that the
  // compact layout keeps every job of the page reachable and "Repeat N failed" covering all of them.
  const full = fullLayout(input, where);
  if (fitsInOneMessage(full, NOTE_RESERVE)) return { text, blocks: full };
  return { text, blocks: compactLayout(input, where) };
}

// ---- The full layout: a section per job with its Details button, and a Repeat button per failed job.

const TITLE_MAX = 120;
const ERROR_LINE_MAX = 200;

function fullLayout(input: JobListMessageInput, where: RecipeInWorkspace): KnownBlock[] {
  const ids = createActionIds();
  const items = input.list.items;
  const blocks = heading(input);
  if (items.length === 0) blocks.push(section(emptyPageText(input)));
  const handling = handlingIn(input);
  for (const job of items) blocks.push(...jobBlocks(job, where, ids, handling(masterJobIdOf(job))));

  blocks.push(
    ...closingBlocks(input, where, ids, items, [], "repeat the others with their own *Repeat* buttons"),
  );
  return blocks;
}

function jobBlocks(
  job: JobSummary,
  where: RecipeInWorkspace,
  ids: ActionIds,
  handling: Handling,
): KnownBlock[] {
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
  const lineage = failed && isMasterJob(job) ? lineageLine(handling) : null;
  if (lineage) lines.push(lineage);

  const details = detailsButton(ids, where, job.id);
  const blocks: KnownBlock[] = [section(lines.join("\n"), details ?? undefined)];
  // A list never offers what the bot knows is done: a job whose repeat succeeded or is running has no Repeat (its
  // line says so; its details still offer one, with a warning), and "Repeat again" only follows a failed repeat.
  const done = handling.kind === "succeeded" || handling.kind === "running";
  if (failed && !done) {
    const repeat = actions([repeatOneButton(ids, where, job, handling)]);
    if (repeat) blocks.push(repeat);
  }
  return blocks;
}
