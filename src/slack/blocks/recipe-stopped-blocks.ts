// A watched recipe Workato stopped: the alert (cause in words, when, mentions, a Start recipe button with a confirm
// dialog), Workato's answer to Start in its thread, and the "running again" reply once it runs.
import type { KnownBlock } from "@slack/types";
import { isSlackUserId } from "../../slack-ids.js";
import { parseIsoTime } from "../../time.js";
import { NOBODY_ON_IT } from "../../watch/alert-on-call.js";
import type { RecipeRunningAgain, RecipeStoppedAlert } from "../../watch/alert-sink.js";
import { stopCauseWords } from "../../workato/stop-cause.js";
import type { WorkatoLinks } from "../../workato/workato-links.js";
import { ACTIONS, createActionIds, encodeStartRecipeValue } from "./action-ids.js";
import { recipeAndCustomer, safeMentions, where } from "./alert-blocks.js";
import { onCallBlocks } from "./alert-on-call-blocks.js";
import { actions, button, confirmDialog, context, type SlackMessage, section } from "./elements.js";
import { customerText, escapeMrkdwn, escapeTruncated, slackDateOfMs, truncate } from "./format.js";
import { recipeLabel } from "./job-buttons.js";
import { alertLinkButtons } from "./link-buttons.js";

/** The alert: cause, time, Start recipe (the handler checks who may start it), and the recipe's links. */
export function buildRecipeStoppedMessage(alert: RecipeStoppedAlert, links?: WorkatoLinks): SlackMessage {
  const recipe = where(alert);
  const name = recipeLabel(recipe.recipeName, recipe.recipeId);
  const mentions = alert.mention ? safeMentions(alert.target.watch.mentions) : [];
  const stoppedAt = parseIsoTime(alert.stoppedAt) ?? alert.at;
  const cause = escapeTruncated(stopCauseWords(alert.cause), 400);
  const runningAgainAt = alert.runningAgainAt ?? null;
  if (runningAgainAt !== null) return runsAgainMessage(alert, stoppedAt, runningAgainAt);
  const headline = `:octagonal_sign: *Workato stopped* ${recipeAndCustomer(recipe)} at ${slackDateOfMs(stoppedAt)}: ${cause}.`;
  const ids = createActionIds();
  const start = button(
    ids.next(ACTIONS.startRecipe),
    "Start recipe",
    encodeStartRecipeValue({ w: alert.target.watch.id }),
    {
      style: "primary",
      confirm: confirmDialog({
        title: "Start this recipe?",
        text: `This starts ${truncate(name, 80)} for ${truncate(customerText(recipe.customer, recipe.customerName), 60)} again. If the cause is not fixed, Workato may stop it again.`,
        confirm: "Start",
        deny: "Cancel",
      }),
    },
  );
  const row = actions([start, ...alertLinkButtons(ids, { target: alert.target, newestJobId: null }, links)]);
  const blocks: KnownBlock[] = [
    section(mentions.length > 0 ? `${headline}\n${mentions.join(" ")}` : headline),
    ...onCallBlocks(ids, alert.target.watch.id, alert.onCall ?? NOBODY_ON_IT, { resolvable: false }),
    context(
      "No jobs run for this customer's recipe until it is started again. Workato's answer to Start goes to this thread.",
    ),
    ...(row ? [row] : []),
  ];
  const text = [
    mentions.join(" "),
    `Workato stopped ${escapeTruncated(name, 150)} for ${escapeMrkdwn(customerText(recipe.customer, recipe.customerName))}: ${cause}`,
  ]
    .filter(Boolean)
    .join(" ");
  return { text, blocks };
}

/** The same alert once the recipe runs again: it says so first, and offers no Start. */
function runsAgainMessage(
  alert: RecipeStoppedAlert,
  stoppedAt: number,
  runningAgainAt: number,
): SlackMessage {
  const recipe = where(alert);
  const name = recipeLabel(recipe.recipeName, recipe.recipeId);
  const cause = escapeTruncated(stopCauseWords(alert.cause), 400);
  const headline = `:arrow_forward: ${recipeAndCustomer(recipe)} *runs again* (since ${slackDateOfMs(runningAgainAt)}).`;
  return {
    text: `${escapeTruncated(name, 150)} for ${escapeMrkdwn(recipe.customer.display)} runs again`,
    blocks: [
      section(headline),
      context(`Workato had stopped it at ${slackDateOfMs(stoppedAt)}: ${cause}. Its jobs run again.`),
    ],
  };
}

export function buildRunningAgainReply(reply: RecipeRunningAgain): SlackMessage {
  const text = `:arrow_forward: ${escapeTruncated(recipeLabel(reply.target.recipeName, reply.target.watch.recipeId), 150)} is running again (seen ${slackDateOfMs(reply.at)}).`;
  return { text, blocks: [section(text)] };
}

/** What Workato answered to a Start click, in the alert's thread. */
export function buildStartAnswer(input: {
  userId: string;
  recipeName: string | null;
  recipeId: number;
  answer: { success: true } | { success: false; message: string };
}): SlackMessage {
  const who = isSlackUserId(input.userId) ? `<@${input.userId}>` : "Someone";
  const name = escapeTruncated(recipeLabel(input.recipeName, input.recipeId), 150);
  const text = input.answer.success
    ? `:arrow_forward: ${who} started ${name}; Workato answered: success.`
    : `:x: ${who} asked to start ${name}, and Workato refused: ${escapeTruncated(input.answer.message, 1500)}`;
  return { text, blocks: [section(text)] };
}

/** A Start click on a recipe that already runs (started since the alert was drawn): nothing is sent to Workato. */
export function buildAlreadyRunningAnswer(input: {
  recipeName: string | null;
  recipeId: number;
}): SlackMessage {
  const text = `:arrow_forward: ${escapeTruncated(recipeLabel(input.recipeName, input.recipeId), 150)} already runs: nothing was started.`;
  return { text, blocks: [section(text)] };
}
