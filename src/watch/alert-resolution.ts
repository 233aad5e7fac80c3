// Alerts resolve, whoever repeated their jobs: a background round re-reads the lineage of every open alert's jobs
// (one rerun_only listing per recipe, cached) and redraws an alert in place when what it shows changed.
import type { Logger } from "pino";
import type { AlertThreadRecord, AsyncStore, WatchRecord } from "../store/store.js";
import { RECIPE_STOPPED_SIGNATURE } from "../store/store.js";
import type { ViewChanges } from "../views/redrawer.js";
import type { WorkatoClient } from "../workato/client.js";
import { parseCustomerRef } from "../workato/customer-ref.js";
import { WorkatoApiError } from "../workato/errors.js";
import { type AlertRedrawDeps, redrawAlert } from "./alert-redraw.js";

/** Open alerts older than this are no longer re-checked (nobody reads them; their jobs near retention). */
export const RESOLUTION_HORIZON_MS = 24 * 60 * 60_000;
/** How many alerts one round re-checks at most, oldest first: the round's cost bound in list GETs. */
export const DEFAULT_ALERTS_PER_ROUND = 200;
const RECIPE_NAME_MAX_AGE_MS = 24 * 60 * 60_000;

export interface ResolutionDeps extends AlertRedrawDeps {
  store: AlertRedrawDeps["store"] & Pick<AsyncStore, "alertThreads" | "watch">;
  workato: Pick<WorkatoClient, "getRecipe">;
  log: Logger;
  views?: ViewChanges;
}

export interface ResolutionRound {
  checked: number;
  redrawn: number;
  /** the lineage could not be read (429, timeout): tried again next round */
  failed: number;
}

/** One round over the open alerts; `busy(watchId)` skips watches being polled right now (they redraw themselves). */
export async function recheckOpenAlerts(
  deps: ResolutionDeps,
  at: number,
  options: { maxAlerts?: number; busy?: (watchId: number) => boolean } = {},
): Promise<ResolutionRound> {
  const threads = (await deps.store.alertThreads({ unresolvedSince: at - RESOLUTION_HORIZON_MS })).filter(
    (thread) => thread.signature !== RECIPE_STOPPED_SIGNATURE,
  );
  const messages = new Map<string, AlertThreadRecord[]>();
  for (const thread of threads) {
    const key = `${thread.watchId}\u0000${thread.ts}`;
    messages.set(key, [...(messages.get(key) ?? []), thread]);
  }
  const round: ResolutionRound = { checked: 0, redrawn: 0, failed: 0 };
  const watches = new Map<number, WatchRecord | undefined>();
  for (const [, unresolved] of [...messages].slice(0, options.maxAlerts ?? DEFAULT_ALERTS_PER_ROUND)) {
    const watchId = unresolved[0]?.watchId;
    if (watchId === undefined || options.busy?.(watchId)) continue;
    if (!watches.has(watchId)) watches.set(watchId, await deps.store.watch(watchId));
    const watch = watches.get(watchId);
    const customer = watch ? parseCustomerRef(watch.customer) : undefined;
    if (!watch || !customer?.ok) continue;
    // A message may also hold kinds already resolved: it is drawn with all of them.
    const ts = unresolved[0]?.ts;
    const all = (await deps.store.alertThreads({ watchId })).filter(
      (thread) => thread.ts === ts && thread.signature !== RECIPE_STOPPED_SIGNATURE,
    );
    const recipeName = await deps.workato
      .getRecipe(customer.ref, watch.recipeId, { priority: "background", maxAgeMs: RECIPE_NAME_MAX_AGE_MS })
      .then(
        (recipe) => recipe.name,
        () => null,
      );
    round.checked++;
    try {
      const outcome = await redrawAlert(
        deps,
        { watch, customer: customer.ref, recipeName },
        all,
        at,
        "background",
        deps.log,
        { keepIfUnknown: true },
      );
      if (outcome === "redrawn") round.redrawn++;
      if (typeof outcome === "object") round.failed++;
      // Its thread replies show the same jobs: they are redrawn too, behind the alerts.
      if (outcome === "redrawn" && ts !== undefined)
        deps.views?.changed({ kind: "watch", watchId, alertTs: ts });
    } catch (error) {
      if (!(error instanceof WorkatoApiError)) throw error;
      round.failed++;
    }
  }
  return round;
}
