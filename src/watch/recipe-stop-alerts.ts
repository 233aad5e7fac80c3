// A watched recipe Workato stopped: one alert per watch (its channel), kept as an alert thread of its own signature,
// and "running again" in that thread once the recipe runs. The access policy is asked before anything is posted.
import type { Logger } from "pino";
import type { Decision } from "../access/access-check.js";
import { type AsyncStore, RECIPE_STOPPED_SIGNATURE, type WatchRecord } from "../store/store.js";
import type { ViewChanges } from "../views/redrawer.js";
import type { CustomerRef } from "../workato/customer-ref.js";
import type { AlertSink } from "./alert-sink.js";
import { recordWatchView } from "./alert-views.js";
import type { RecipeState } from "./recipe-scan.js";

export interface RecipeStopDeps {
  store: Pick<AsyncStore, "alertThread" | "saveAlertThread" | "saveView">;
  /** the alert is redrawn (running again) as soon as the recipe runs */
  views?: ViewChanges;
  alerts: AlertSink;
  mayAlert?: (watch: WatchRecord, customer: CustomerRef) => Promise<Decision>;
  log: Logger;
}

export type StopOutcome =
  | "alerted"
  | "already_alerted"
  | "running_again"
  | "nothing"
  | "not_allowed"
  | "failed";

/** Brings the watch's stopped alert in line with the recipe's state. */
export async function reconcileRecipeStop(
  deps: RecipeStopDeps,
  watch: WatchRecord,
  customer: CustomerRef,
  recipe: RecipeState,
  at: number,
): Promise<StopOutcome> {
  const thread = await deps.store.alertThread(watch.id, RECIPE_STOPPED_SIGNATURE);
  const open = thread !== undefined && thread.resolvedAt === null;
  const target = { watch, customer, recipeName: recipe.name };
  const log = deps.log.child({ watch: watch.id, recipeId: watch.recipeId });
  if (!recipe.running && recipe.stopCause !== null) {
    if (open) return "already_alerted";
    const decision = (await deps.mayAlert?.(watch, customer)) ?? { ok: true };
    if (!decision.ok) return "not_allowed";
    const mention = watch.mentions.length > 0;
    const posted = await deps.alerts.postRecipeStopped({
      target,
      cause: recipe.stopCause,
      stoppedAt: recipe.stoppedAt,
      mention,
      at,
    });
    if (!posted.ok) {
      log.warn({ slackError: posted.error }, "recipe-stopped alert not posted");
      return "failed";
    }
    await deps.store.saveAlertThread({
      watchId: watch.id,
      signature: RECIPE_STOPPED_SIGNATURE,
      channel: watch.channel,
      ts: posted.ts,
      firstSeenAt: at,
      lastSeenAt: at,
      count: 1,
      jobIds: [],
      firstLine: recipe.stopCause,
      jobs: [],
      mentioned: mention,
      resolvedAt: null,
    });
    await recordWatchView(
      deps.store,
      watch,
      { channel: watch.channel, ts: posted.ts, at },
      { kind: "recipe_stopped", watchId: watch.id, cause: recipe.stopCause, stoppedAt: recipe.stoppedAt },
      [],
    );
    log.info({ cause: recipe.stopCause }, "recipe-stopped alert posted");
    return "alerted";
  }
  if (recipe.running && open) {
    const posted = await deps.alerts.postRunningAgain({
      target,
      channel: thread.channel,
      threadTs: thread.ts,
      at,
    });
    if (!posted.ok) {
      log.warn({ slackError: posted.error }, "running-again reply not posted");
      return "failed";
    }
    await deps.store.saveAlertThread({ ...thread, lastSeenAt: at, resolvedAt: at });
    deps.views?.changed({ kind: "watch", watchId: watch.id, alertTs: thread.ts });
    log.info("recipe running again");
    return "running_again";
  }
  return "nothing";
}

/**
 * Someone started the recipe from its alert and Workato said yes: the alert says it runs again at once (no Start
 * button left to click twice); the scan, seeing it running, finds nothing more to say.
 */
export async function markRecipeStarted(
  deps: Pick<RecipeStopDeps, "store" | "views">,
  watch: WatchRecord,
  at: number,
): Promise<void> {
  const thread = await deps.store.alertThread(watch.id, RECIPE_STOPPED_SIGNATURE);
  if (!thread || thread.resolvedAt !== null) return;
  await deps.store.saveAlertThread({ ...thread, lastSeenAt: at, resolvedAt: at });
  deps.views?.changed({ kind: "watch", watchId: watch.id, alertTs: thread.ts });
}
