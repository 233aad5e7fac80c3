// Fetches what a list or details message shows from Workato and answers with it through the response_url.
import type { Logger } from "pino";
import type { CustomerRef } from "../../workato/customer-ref.js";
import type { CallPriority } from "../../workato/limits.js";
import type { SlackMessage } from "../blocks/elements.js";
import type { ListFilter } from "../blocks/job-buttons.js";
import { buildJobDetailsMessage } from "../blocks/job-details-blocks.js";
import { buildJobListMessage } from "../blocks/job-list-blocks.js";
import type { HandlerDeps } from "../handler-deps.js";
import type { ResponseOptions } from "../io/poster.js";
import { answerWithExplainedFailure } from "./explained-failure.js";
import { failedMastersOf, readHandling } from "./job-lineage.js";

export interface JobListRequest {
  customer: CustomerRef;
  recipeId: number;
  filter: ListFilter;
  /** offsetStartedAt (ms): the paged-from job's start, so the page can name it by time */
  paging: { offsetJobId?: string; offsetStartedAt?: number; newer?: boolean };
}

export async function answerWithJobList(
  deps: HandlerDeps,
  request: JobListRequest,
  responseUrl: string,
  options: ResponseOptions,
  log: Logger,
): Promise<SlackMessage | null> {
  const drawn = await drawJobList(deps, request, "interactive", log);
  if (!drawn.ok) {
    log.warn({ err: drawn.error }, "listing jobs failed");
    await answerWithExplainedFailure(
      deps,
      responseUrl,
      drawn.error,
      `listing the jobs of recipe ${request.recipeId}`,
      { customer: request.customer, recipeId: request.recipeId },
    );
    return null;
  }
  await deps.poster.respond(responseUrl, drawn.message, options);
  return drawn.message;
}

/**
 * One page of a recipe's jobs as a message, with what became of each failed job shown (the lineage, read for
 * display): what a list command answers and what a list view is redrawn with. `priority` "background" for a redraw.
 */
export async function drawJobList(
  deps: Pick<HandlerDeps, "workato" | "names" | "lineage">,
  request: JobListRequest,
  priority: CallPriority,
  log: Logger,
): Promise<{ ok: true; message: SlackMessage; failedMasterIds: string[] } | { ok: false; error: unknown }> {
  const { customer, recipeId, filter, paging } = request;
  const [list, recipe] = await Promise.allSettled([
    deps.workato.listJobs(
      customer,
      recipeId,
      {
        ...(filter.status !== undefined ? { status: filter.status } : {}),
        ...(filter.rerunOnly ? { rerunOnly: true } : {}),
        ...(paging.offsetJobId !== undefined ? { offsetJobId: paging.offsetJobId } : {}),
        ...(paging.newer ? { newer: true } : {}),
      },
      { priority },
    ),
    deps.names.recipe(customer, recipeId),
  ]);
  if (list.status === "rejected") return { ok: false, error: list.reason };
  // What became of the failed jobs shown decides their lines and what their buttons offer.
  const masters = failedMastersOf(list.value.items);
  const handling = await readHandling(deps, request, masters, log, "display", priority);
  const message = buildJobListMessage({
    customer,
    recipeId,
    recipeName: recipe.status === "fulfilled" ? recipe.value : null,
    customerName: deps.names.customer(customer),
    list: list.value,
    filter,
    paging,
    handling,
  });
  return { ok: true, message, failedMasterIds: masters.map((master) => master.id) };
}

export async function answerWithJobDetails(
  deps: HandlerDeps,
  request: { customer: CustomerRef; recipeId: number; jobId: string },
  responseUrl: string,
  options: ResponseOptions,
  log: Logger,
): Promise<void> {
  const { customer, recipeId, jobId } = request;
  const [job, recipe] = await Promise.allSettled([
    deps.workato.getJob(customer, recipeId, jobId),
    deps.names.recipe(customer, recipeId),
  ]);
  if (job.status === "rejected") {
    log.warn({ err: job.reason }, "reading a job failed");
    await answerWithExplainedFailure(deps, responseUrl, job.reason, `reading job ${jobId}`, {
      customer,
      recipeId,
      jobId,
    });
    return;
  }
  // A failed job's Repeat dialog must say so when its repeat succeeded or is running, as a list's does.
  const [master] = failedMastersOf([job.value]);
  const handling = master
    ? (await readHandling(deps, request, [master], log, "display"))(master.id)
    : undefined;
  const message = buildJobDetailsMessage({
    customer,
    recipeId,
    recipeName: recipe.status === "fulfilled" ? recipe.value : null,
    customerName: deps.names.customer(customer),
    job: job.value,
    ...(handling ? { handling } : {}),
    workatoUrl: deps.links.job(customer, recipeId, job.value.id),
  });
  await deps.poster.respond(responseUrl, message, options);
}
