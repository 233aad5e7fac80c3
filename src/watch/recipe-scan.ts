// The cheap change detector: a customer's recipe list (up to 100 recipes a GET, its own 2,000/min limit) says, per
// recipe, how many jobs failed and whether it runs. A moved failed count or a stop means "list this recipe's jobs now".
import type { WorkatoClient } from "../workato/client.js";
import type { CustomerRef } from "../workato/customer-ref.js";
import type { RequestCount } from "./failure-listing.js";

const RECIPES_PER_PAGE = 100;

export interface RecipeState {
  name: string;
  running: boolean;
  stopCause: string | null;
  stoppedAt: string | null;
  failedCount: number;
}

/**
 * The states of `recipeIds` in the customer's list, paging (highest id first) until all were seen or the list ends.
 * A watched recipe missing from the answer is missing from the map: the job poll will say why.
 */
export async function scanRecipes(
  workato: Pick<WorkatoClient, "listRecipes">,
  customer: CustomerRef,
  recipeIds: ReadonlySet<number>,
  spent: RequestCount,
): Promise<Map<number, RecipeState>> {
  const found = new Map<number, RecipeState>();
  const lowest = Math.min(...recipeIds);
  for (let page = 1; ; page++) {
    spent.requests++;
    const recipes = await workato.listRecipes(
      customer,
      { page, perPage: RECIPES_PER_PAGE },
      { priority: "background" },
    );
    for (const recipe of recipes) {
      if (!recipeIds.has(recipe.id)) continue;
      found.set(recipe.id, {
        name: recipe.name,
        running: recipe.running,
        stopCause: recipe.stopCause,
        stoppedAt: recipe.stoppedAt,
        failedCount: recipe.jobFailedCount,
      });
    }
    const last = recipes.at(-1);
    if (found.size === recipeIds.size || recipes.length < RECIPES_PER_PAGE || !last || last.id <= lowest) {
      return found;
    }
  }
}

/** What changed for one recipe since the last scan. */
export interface RecipeChange {
  /** its failed count moved (up, or down after retention): list its jobs now */
  failuresMoved: boolean;
  /** Workato stopped it by itself (running false with a stop cause) since the last scan, or at the first one */
  stopped: boolean;
  /** it runs again after a stop seen earlier (or runs at first sight: a stop alerted before a restart may have ended) */
  runningAgain: boolean;
}

export function changeOf(before: RecipeState | undefined, now: RecipeState): RecipeChange {
  const stoppedNow = !now.running && now.stopCause !== null;
  // First sight (a start or restart): the store says whether a stop was already alerted or has ended.
  if (!before) return { failuresMoved: false, stopped: stoppedNow, runningAgain: now.running };
  const stoppedBefore = !before.running && before.stopCause !== null;
  return {
    failuresMoved: before.failedCount !== now.failedCount,
    stopped: stoppedNow && (!stoppedBefore || before.stoppedAt !== now.stoppedAt),
    runningAgain: now.running && !before.running,
  };
}
