// A repeat as people see it in Slack: a channel-visible parent, every request's results in its thread, then a
// summary. The parent's repeat button is replaced by a note so nobody repeats the same jobs again by accident.
import type { KnownBlock } from "@slack/types";
import type { Logger } from "pino";
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

export async function runRepeat(deps: HandlerDeps, request: RepeatRequest, log: Logger): Promise<void> {
  const { poster } = deps;
  const name = await recipeName(deps, request.customer, request.recipeId);
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

  if (request.clicked) {
    const note = buildRepeatRequestedNote({ userId: request.userId, at: deps.now() });
    const blocks = markRepeatRequested(request.clicked.blocks, request.clicked.actionId, note);
    await poster.respond(
      request.responseUrl,
      { text: request.clicked.text, blocks },
      { replaceOriginal: true, visibility: "in_channel" },
    );
  }

  log.info({ jobs: request.jobIds.length, recipeId: request.recipeId }, "repeat started");
  const results = await deps.scheduler.repeat({
    customer: request.customer,
    recipeId: request.recipeId,
    jobIds: request.jobIds,
    onBatch: async (batch, batchNumber) => {
      const reply = await poster.post(
        request.channel,
        buildRepeatBatchReply({ batchNumber, results: batch }),
        threadTs,
      );
      if (!reply.ok)
        log.error({ slackError: reply.error, batchNumber }, "could not post a repeat batch's results");
    },
  });
  const summary = await poster.post(
    request.channel,
    buildRepeatSummary({ results, userId: request.userId }),
    threadTs,
  );
  if (!summary.ok) log.error({ slackError: summary.error }, "could not post a repeat's summary");
  log.info(
    {
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
