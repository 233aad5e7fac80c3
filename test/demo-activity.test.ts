// The demo's simulated Workato as it runs: a recipe Workato stopped runs no jobs, so its new jobs stop arriving while
// the others' keep coming, and they come again once the recipe is started (as the bot's Start button does).
import { describe, expect, it, vi } from "vitest";
import { DEMO_CUSTOMERS } from "../demo/catalog.js";
import { createRandom } from "../demo/random.js";
import { STOPPED_RECIPE, seedStoppedRecipe, seedWorkspace } from "../demo/seed.js";
import { startWorkatoActivity } from "../demo/workato-activity.js";
import { call, startSim } from "./sim/workato-http.js";

const FAST = {
  failureEveryMs: { min: 1, max: 3 },
  successEveryMs: { min: 1, max: 3 },
  runningMs: { min: 1, max: 3 },
  failAgainShare: 0,
};

describe("the demo's Workato activity", () => {
  it("brings a stopped recipe no new jobs until it is started, and new jobs again after", async () => {
    const sim = await startSim();
    const now = Date.now();
    seedWorkspace(sim, now, createRandom(1));
    seedStoppedRecipe(sim, now);
    const { customer, recipeId } = STOPPED_RECIPE;
    const seeded = sim.jobs(customer, recipeId).length;
    const allJobs = () =>
      DEMO_CUSTOMERS.flatMap((spec) =>
        spec.recipes.map((recipe) => sim.jobs(spec.id, recipe.id).length),
      ).reduce((sum, count) => sum + count, 0);
    const before = allJobs();
    const activity = startWorkatoActivity(sim, createRandom(2), { timing: FAST });
    try {
      // Plenty of new jobs elsewhere, none on the stopped recipe.
      await vi.waitFor(() => expect(allJobs() - before).toBeGreaterThan(300), {
        timeout: 10_000,
        interval: 20,
      });
      expect(sim.jobs(customer, recipeId)).toHaveLength(seeded);

      const started = await call(sim, `/api/managed_users/${customer}/recipes/${recipeId}/start`, {
        method: "PUT",
      });
      expect(started.status).toBe(200);
      await vi.waitFor(() => expect(sim.jobs(customer, recipeId).length).toBeGreaterThan(seeded), {
        timeout: 10_000,
        interval: 20,
      });
    } finally {
      activity.stop();
    }
  });
});
