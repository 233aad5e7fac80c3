// A repeat as people see it in Slack: a channel-visible parent, every request's results in its thread, then a
// summary. The parent's repeat button is replaced by a note so nobody repeats the same jobs again by accident.
import type { KnownBlock } from "@slack/types";
import type { Logger } from "pino";
import type { RepeatRecord } from "../store/store.js";
import type { CustomerRef } from "../workato/customer-ref.js";
import { buildErrorMessage } from "./blocks/help-blocks.js";
import {
  buildRepeatBatchReply,
  buildRepeatRequestedNote,
  buildRepeatStartedMessage,
  buildRepeatSummary,
  markRepeatRequested,
} from "./blocks/repeat-blocks.js";
import type { HandlerDeps } from "./handler-deps.js";
import { recipeName } from "./job-views.js";

export interface RepeatRequest {
  userId: string;
  channel: string;
  customer: CustomerRef;
  recipeId: number;
  /** master job ids, distinct */
  jobIds: string[];
  /** for private answers to the person who asked */
  responseUrl: string;
  /** the channel message whose button was clicked; without it a new parent message is posted */
  clicked?: { ts: string; text: string; blocks: KnownBlock[]; actionId: string };
  /** given back if the repeat cannot start, so the person can try again */
  claimKey: string;
}

const RECIPE_NAME_WAIT_MS = 500;

export async function runRepeat(deps: HandlerDeps, request: RepeatRequest, log: Logger): Promise<void> {
  const { poster } = deps;
  // The name makes the parent readable, but a slow Workato must not hold the repeat up: "Recipe 28904" will do.
  const name = await Promise.race([
    recipeName(deps, request.customer, request.recipeId),
    new Promise<null>((resolve) => setTimeout(() => resolve(null), RECIPE_NAME_WAIT_MS).unref()),
  ]);
  const started = buildRepeatStartedMessage({
    userId: request.userId,
    count: request.jobIds.length,
    recipeName: name,
    recipeId: request.recipeId,
    customer: request.customer,
  });

  // The parent must be postable before anything is repeated: results with nowhere to go would be lost.
  const opening = request.clicked
    ? await poster.post(request.channel, started, request.clicked.ts)
    : await poster.post(request.channel, started);
  if (!opening.ok) {
    deps.claims.release(request.claimKey);
    log.warn({ slackError: opening.error }, "repeat not started: cannot post in the channel");
    await poster.respond(request.responseUrl, cannotPostHere(opening.error));
    return;
  }
  const threadTs = request.clicked?.ts ?? opening.ts;

  // Recorded before anything is sent, so a crash from here on resumes in this thread.
  let record: RepeatRecord;
  try {
    record = deps.store.createRepeat(
      {
        userId: request.userId,
        channel: request.channel,
        threadTs,
        customer: request.customer.display,
        recipeId: request.recipeId,
      },
      request.jobIds,
    );
  } catch (error) {
    deps.claims.release(request.claimKey);
    log.error({ err: error }, "repeat not started: could not record it");
    await poster.post(
      request.channel,
      buildErrorMessage(
        "I could not record this repeat safely, so nothing was repeated.",
        "Try again in a moment.",
      ),
      threadTs,
    );
    return;
  }

  // Only once the repeat is on record does the message say so (and lose its button).
  if (request.clicked) {
    const note = buildRepeatRequestedNote({ userId: request.userId, at: deps.now() });
    const blocks = markRepeatRequested(request.clicked.blocks, request.clicked.actionId, note);
    await poster.respond(
      request.responseUrl,
      { text: request.clicked.text, blocks },
      { replaceOriginal: true, visibility: "in_channel" },
    );
  }

  log.info(
    { repeatId: record.id, jobs: request.jobIds.length, recipeId: request.recipeId },
    "repeat started",
  );
  await driveRepeat(deps, record, request.customer, request.jobIds, log);
}

/** Sends the given jobs of a recorded repeat, reports each request in the thread, then the summary of all. */
export async function driveRepeat(
  deps: HandlerDeps,
  record: RepeatRecord,
  customer: CustomerRef,
  jobIds: string[],
  log: Logger,
): Promise<void> {
  const { poster, store } = deps;
  const items = (ids: string[]) => ids.map((jobId) => ({ repeatId: record.id, jobId }));
  const sentNow = await deps.scheduler.repeat({
    customer,
    recipeId: record.recipeId,
    jobIds,
    batchesAlreadyReported: store.batchesReported(record.id),
    onSend: (ids) => {
      store.markInFlight(items(ids), Date.now());
    },
    onRetry: (ids) => store.markWaiting(items(ids)),
    onBatch: async (batch, batchNumber) => {
      try {
        store.recordResults(record.id, batch, batchNumber);
      } catch (error) {
        // The thread still hears the results; the summary below uses them even though the store missed them.
        log.error({ err: error, batchNumber }, "could not record a repeat batch's results");
      }
      const reply = await poster.post(
        record.channel,
        buildRepeatBatchReply({ batchNumber, results: batch }),
        record.threadTs,
      );
      if (!reply.ok)
        log.error({ slackError: reply.error, batchNumber }, "could not post a repeat batch's results");
    },
  });

  // The summary covers every job of the repeat: those settled before a restart come from the store.
  const now = new Map(sentNow.map((result) => [result.jobId, result]));
  const results = store.repeatJobs(record.id).flatMap((job) => {
    const result = now.get(job.jobId) ?? (job.status.state === "done" ? job.status.result : undefined);
    return result ? [result] : [];
  });
  const summary = await poster.post(
    record.channel,
    buildRepeatSummary({ results, userId: record.userId }),
    record.threadTs,
  );
  if (!summary.ok) log.error({ slackError: summary.error }, "could not post a repeat's summary");
  store.finishRepeat(record.id, Date.now());
  log.info(
    {
      repeatId: record.id,
      enqueued: results.filter((result) => result.outcome === "enqueued").length,
      failed: results.filter((result) => result.outcome === "failed").length,
      unknown: results.filter((result) => result.outcome === "unknown").length,
    },
    "repeat finished",
  );
}

function cannotPostHere(slackError: string) {
  if (slackError === "not_in_channel" || slackError === "channel_not_found") {
    return buildErrorMessage(
      "I am not a member of this channel, so I could not post the repeat's results here. Nothing was repeated.",
      "Invite me with /invite @workato-jobs (or mention me and accept Slack's offer to add me), then try again.",
    );
  }
  return buildErrorMessage(
    `Slack refused my message (${slackError}), so the repeat was not started. Nothing was repeated.`,
    "Try again in a moment.",
  );
}
