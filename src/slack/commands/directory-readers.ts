// The readers of the subcommands that find things: `recipes <customer> [failing|stopped]` and `customers [text]`.
// Pure, like the rest of the grammar (grammar.ts), which lists them in its table.
import type { CustomerRef } from "../../workato/customer-ref.js";
import { type Read, type ReadContext, readCustomer, refuse, shorten } from "./arguments.js";

/** `failing`: recipes with failed jobs; `stopped`: recipes that are not running. */
export type RecipeFilter = "failing" | "stopped";

export interface RecipesCommand {
  kind: "recipes";
  customer: CustomerRef;
  filter?: RecipeFilter;
}

export function readRecipes(
  args: readonly string[],
  { usage, resolveCustomer }: ReadContext,
): Read<RecipesCommand> {
  const customer = readCustomer(args[0], usage, resolveCustomer);
  if (!customer.ok) return customer;
  const [option, ...rest] = args.slice(1).map((word) => word.toLowerCase());
  if (rest.length > 0 || (option !== undefined && option !== "failing" && option !== "stopped")) {
    return refuse(
      `"${shorten(args.slice(1).join(" "))}" is not an option of recipes: use failing or stopped.`,
      usage,
    );
  }
  return {
    ok: true,
    value: { kind: "recipes", customer: customer.value, ...(option ? { filter: option } : {}) },
  };
}

export interface CustomersCommand {
  kind: "customers";
  /** only customers whose name (or id) contains this; empty for all */
  text: string;
}

export function readCustomers(args: readonly string[]): Read<CustomersCommand> {
  return { ok: true, value: { kind: "customers", text: args.join(" ") } };
}
