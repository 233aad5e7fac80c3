// While the demo runs, the simulated Workato keeps working: jobs succeed now and then, a failure lands every 20–40 s
// (so watches have something to alert on), and repeated jobs finish a few seconds after they were enqueued, most of
// them succeeded and about one in seven failed again, so the bot's follow-up has something to tell. As in Workato, a
// stopped recipe runs no jobs: its new jobs stop arriving until it is started again (e.g. from the bot's alert).
import type { WorkatoSimulator } from "../sim/workato-simulator/index.js";
import { type CustomerSpec, DEMO_CUSTOMERS, type RecipeSpec } from "./catalog.js";
import type { Random } from "./random.js";
import { recipeJob } from "./seed.js";

export interface ActivityTiming {
  /** a new failure after a random wait in this range */
  failureEveryMs: { min: number; max: number };
  /** a new successful job after a random wait in this range */
  successEveryMs: { min: number; max: number };
  /** how long a repeated job stays pending: a random wait in this range */
  runningMs: { min: number; max: number };
  /** the share of repeats that fail again */
  failAgainShare: number;
}

export const DEFAULT_ACTIVITY_TIMING: ActivityTiming = {
  failureEveryMs: { min: 20_000, max: 40_000 },
  successEveryMs: { min: 5_000, max: 12_000 },
  runningMs: { min: 3_000, max: 8_000 },
  failAgainShare: 0.15,
};

interface RecipeHome {
  customer: CustomerSpec;
  recipe: RecipeSpec;
}

const RECIPES: readonly RecipeHome[] = DEMO_CUSTOMERS.flatMap((customer) =>
  customer.recipes.map((recipe) => ({ customer, recipe })),
);

/** A running recipe, picked by weight; null while every recipe is stopped. */
function pickRecipe(
  sim: WorkatoSimulator,
  random: Random,
  weight: (recipe: RecipeSpec) => number,
): RecipeHome | null {
  const running = RECIPES.filter((home) => sim.recipe(home.customer.id, home.recipe.id).running);
  const total = running.reduce((sum, home) => sum + weight(home.recipe), 0);
  let ticket = random.next() * total;
  for (const home of running) {
    ticket -= weight(home.recipe);
    if (ticket < 0) return home;
  }
  return running.length > 0 ? random.pick(running) : null;
}

export function startWorkatoActivity(
  sim: WorkatoSimulator,
  random: Random,
  options: { timing?: ActivityTiming },
): { stop(): void } {
  const timing = options.timing ?? DEFAULT_ACTIVITY_TIMING;
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;

  function repeatEvery(range: { min: number; max: number }, work: () => void): void {
    const timer = setTimeout(
      () => {
        timers.delete(timer);
        if (stopped) return;
        work();
        repeatEvery(range, work);
      },
      random.between(range.min, range.max),
    );
    timers.add(timer);
  }

  function addJob(status: "succeeded" | "failed"): void {
    const picked = pickRecipe(sim, random, (spec) =>
      status === "failed" ? spec.liveFailureWeight : spec.history.succeeded,
    );
    if (picked === null) return;
    sim.addJob(picked.customer.id, picked.recipe.id, recipeJob(picked.recipe, status, new Date(), random));
  }

  repeatEvery(timing.failureEveryMs, () => addJob("failed"));
  repeatEvery(timing.successEveryMs, () => addJob("succeeded"));
  // The simulator settles repeats as Workato would; the seeded long-running jobs are not repeats and stay running.
  sim.settleRepeats({
    afterMs: () => random.between(timing.runningMs.min, timing.runningMs.max),
    outcome: () => (random.next() < timing.failAgainShare ? "failed" : "succeeded"),
  });

  return {
    stop() {
      stopped = true;
      sim.settleRepeats(null);
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
