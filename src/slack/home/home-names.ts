// The customer and recipe names App Home shows instead of ids, from the one names module: customers from the cached
// directory, recipes only where this process read them before. Home is drawn on every open and change from the store
// alone, so it asks Workato nothing.
import type { Names } from "../../names/names.js";
import type { CustomerRef } from "../../workato/customer-ref.js";

export interface HomeNames {
  /** the customer's name, when the directory knows it */
  customer(ref: CustomerRef): string | null;
  /** the recipe's name, when the bot read it before */
  recipe(ref: CustomerRef, recipeId: number): string | null;
}

export function homeNames(names: Pick<Names, "customer" | "knownRecipe"> | undefined): HomeNames {
  return {
    customer: (ref) => names?.customer(ref) ?? null,
    recipe: (ref, recipeId) => names?.knownRecipe(ref, recipeId) ?? null,
  };
}
