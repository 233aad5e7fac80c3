// Which handler answers what: one table from subcommand to handler, one from action id to handler, and the
// registration of both with Bolt. A subcommand or action id without an entry here does not compile.
import type { App, BlockAction } from "@slack/bolt";
import { type ActionRoute, buttonValue, onTargetAction, STALE_BUTTON } from "./action-target.js";
import { ACTION_PATTERNS, type ActionName, actionNameOf } from "./blocks/action-ids.js";
import { buildHelpMessage } from "./blocks/help-blocks.js";
import { type CommandHandlers, registerSlashCommand } from "./commands/slash-command.js";
import { listCustomers } from "./customers/customer-commands.js";
import { handleDigestCommand } from "./digest/digest-commands.js";
import type { HandlerDeps } from "./handler-deps.js";
import { registerAppHome } from "./home/app-home.js";
import {
  detailsMenuValue,
  showDetailsPrivately,
  showPage,
  showStepData,
  stepDataValue,
} from "./jobs/job-actions.js";
import { listJobs, showJob } from "./jobs/job-commands.js";
import { listFailedOfRecipe, watchRecipe } from "./recipes/recipe-actions.js";
import { listRecipes, onRecipesPage } from "./recipes/recipe-commands.js";
import { onStopRecovery } from "./repeats/recovery-actions.js";
import { askToConfirmRecovery } from "./repeats/recovery-commands.js";
import { onConfirmRepeat, repeatClicked } from "./repeats/repeat-actions.js";
import { askToConfirmRepeat, showHistory } from "./repeats/repeat-commands.js";
import { onMute } from "./watches/mute-actions.js";
import { onReleaseAlert, onReopenAlert, onTakeAlert, onTakeOverAlert } from "./watches/on-call-actions.js";
import { onResolveAlert } from "./watches/resolve-actions.js";
import { onStartRecipe } from "./watches/start-recipe-actions.js";
import { onUnmute } from "./watches/unmute-actions.js";
import { handleWatchCommand } from "./watches/watch-commands.js";

export const COMMAND_HANDLERS: CommandHandlers = {
  help: { now: () => buildHelpMessage() },
  list: { later: listJobs },
  show: { later: showJob },
  repeat: { later: askToConfirmRepeat },
  repeatFailed: { later: askToConfirmRecovery },
  history: { later: showHistory },
  watch: { later: handleWatchCommand },
  unwatch: { later: handleWatchCommand },
  watches: { later: handleWatchCommand },
  digest: { later: handleDigestCommand },
  recipes: { later: listRecipes },
  customers: { later: listCustomers },
};

export const ACTION_ROUTES: Readonly<Record<ActionName, ActionRoute>> = {
  details: onTargetAction("details", "view", buttonValue, showDetailsPrivately),
  detailsSelect: onTargetAction("details menu", "view", detailsMenuValue, showDetailsPrivately),
  stepData: onTargetAction("step data", "view", stepDataValue, showStepData),
  older: onTargetAction("older", "view", buttonValue, showPage(false)),
  newer: onTargetAction("newer", "view", buttonValue, showPage(true)),
  repeatOne: onTargetAction("repeat one", "repeat", buttonValue, repeatClicked),
  // The same button in an alert and in App Home: one click path (a Home click names its alert).
  repeatFailed: onTargetAction("repeat failed", "repeat", buttonValue, repeatClicked, { fromHome: true }),
  confirmRepeat: onConfirmRepeat,
  stopRecovery: onStopRecovery,
  mute: onMute,
  unmute: onUnmute,
  startRecipe: onStartRecipe,
  recipeFailedJobs: onTargetAction("list failed of recipe", "view", buttonValue, listFailedOfRecipe),
  recipeWatch: onTargetAction("watch from recipes", "view", buttonValue, watchRecipe),
  recipesPage: onRecipesPage,
  takeAlert: onTakeAlert,
  takeOverAlert: onTakeOverAlert,
  releaseAlert: onReleaseAlert,
  resolveAlert: onResolveAlert,
  reopenAlert: onReopenAlert,
  // The browser opens the link; Slack still sends the click, which wants its ack and nothing else.
  openLink: (app, _deps, pattern) => app.action(pattern, async ({ ack }) => ack()),
};

export function registerSlackHandlers(app: App, deps: HandlerDeps): void {
  registerSlashCommand(app, deps, COMMAND_HANDLERS);
  registerAppHome(app, deps);
  for (const name of Object.keys(ACTION_ROUTES) as ActionName[]) {
    ACTION_ROUTES[name](app, deps, ACTION_PATTERNS[name]);
  }
  // Anything else clicked (an old message's button, a tampered action id) is still acknowledged, then refused.
  app.action<BlockAction>({ type: "block_actions" }, async ({ body, action, ack }) => {
    const actionId = "action_id" in action ? action.action_id : "";
    if (actionNameOf(actionId) !== null) return;
    await ack();
    deps.logger.warn({ actionId: actionId.slice(0, 100), user: body.user.id }, "unknown action");
    deps.background.run("unknown action", () =>
      deps.poster.respond(body.response_url, STALE_BUTTON).then(() => {}),
    );
  });
}
