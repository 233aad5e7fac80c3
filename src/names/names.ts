// What the bot calls customers and recipes it otherwise shows by id: customer names from the cached directory, recipe
// names from Workato through the client's cache. One place for every message (handlers, alerts, App Home, digests).
// A name that is unknown, or that cannot be read, is null and the message shows the id; nothing waits on the directory.
import type { CustomerDirectory } from "../customers/customer-directory.js";
import type { RecipeCallOptions, WorkatoClient } from "../workato/client.js";
import type { CustomerRef } from "../workato/customer-ref.js";

export interface Names {
  /**
   * The customer's name as the directory knows it, or null (not read yet, not listed, or blank). Never waits and never
   * starts a first read of the directory. Callers show it only where the customer itself may be shown.
   */
  customer(customer: CustomerRef): string | null;
  /** The recipe's name (cached by the client), or null when it cannot be read: the message says "recipe 28904". */
  recipe(customer: CustomerRef, recipeId: number, options?: RecipeCallOptions): Promise<string | null>;
  /**
   * The recipe's name if this process read it before, else null; never asks Workato. For views opened often and
   * drawn from the store alone (the App Home), where a Workato call per watched recipe would cost too much.
   */
  knownRecipe(customer: CustomerRef, recipeId: number): string | null;
  /** Names by `recipeKey`, read in parallel, each distinct recipe once; one that cannot be read is left out. */
  recipes(
    recipes: readonly { customer: CustomerRef; recipeId: number }[],
    options?: RecipeCallOptions,
  ): Promise<Map<string, string>>;
}

export interface NamesOptions {
  directory: Pick<CustomerDirectory, "find">;
  workato: Pick<WorkatoClient, "getRecipe">;
}

/** The key of `Names.recipes`' answer: the customer as displayed (CustomerRef.display, as stored) and the recipe id. */
export function recipeKey(customer: string, recipeId: number): string {
  return `${customer}/${recipeId}`;
}

const named = (name: string | undefined): string | null =>
  name !== undefined && name.trim() !== "" ? name : null;

/** Recipe names remembered for knownRecipe; past this, the oldest remembered goes first. */
const KNOWN_RECIPES_KEPT = 10_000;

export function createNames(options: NamesOptions): Names {
  const { directory, workato } = options;
  const known = new Map<string, string>();
  const recipe: Names["recipe"] = (customer, recipeId, callOptions) =>
    workato.getRecipe(customer, recipeId, callOptions).then(
      (found) => {
        const name = named(found.name);
        const key = recipeKey(customer.display, recipeId);
        // Delete first, so a name read again counts as the newest.
        known.delete(key);
        if (name !== null) known.set(key, name);
        if (known.size > KNOWN_RECIPES_KEPT) known.delete(known.keys().next().value ?? key);
        return name;
      },
      () => null,
    );
  return {
    customer: (customer) => named(directory.find(customer)?.name),
    recipe,
    knownRecipe: (customer, recipeId) => known.get(recipeKey(customer.display, recipeId)) ?? null,
    async recipes(recipes, callOptions) {
      const distinct = new Map(
        recipes.map((item) => [recipeKey(item.customer.display, item.recipeId), item]),
      );
      const names = new Map<string, string>();
      await Promise.all(
        [...distinct].map(async ([key, { customer, recipeId }]) => {
          const name = await recipe(customer, recipeId, callOptions);
          if (name !== null) names.set(key, name);
        }),
      );
      return names;
    },
  };
}
