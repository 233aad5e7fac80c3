// Recipe names for messages that name several recipes (history, watches), from the client's cached getRecipe. A name
// that cannot be read is left out, and the message falls back to "recipe 28904".
import type { CustomerRef } from "../../workato/customer-ref.js";
import type { HandlerDeps } from "../handler-deps.js";

/** Names by `${customer.display}/${recipeId}`, read in parallel; each distinct recipe is asked once. */
export async function recipeNamesOf(
  deps: Pick<HandlerDeps, "workato">,
  recipes: readonly { customer: CustomerRef; recipeId: number }[],
): Promise<Map<string, string>> {
  const distinct = new Map(
    recipes.map((recipe) => [`${recipe.customer.display}/${recipe.recipeId}`, recipe]),
  );
  const names = new Map<string, string>();
  await Promise.all(
    [...distinct].map(async ([key, { customer, recipeId }]) => {
      try {
        const recipe = await deps.workato.getRecipe(customer, recipeId);
        if (recipe.name.trim() !== "") names.set(key, recipe.name);
      } catch {
        // The id stands in for the name.
      }
    }),
  );
  return names;
}
