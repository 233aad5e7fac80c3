// The Start recipe button of a recipe-stopped alert: acknowledge at once, check the watch against the channel and
// the person against the repeat rules (starting a recipe runs customer work, like a repeat), ask Workato to start
// it, and post Workato's answer (its error too) in the alert's thread.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { RECIPE_STOPPED_SIGNATURE } from "../../store/store.js";
import { markRecipeStarted } from "../../watch/recipe-stop-alerts.js";
import { WorkatoApiError } from "../../workato/errors.js";
import { allowed } from "../access-gate.js";
import { channelOf } from "../action-target.js";
import { ACTION_PATTERNS, decodeStartRecipeValue } from "../blocks/action-ids.js";
import { buildErrorMessage } from "../blocks/help-blocks.js";
import { buildAlreadyRunningAnswer, buildStartAnswer } from "../blocks/recipe-stopped-blocks.js";
import type { HandlerDeps } from "../handler-deps.js";
import { answerStaleButton, watchOfButton } from "./watch-button.js";

export type StartRecipeDeps = Pick<
  HandlerDeps,
  "store" | "access" | "poster" | "background" | "logger" | "workato" | "clock"
> & { poller: Pick<HandlerDeps["poller"], "views"> };

const NOT_A_START = buildErrorMessage(
  "That Start recipe button is not one I can act on: the watch may have been removed, or it belongs to another channel.",
  "Run /workato-jobs watches to see this channel's watches.",
);

/** An ActionRoute (see routes.ts); tests register it on an app of their own. */
export function onStartRecipe(
  app: App,
  deps: StartRecipeDeps,
  pattern: RegExp = ACTION_PATTERNS.startRecipe,
): void {
  app.action<BlockAction<ButtonAction>>(pattern, async ({ body, action, ack }) => {
    await ack();
    const channel = channelOf(body);
    const log = deps.logger.child({
      action: "start recipe",
      user: body.user.id,
      channel,
      team: body.user.team_id,
    });
    const value = decodeStartRecipeValue(action.value);
    const target = await watchOfButton(deps, value?.w, channel);
    if (!value || !target) {
      answerStaleButton(
        deps,
        log,
        "start",
        { value: action.value, responseUrl: body.response_url },
        NOT_A_START,
      );
      return;
    }
    const { watch, customer } = target;
    deps.background.run("start recipe", async () => {
      const who = { channel: watch.channel, userId: body.user.id, userTeamId: body.user.team_id };
      if (!(await allowed(deps, who, "repeat", customer, body.response_url))) return;
      // Re-checked at click time: a recipe the bot knows was started again is not started a second time.
      const stopped = await deps.store.alertThread(watch.id, RECIPE_STOPPED_SIGNATURE);
      if (stopped !== undefined && stopped.resolvedAt !== null) {
        log.info({ watch: watch.id, recipeId: watch.recipeId }, "start recipe: already running");
        deps.poller.views.changed({ kind: "watch", watchId: watch.id, alertTs: stopped.ts });
        const recipeName = await deps.workato.getRecipe(customer, watch.recipeId).then(
          (recipe) => recipe.name,
          () => null,
        );
        await deps.poster.respond(
          body.response_url,
          buildAlreadyRunningAnswer({ recipeName, recipeId: watch.recipeId }),
        );
        return;
      }
      const answer = await deps.workato
        .startRecipe(customer, watch.recipeId, { priority: "interactive" })
        .then(
          (result) => result,
          (error: unknown) => {
            if (!(error instanceof WorkatoApiError)) throw error;
            return { success: false as const, message: error.message };
          },
        );
      log.info({ watch: watch.id, recipeId: watch.recipeId, success: answer.success }, "start recipe");
      if (answer.success)
        await markRecipeStarted({ store: deps.store, views: deps.poller.views }, watch, deps.clock.now());
      const recipeName = await deps.workato.getRecipe(customer, watch.recipeId).then(
        (recipe) => recipe.name,
        () => null,
      );
      const reply = buildStartAnswer({ userId: body.user.id, recipeName, recipeId: watch.recipeId, answer });
      const threadTs = body.container.is_ephemeral === true ? undefined : body.message?.ts;
      const posted = await deps.poster.post(watch.channel, reply, threadTs);
      if (!posted.ok) await deps.poster.respond(body.response_url, reply);
    });
  });
}
