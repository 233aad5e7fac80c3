// The buttons and menus of list and details messages that only read: a job's details, one step's data, and paging.
import type { BlockAction, ButtonAction, StaticSelectAction } from "@slack/bolt";
import type { Logger } from "pino";
import type { JobDetails } from "../../workato/schemas.js";
import { channelOf, type Target, type TargetHandler } from "../action-target.js";
import { type ButtonValue, decodeJobContext, decodeListContext } from "../blocks/action-ids.js";
import { buildErrorMessage } from "../blocks/help-blocks.js";
import { buildStepDataMessage } from "../blocks/step-data-blocks.js";
import { isJobId } from "../commands/arguments.js";
import type { HandlerDeps } from "../handler-deps.js";
import { answerWithFailure } from "./explained-failure.js";
import { recordClickedList } from "./job-list-views.js";
import { answerWithJobDetails, answerWithJobList } from "./job-views.js";

/** A job's details answer the person who asked, privately; the list they came from stays as it is. */
export async function showDetailsPrivately(
  deps: HandlerDeps,
  body: Pick<BlockAction, "response_url">,
  _action: unknown,
  target: Target,
  log: Logger,
): Promise<void> {
  const jobId = target.value.j?.[0];
  if (jobId === undefined) return;
  await answerWithJobDetails(deps, { ...target, jobId }, body.response_url, { visibility: "ephemeral" }, log);
}

/** Big pages offer one "Details of a job…" menu: the option is the job id, the block carries customer and recipe. */
export function detailsMenuValue(action: StaticSelectAction): ButtonValue | null {
  const context = decodeListContext(action.block_id);
  const jobId = action.selected_option?.value;
  return context && jobId ? { c: context.c, r: context.r, j: [jobId] } : null;
}

/** "Show step data": the block carries the job, the option the step's position among its lines. */
export function stepDataValue(action: StaticSelectAction): ButtonValue | null {
  const context = decodeJobContext(action.block_id);
  return context && isJobId(context.j) ? { c: context.c, r: context.r, j: [context.j] } : null;
}

/** The step's input/output goes to the person who asked, privately; masked steps say so. */
export const showStepData: TargetHandler<StaticSelectAction> = async (deps, body, action, target, log) => {
  const jobId = target.value.j?.[0];
  // Options carry the step's position in the job's lines: a loop repeats a recipe line number.
  const position = Number(action.selected_option?.value);
  if (jobId === undefined || !Number.isInteger(position) || position < 0) return;
  let job: JobDetails;
  try {
    job = await deps.workato.getJob(target.customer, target.recipeId, jobId);
  } catch (error) {
    log.warn({ err: error }, "reading a job for its step data failed");
    await answerWithFailure(deps, body.response_url, error, `reading job ${jobId}`);
    return;
  }
  const line = job.lines[position];
  const message = line
    ? buildStepDataMessage({ jobId, line })
    : buildErrorMessage(`Could not read that step of job ${jobId} from Workato.`, "Try again in a moment.");
  await deps.poster.respond(body.response_url, message, { visibility: "ephemeral" });
};

/** Older / Newer / Latest jobs: the value is the whole next query, so paging keeps the list's filter. */
export function showPage(newer: boolean): TargetHandler<ButtonAction> {
  return async (deps, body, _action, target, log) => {
    const { value } = target;
    const page = await answerWithJobList(
      deps,
      {
        customer: target.customer,
        recipeId: target.recipeId,
        filter: { ...(value.s ? { status: value.s } : {}), rerunOnly: value.rr ?? false },
        // Without an offset there is nothing to be newer than: that is the latest page ("Latest jobs").
        paging:
          value.o !== undefined
            ? {
                offsetJobId: value.o,
                newer,
                ...(value.t !== undefined ? { offsetStartedAt: value.t * 1000 } : {}),
              }
            : {},
      },
      body.response_url,
      { visibility: "in_channel", replaceOriginal: true },
      log,
    );
    // The message now shows another page: a list registered as a view must be drawn again with this one, not the
    // page it showed when a repeat was started from it.
    const channel = channelOf(body);
    if (page && channel !== undefined && body.message && body.container.is_ephemeral !== true) {
      await recordClickedList(deps, target, { channel, ts: body.message.ts, blocks: page.blocks }, [], log);
    }
  };
}
