// The JSON shapes Workato answers with, built from simulator records; key order follows the doc's samples.
import type { JobPage } from "./listing.js";
import type { SimCustomer, SimRecipe } from "./state.js";
import type { SimJob } from "./types.js";

/**
 * ISO 8601 with milliseconds and a numeric offset, like the doc's "2023-08-31T02:25:11.000-07:00". Always UTC, but
 * written "+00:00" rather than "Z" so a client that only accepts "Z" fails here instead of against real Workato.
 */
export function workatoTimestamp(date: Date): string {
  return `${date.toISOString().slice(0, -1)}+00:00`;
}

function optionalTimestamp(date: Date | null): string | null {
  return date === null ? null : workatoTimestamp(date);
}

export function listItemJson(job: SimJob) {
  return {
    id: job.id,
    completed_at: optionalTimestamp(job.completedAt),
    started_at: workatoTimestamp(job.startedAt),
    title: job.title,
    is_poll_error: job.isPollError,
    error: job.error,
    is_error: job.status === "failed",
    status: job.status,
    calling_recipe_id: job.callingRecipeId,
    calling_job_id: job.callingJobId,
    recipe_id: job.recipeId,
    root_recipe_id: job.rootRecipeId,
    root_job_id: job.rootJobId,
    master_job_id: job.masterJobId,
  };
}

export function jobListJson(page: JobPage) {
  return {
    job_succeeded_count: page.succeededCount,
    job_failed_count: page.failedCount,
    job_count: page.totalCount,
    job_scope_count: page.scopeCount,
    items: page.items.map(listItemJson),
  };
}

/** Handles equal ids: Workato exposes both, and the sample shows them identical. */
export function jobDetailsJson(job: SimJob) {
  return {
    id: job.id,
    handle: job.id,
    recipe_id: job.recipeId,
    completed_at: optionalTimestamp(job.completedAt),
    started_at: workatoTimestamp(job.startedAt),
    title: job.title,
    is_poll_error: job.isPollError,
    lines: job.lines,
    error: job.error,
    is_error: job.status === "failed",
    is_repeat: job.isRepeat,
    is_test: job.isTest,
    is_test_case_job: false,
    master_job_id: job.masterJobId,
    master_job_handle: job.masterJobId,
    status: job.status,
    calling_recipe_id: job.callingRecipeId,
    calling_job_id: job.callingJobId,
    calling_job_handle: job.callingJobId,
    root_recipe_id: job.rootRecipeId,
    root_job_id: job.rootJobId,
  };
}

/** A subset of Workato's recipe object: enough that a client reading more than id and name still finds the keys. */
export function recipeObjectJson(recipe: SimRecipe) {
  const oldest = recipe.jobs[0];
  const newest = recipe.jobs[recipe.jobs.length - 1];
  const createdAt = workatoTimestamp(oldest?.startedAt ?? new Date(0));
  let succeeded = 0;
  let failed = 0;
  for (const job of recipe.jobs) {
    if (job.status === "succeeded") succeeded++;
    else if (job.status === "failed") failed++;
  }
  return {
    id: recipe.id,
    user_id: recipe.customerId,
    name: recipe.name,
    created_at: createdAt,
    updated_at: createdAt,
    copy_count: 1,
    trigger_application: recipe.triggerApplication,
    action_applications: ["netsuite", "lookup_table", "logger"],
    applications: [recipe.triggerApplication, "netsuite", "lookup_table", "logger"],
    description: `When there is a new or updated Account in Salesforce, do ${recipe.name}`,
    folder_id: recipe.folderId,
    running: recipe.running,
    job_succeeded_count: succeeded,
    job_failed_count: failed,
    last_run_at: optionalTimestamp(newest?.startedAt ?? null),
    stopped_at: optionalTimestamp(recipe.stoppedAt),
    version_no: 3,
    stop_cause: recipe.stopCause,
  };
}

export function recipeJson(recipe: SimRecipe, shape: "bare" | "result-array") {
  const bare = recipeObjectJson(recipe);
  return shape === "bare" ? bare : { result: [bare] };
}

/** A managed user as the Embedded API lists it; the bot reads id, external_id and name. */
export function customerJson(customer: SimCustomer) {
  const createdAt = workatoTimestamp(customer.createdAt);
  return {
    id: customer.id,
    external_id: customer.externalId ?? null,
    name: customer.name,
    notification_email: `ops+${customer.id}@example.com`,
    plan_id: "oem_plan",
    in_trial: false,
    created_at: createdAt,
    updated_at: createdAt,
  };
}

/** Lists are `{ result: [...] }` in the Embedded docs; the other shapes let a client prove it accepts them too. */
export function listJson<T>(items: T[], shape: "result" | "items" | "bare") {
  if (shape === "bare") return items;
  return shape === "items" ? { items } : { result: items };
}
