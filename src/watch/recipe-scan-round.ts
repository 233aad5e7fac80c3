// One round of the change detector over every watched customer: each customer's recipe list read once, compared with
// the last round, the watches of recipes whose failed count moved (or that stopped, or at first sight ran since the
// watch's last poll) handed back to be polled now,
// and stopped / running-again alerts brought in line.
import type { Logger } from "pino";
import type { WatchRecord } from "../store/store.js";
import type { WorkatoClient } from "../workato/client.js";
import { type CustomerRef, parseCustomerRef } from "../workato/customer-ref.js";
import { WorkatoApiError } from "../workato/errors.js";
import type { RequestCount } from "./failure-listing.js";
import { changeOf, type RecipeState, scanRecipes } from "./recipe-scan.js";
import { type RecipeStopDeps, reconcileRecipeStop } from "./recipe-stop-alerts.js";

export interface ScanRoundDeps extends RecipeStopDeps {
  workato: Pick<WorkatoClient, "listRecipes">;
  log: Logger;
}

/** What the last round saw per customer and recipe; kept by the poller across rounds. */
export type RecipeMemory = Map<string, RecipeState>;

export interface ScanRound {
  /** watches to poll now: their recipe's failed count moved, or it stopped */
  toPoll: number[];
  customers: number;
  stoppedAlerts: number;
  /** customers whose list could not be read (their watches wait for the sweep) */
  failed: number;
}

export async function scanRound(
  deps: ScanRoundDeps,
  watches: readonly WatchRecord[],
  memory: RecipeMemory,
  at: () => number,
  spent: RequestCount,
): Promise<ScanRound> {
  const byCustomer = new Map<string, { customer: CustomerRef; watches: WatchRecord[] }>();
  for (const watch of watches) {
    const parsed = parseCustomerRef(watch.customer);
    if (!parsed.ok) continue;
    const entry = byCustomer.get(parsed.ref.display) ?? { customer: parsed.ref, watches: [] };
    entry.watches.push(watch);
    byCustomer.set(parsed.ref.display, entry);
  }
  const round: ScanRound = { toPoll: [], customers: byCustomer.size, stoppedAlerts: 0, failed: 0 };
  await Promise.all(
    [...byCustomer.values()].map(async ({ customer, watches: ofCustomer }) => {
      let states: Map<number, RecipeState>;
      try {
        states = await scanRecipes(deps.workato, customer, new Set(ofCustomer.map((w) => w.recipeId)), spent);
      } catch (error) {
        if (!(error instanceof WorkatoApiError)) throw error;
        round.failed++;
        deps.log.warn({ customer: customer.display, code: error.code }, "recipe list not read");
        return;
      }
      const before = new Map<number, RecipeState | undefined>();
      for (const [recipeId, state] of states) {
        const key = `${customer.display}/${recipeId}`;
        before.set(recipeId, memory.get(key));
        memory.set(key, state);
      }
      for (const watch of ofCustomer) {
        const state = states.get(watch.recipeId);
        if (!state) continue;
        // Per watch, not per recipe: at first sight, what counts is each watch's own last poll.
        const change = changeOf(before.get(watch.recipeId), state, watch.lastPolledAt);
        if (change.failuresMoved || change.stopped) round.toPoll.push(watch.id);
        if (change.stopped || change.runningAgain) {
          const outcome = await reconcileRecipeStop(deps, watch, customer, state, at());
          if (outcome === "alerted") round.stoppedAlerts++;
        }
      }
    }),
  );
  return round;
}
