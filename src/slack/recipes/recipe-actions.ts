// A recipe list's buttons: "List failed" posts the recipe's failed jobs; "Watch" starts a watch of the recipe in this
// channel (keeping the mentions of a watch it already has) and says privately how to add people to mention.
import type { ButtonAction } from "@slack/bolt";
import type { TargetHandler } from "../action-target.js";
import { requesterOf } from "../action-target.js";
import { context, section } from "../blocks/elements.js";
import { escapeMrkdwn, inlineCode } from "../blocks/format.js";
import { buildErrorMessage } from "../blocks/help-blocks.js";
import { USAGE } from "../commands/grammar.js";
import { answerWithJobList } from "../jobs/job-views.js";
import { handleWatchCommand } from "../watches/watch-commands.js";

/** A new message in the channel: the list of recipes stays as it is. */
export const listFailedOfRecipe: TargetHandler<ButtonAction> = async (deps, body, _action, target, log) => {
  await answerWithJobList(
    deps,
    { customer: target.customer, recipeId: target.recipeId, filter: { status: "failed" }, paging: {} },
    body.response_url,
    { visibility: "in_channel" },
    log,
  );
};

/**
 * Starts the watch as `/workato-jobs watch <customer> <recipe>` would. A button cannot ask whom to mention, so a new
 * watch mentions nobody and an existing one keeps its mentions; the person is told how to set them.
 */
export const watchRecipe: TargetHandler<ButtonAction> = async (deps, body, _action, target) => {
  const who = requesterOf(body);
  if (!who.channel) {
    await deps.poster.respond(
      body.response_url,
      buildErrorMessage("I could not tell which channel this is."),
    );
    return;
  }
  const existing = (await deps.store.watches({ channel: who.channel })).find(
    (watch) => watch.customer === target.customer.display && watch.recipeId === target.recipeId,
  );
  const mentions = existing?.mentions ?? [];
  // A watch made again from the recipe list keeps its people and its escalation.
  const escalation = existing ? await deps.store.escalationOf(existing.id) : [];
  await handleWatchCommand(
    deps,
    { kind: "watch", customer: target.customer, recipeId: target.recipeId, mentions, escalation },
    { who, responseUrl: body.response_url },
  );
  const command = `/workato-jobs watch ${target.customer.display} ${target.recipeId} @person-or-group`;
  const hint =
    mentions.length > 0
      ? "Its alerts keep mentioning the people and groups set before."
      : "Its alerts mention nobody yet.";
  await deps.poster.respond(
    body.response_url,
    {
      text: `${hint} To choose whom alerts mention: ${command}`,
      blocks: [
        section(`${hint} To choose whom they mention, run ${inlineCode(command, 120)}.`),
        context(escapeMrkdwn(`Usage: ${USAGE.watch}`)),
      ],
    },
    { visibility: "ephemeral" },
  );
};
