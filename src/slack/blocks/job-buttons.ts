// The buttons that act on a recipe's jobs (Details, Repeat, Repeat N failed, Older/Newer), with the value each
// carries back and the confirmation a repeat asks for, warning of repeats already made. Shared by list and details.
import type { Button } from "@slack/types";
import type { Handling, LeftOut } from "../../lineage/lineage.js";
import { parseIsoTime } from "../../time.js";
import type { CustomerRef } from "../../workato/customer-ref.js";
import type { JobStatus } from "../../workato/job-status.js";
import type { JobSummary } from "../../workato/schemas.js";
import {
  ACTIONS,
  type ActionIds,
  type ButtonValue,
  encodeButtonValue,
  encodeWithJobIds,
  fitsInButton,
} from "./action-ids.js";
import { button, confirmDialog } from "./elements.js";
import { countOf, customerText, truncate } from "./format.js";
import { leftOutSentence, repeatWarning, warnsOfDuplicate } from "./lineage-words.js";

/** Which recipe, in which customer workspace, a message is about. */
export interface RecipeInWorkspace {
  customer: CustomerRef;
  recipeId: number;
  /** null when the name lookup failed */
  recipeName: string | null;
  /** the directory's name of the customer; null or absent: shown by id */
  customerName?: string | null;
}

export function recipeLabel(recipeName: string | null, recipeId: number): string {
  return recipeName === null || recipeName.trim() === "" ? `Recipe ${recipeId}` : recipeName;
}

/** The job Workato repeats for this one: repeat_jobs only accepts master job ids. */
export function masterJobIdOf(job: Pick<JobSummary, "id" | "master_job_id">): string {
  return job.master_job_id ?? job.id;
}

export function isMasterJob(job: Pick<JobSummary, "id" | "master_job_id">): boolean {
  return masterJobIdOf(job) === job.id;
}

function baseValue(where: RecipeInWorkspace): ButtonValue {
  return { c: where.customer.display, r: where.recipeId };
}

/**
 * `t`: a time (s) no later than any carried master job's start, so the click's re-check knows how far back their
 * repeats can reach; without it, a recipe with more repeats than the reader pages makes every job "unknown".
 */
function startedNoEarlierThan(ms: number | null | undefined): Pick<ButtonValue, "t"> {
  if (ms === null || ms === undefined || ms < 0) return {};
  return { t: Math.floor(ms / 1000) };
}

function valueOrNull(value: ButtonValue): string | null {
  return fitsInButton(value) ? encodeButtonValue(value) : null;
}

/** null only for a job id too long to fit in a button value. */
export function detailsButton(ids: ActionIds, where: RecipeInWorkspace, jobId: string): Button | null {
  const value = valueOrNull({ ...baseValue(where), j: [jobId] });
  return value === null ? null : button(ids.next(ACTIONS.details), "Details", value);
}

/**
 * Repeats one master job, after a confirmation naming it. After a failed repeat it says "Repeat again"; when the
 * job's repeat succeeded or is running its dialog says so plainly, and the value records that the person was told.
 * None for a job Workato cannot repeat: its line says why.
 */
