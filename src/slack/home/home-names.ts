// The customer and recipe names App Home shows instead of ids: customers from the cached customer directory (no
// Workato call), recipes from the client's recipe cache. The one place Home asks for names, so a shared names module
// can take its place.
import type { CustomerRef } from "../../workato/customer-ref.js";
import type { HandlerDeps } from "../handler-deps.js";

export interface HomeNames {
  /** the customer's name, when the directory knows it */
  customer(ref: CustomerRef): string | null;
  /** the recipe's name, when it could be read in time */
  recipe(ref: CustomerRef, recipeId: number): string | null;
}

/** Home is drawn again on every open and change: names older than this are still good enough for it. */
const RECIPE_NAME_MAX_AGE_MS = 24 * 60 * 60_000;
/** A name not cached is asked of Workato in the background; Home does not wait longer than this for it. */
const NAME_WAIT_MS = 800;
/** At most this many recipes are looked up per drawing (more are not shown anyway). */
const RECIPES_LOOKED_UP = 40;

const recipeKey = (ref: CustomerRef, recipeId: number) => `${ref.display}/${recipeId}`;

export async function homeNames(
  deps: Pick<HandlerDeps, "customers" | "workato">,
  recipes: readonly { customer: CustomerRef; recipeId: number }[],
): Promise<HomeNames> {
  const distinct = new Map(recipes.map((recipe) => [recipeKey(recipe.customer, recipe.recipeId), recipe]));
  const names = new Map<string, string>();
  const lookups = [...distinct].slice(0, RECIPES_LOOKED_UP).map(async ([key, { customer, recipeId }]) => {
    try {
      const recipe = await deps.workato.getRecipe(customer, recipeId, {
        priority: "background",
        maxAgeMs: RECIPE_NAME_MAX_AGE_MS,
      });
      if (recipe.name.trim() !== "") names.set(key, recipe.name);
    } catch {
      // The id stands in for the name.
    }
  });
  // A slow Workato must not hold the tab up: what arrived by then is shown, the rest by id (and cached for next time).
  await Promise.race([
    Promise.all(lookups),
    new Promise<void>((resolve) => setTimeout(resolve, NAME_WAIT_MS).unref()),
  ]);
  const customerNames = new Map<string, string | null>();
  return {
    customer(ref) {
      if (!customerNames.has(ref.display)) {
        const name = deps.customers.find(ref)?.name ?? null;
        customerNames.set(ref.display, name === null || name.trim() === "" ? null : name);
      }
      return customerNames.get(ref.display) ?? null;
    },
    recipe: (ref, recipeId) => names.get(recipeKey(ref, recipeId)) ?? null,
  };
}
