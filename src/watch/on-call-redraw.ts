// Redraws one alert after who is on it changed (taken, released, resolved by hand, reopened, escalated): a failure
// alert through the same view and redraw as its counts, a recipe-stopped alert from its stored thread.
import type { Logger } from "pino";
import type { AlertThreadRecord, AsyncStore, WatchRecord } from "../store/store.js";
import { RECIPE_STOPPED_SIGNATURE } from "../store/store.js";
import type { WorkatoClient } from "../workato/client.js";
import type { CustomerRef } from "../workato/customer-ref.js";
import type { CallPriority } from "../workato/limits.js";
import { createAlertMessages } from "./alert-messages.js";
import { onCallOf } from "./alert-on-call.js";
import { type AlertRedrawDeps, type Redrawn, redrawAlert } from "./alert-redraw.js";

const RECIPE_NAME_MAX_AGE_MS = 24 * 60 * 60_000;

export interface OnCallRedrawDeps extends Omit<AlertRedrawDeps, "messages"> {
  store: AlertRedrawDeps["store"] & Pick<AsyncStore, "alertThreads">;
  workato: Pick<WorkatoClient, "getRecipe">;
}

/** The stored rows of the alert at channel+ts of `watch` (one per kind of error; one for a stopped recipe). */
export async function threadsOfAlert(
  store: Pick<AsyncStore, "alertThreads">,
  watchId: number,
  channel: string,
  ts: string,
): Promise<AlertThreadRecord[]> {
  return (await store.alertThreads({ watchId })).filter(
    (thread) => thread.ts === ts && thread.channel === channel,
  );
}

export async function redrawOnCall(
  deps: OnCallRedrawDeps,
  alert: { watch: WatchRecord; customer: CustomerRef; threads: readonly AlertThreadRecord[] },
  at: number,
  priority: CallPriority,
  log: Logger,
): Promise<Redrawn> {
  const { watch, customer, threads } = alert;
  const first = threads[0];
  if (!first) return "unchanged";
  const recipeName = await deps.workato
    .getRecipe(customer, watch.recipeId, { priority, maxAgeMs: RECIPE_NAME_MAX_AGE_MS })
    .then(
      (recipe) => recipe.name,
      () => null,
    );
  const target = { watch, customer, recipeName };
  if (first.signature !== RECIPE_STOPPED_SIGNATURE) {
    // A fresh memory of what was drawn: this redraw must reach Slack even if the poller drew the same counts.
    return redrawAlert({ ...deps, messages: createAlertMessages() }, target, threads, at, priority, log);
  }
  const onCall = onCallOf(
    await deps.store.alertState(first.channel, first.ts),
    await deps.store.escalationOf(watch.id),
  );
  // Workato's stopped_at is not kept: the alert is redrawn with when the bot first saw the stop.
  const updated = await deps.alerts.updateRecipeStopped({
    target,
    channel: first.channel,
    ts: first.ts,
    cause: first.firstLine,
    stoppedAt: null,
    mention: first.mentioned,
    at: first.firstSeenAt,
    runningAgainAt: first.resolvedAt,
    onCall,
  });
  if (!updated.ok) {
    log.warn({ ts: first.ts, slackError: updated.error }, "recipe-stopped alert not redrawn");
    return { failed: updated.error };
  }
  return "redrawn";
}