export function repeatOneButton(
  ids: ActionIds,
  where: RecipeInWorkspace,
  job: Pick<JobSummary, "id" | "master_job_id"> & { started_at?: string | null },
  handling: Handling = NEVER_REPEATED,
): Button | null {
  if (handling.kind === "cannot_repeat") return null;
  const masterId = masterJobIdOf(job);
  const told = warnsOfDuplicate(handling);
  // Only a master's own start bounds its repeats; a repeat's start is later than its master's.
  const started = isMasterJob(job) ? startedNoEarlierThan(parseIsoTime(job.started_at ?? null)) : {};
  const value = valueOrNull({
    ...baseValue(where),
    ...started,
    j: [masterId],
    ...(told ? { a: true as const } : {}),
  });
  if (value === null) return null;
  const shownMaster = truncate(masterId, 60);
  const customer = truncate(customerText(where.customer, where.customerName), 60);
  const runs = isMasterJob(job)
    ? `This runs the recipe again for ${customer} with the trigger data of job ${shownMaster}.`
    : `${truncate(job.id, 60)} is a repeat: this runs the recipe again for ${customer} with the trigger data of the original job ${shownMaster}.`;
  const warning = repeatWarning(handling, shownMaster);
  const again = handling.kind === "failed_again";
  const text = again
    ? `Its last repeat (${truncate(handling.latest.newJobId, 60)}) failed too. ${runs}`
    : warning === null
      ? runs
      : `${warning} ${runs}`;
  const title = told ? `Already repeated: repeat ${shownMaster}?` : `Repeat job ${shownMaster}?`;
  return button(ids.next(ACTIONS.repeatOne), again ? "Repeat again" : "Repeat", value, {
    confirm: confirmDialog({ title, text, confirm: told ? "Repeat anyway" : "Repeat", deny: "Cancel" }),
  });
}

const NEVER_REPEATED: Handling = { kind: "never_repeated" };

/**
 * Repeats many master jobs at once. The value carries as many ids as fit in a button; the label and dialog
 * count only those, and `carried` tells the caller whether to say that some were left out.
 */
export function repeatFailedButton(
  ids: ActionIds,
  where: RecipeInWorkspace,
  masterIds: readonly string[],
  leftOut?: LeftOut,
  /** no later than the start of every master in `masterIds` (ms); null or absent when not known for all */
  oldestStartedAt?: number | null,
  /** App Home: the alert the button belongs to, whose thread the repeat reports in */
  alert?: { watchId: number; signature: string },
): { button: Button; carried: number } | null {
  if (masterIds.length === 0) return null;
  const { value, carried } = encodeWithJobIds(
    {
      ...baseValue(where),
      ...startedNoEarlierThan(oldestStartedAt),
      ...(alert ? { w: alert.watchId, g: alert.signature } : {}),
    },
    masterIds,
  );
  if (carried === 0) return null;
  const recipe = truncate(recipeLabel(where.recipeName, where.recipeId), 80);
  const customer = truncate(customerText(where.customer, where.customerName), 60);
  const jobs = countOf(carried, "job");
  return {
    carried,
    button: button(ids.next(ACTIONS.repeatFailed), `Repeat ${carried} failed`, value, {
      style: "primary",
      confirm: confirmDialog({
        title: `Repeat ${carried} failed ${carried === 1 ? "job" : "jobs"}?`,
        text: [
          `This runs the recipe again for ${jobs} of ${recipe} for ${customer}.`,
          leftOut ? leftOutSentence(leftOut) : "",
        ]
          .filter(Boolean)
          .join(" "),
        confirm: "Repeat",
        deny: "Cancel",
      }),
    }),
  };
}

export interface ListFilter {
  status?: JobStatus;
  rerunOnly?: boolean;
}

/**
 * A paging button: its action (older / newer) is the direction and its value the rest of the next query, so the
 * handler lists with exactly {offsetJobId: o, status: s, rerunOnly: rr}. Without `offsetJobId` it asks for the
 * latest page.
 */
export function pageButton(
  ids: ActionIds,
  where: RecipeInWorkspace,
  filter: ListFilter,
  page: { label: string; offsetJobId?: string; offsetStartedAt?: number | null; newer: boolean },
): Button | null {
  const seconds =
    page.offsetStartedAt === undefined || page.offsetStartedAt === null
      ? undefined
      : Math.floor(page.offsetStartedAt / 1000);
  const value = valueOrNull({
    ...baseValue(where),
    ...(page.offsetJobId !== undefined ? { o: page.offsetJobId } : {}),
    ...(seconds !== undefined && seconds >= 0 ? { t: seconds } : {}),
    ...(filter.status ? { s: filter.status } : {}),
    ...(filter.rerunOnly ? { rr: true } : {}),
  });
  if (value === null) return null;
  return button(ids.next(page.newer ? ACTIONS.newer : ACTIONS.older), page.label, value);
}
