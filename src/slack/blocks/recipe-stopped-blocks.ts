// A watched recipe Workato stopped: the alert (cause in words, when, mentions, a Start recipe button with a confirm
// dialog), Workato's answer to Start in its thread, and the "running again" reply once it runs.
import type { KnownBlock } from "@slack/types";
import { isSlackUserId } from "../../slack-ids.js";
import { parseIsoTime } from "../../time.js";
import type { RecipeRunningAgain, RecipeStoppedAlert } from "../../watch/alert-sink.js";
import type { WorkatoLinks } from "../../workato/workato-links.js";
import { ACTIONS, createActionIds, encodeStartRecipeValue } from "./action-ids.js";
import { recipeAndCustomer, safeMentions, where } from "./alert-blocks.js";
import { actions, button, confirmDialog, context, type SlackMessage, section } from "./elements.js";
import { escapeMrkdwn, escapeTruncated, slackDateOfMs, truncate } from "./format.js";
import { recipeLabel } from "./job-buttons.js";
import { alertLinkButtons } from "./link-buttons.js";

/** Workato's stop causes in words; an unknown one is shown as its words with the code beside. */
const STOP_CAUSES: Readonly<Record<string, string>> = {
  trigger_errors_limit: "its trigger kept failing, so Workato switched it off",
  action_quota_limit: "the workspace ran out of its task quota",
  connection_errors_limit: "a connection kept failing",
  disconnected: "a connection it uses was disconnected",
};

export function stopCauseWords(cause: string): string {
  const known = STOP_CAUSES[cause];
  if (known) return known;
  return `${cause.replaceAll("_", " ")} (${cause})`;
}

/** The alert: cause, time, Start recipe (the handler checks who may start it), and the recipe's links. */
export function buildRecipeStoppedMessage(alert: RecipeStoppedAlert, links?: WorkatoLinks): SlackMessage {
  const recipe = where(alert);
  const name = recipeLabel(recipe.recipeName, recipe.recipeId);
  const mentions = alert.mention ? safeMentions(alert.target.watch.mentions) : [];
  const stoppedAt = parseIsoTime(alert.stoppedAt) ?? alert.at;
  const cause = escapeTruncated(stopCauseWords(alert.cause), 400);
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
        text: `This starts ${truncate(name, 80)} for ${truncate(recipe.customer.display, 60)} again. If the cause is not fixed, Workato may stop it again.`,
        confirm: "Start",
        deny: "Cancel",
      }),
    },
  );
  const row = actions([start, ...alertLinkButtons(ids, { target: alert.target, newestJobId: null }, links)]);
  const blocks: KnownBlock[] = [
    section(mentions.length > 0 ? `${headline}\n${mentions.join(" ")}` : headline),
    context(
      "No jobs run for this customer's recipe until it is started again. Workato's answer to Start goes to this thread.",
    ),
    ...(row ? [row] : []),
  ];
  const text = [
    mentions.join(" "),
    `Workato stopped ${escapeTruncated(name, 150)} for ${escapeMrkdwn(recipe.customer.display)}: ${cause}`,
  ]
    .filter(Boolean)
    .join(" ");
  return { text, blocks };
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
