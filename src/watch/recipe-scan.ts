// The cheap change detector: a customer's recipe list (up to 100 recipes a GET, its own 2,000/min limit) says, per
// recipe, how many jobs failed, when it last ran and whether it runs. A moved failed count, a stop, or (at first sight,
// with no count to compare) a run since the watch's last poll means "list this recipe's jobs now".
import { parseIsoTime } from "../time.js";
import type { WorkatoClient } from "../workato/client.js";
import type { CustomerRef } from "../workato/customer-ref.js";
import type { RequestCount } from "./failure-listing.js";

const RECIPES_PER_PAGE = 100;
/**
 * At first sight, a run that started up to this long before the watch's last poll still counts as "since": Workato's
 * clock is not ours, and a job that started just before that poll may have failed after it listed.
 */
export const FIRST_SIGHT_MARGIN_MS = 60_000;

export interface RecipeState {
  name: string;
  running: boolean;
  stopCause: string | null;
  stoppedAt: string | null;
  failedCount: number;
  /** when its newest job started (ISO), if it ever ran */
  lastRunAt: string | null;
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
        lastRunAt: recipe.lastRunAt,
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
  /**
   * its failed count moved (up, or down after retention), or at first sight it ran since the watch's last poll: list
   * its jobs now
   */
  failuresMoved: boolean;
  /** Workato stopped it by itself (running false with a stop cause) since the last scan, or at the first one */
  stopped: boolean;
  /** it runs again after a stop seen earlier (or runs at first sight: a stop alerted before a restart may have ended) */
  runningAgain: boolean;
}

/** `lastPolledAt`: the watch's last poll (epoch ms), null if it never had one (that first poll alerts nothing). */
export function changeOf(
  before: RecipeState | undefined,
  now: RecipeState,
  lastPolledAt: number | null,
): RecipeChange {
  const stoppedNow = !now.running && now.stopCause !== null;
  if (!before) {
    // First sight (a start or restart), so no count to compare: a failure between the watch's last poll and now would
    // otherwise wait for the sweep, up to a whole interval. A run since then may have failed, so the jobs are listed.
    const lastRun = parseIsoTime(now.lastRunAt);
    const ranSincePoll =
      lastPolledAt !== null && lastRun !== null && lastRun > lastPolledAt - FIRST_SIGHT_MARGIN_MS;
    // The store says whether a stop was already alerted or has ended.
    return { failuresMoved: ranSincePoll, stopped: stoppedNow, runningAgain: now.running };
  }
  const stoppedBefore = !before.running && before.stopCause !== null;
  return {
    failuresMoved: before.failedCount !== now.failedCount,
    stopped: stoppedNow && (!stoppedBefore || before.stoppedAt !== now.stoppedAt),
    runningAgain: now.running && !before.running,
  };
}
