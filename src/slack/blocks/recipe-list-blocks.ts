// The message for one page of a customer's recipes: each recipe running or stopped (and why), its failed jobs and
// last run, with List failed and Watch buttons; Newer/Older recipes buttons page through the customer's list.
import type { KnownBlock } from "@slack/types";
import type { CustomerRef } from "../../workato/customer-ref.js";
import type { RecipeSummary } from "../../workato/schemas.js";
import { stoppedWords } from "../../workato/stop-cause.js";
import {
  ACTIONS,
  type ActionIds,
  createActionIds,
  encodeButtonValue,
  encodeRecipesPageValue,
  fitsInButton,
} from "./action-ids.js";
import { actions, button, context, header, type SlackMessage, section } from "./elements.js";
import { countOf, customerTitle, escapeTruncated, inlineCode, slackDate } from "./format.js";

export type RecipeFilterName = "failing" | "stopped";

export interface RecipeListMessageInput {
  customer: CustomerRef;
  /** from the customer directory; null when it does not know the customer */
  customerName: string | null;
  /** the recipes of this page that pass the filter, in the order to show */
  recipes: readonly RecipeSummary[];
  filter?: RecipeFilterName;
  /** the page of Workato's list (from 1) */
  page: number;
  /** how many recipes this page of Workato's list held, before the filter */
  listed: number;
  /** the page was full, so older recipes may follow */
  hasOlder: boolean;
  /** recipes that passed the filter but did not fit (the failing view shows the most failures first) */
  notShown: number;
}

const NAME_MAX = 150;

/** ":large_green_circle: running", ":red_circle: stopped by Workato: trigger errors since …" */
export function recipeStateWords(recipe: RecipeSummary): string {
  if (recipe.running) return ":large_green_circle: running";
  const since = recipe.stoppedAt !== null ? ` since ${slackDate(recipe.stoppedAt)}` : "";
  return `${recipe.stopCause ? ":red_circle:" : ":black_circle:"} ${escapeTruncated(stoppedWords(recipe.stopCause), 120)}${since}`;
}

function recipeBlocks(recipe: RecipeSummary, customer: CustomerRef, ids: ActionIds): KnownBlock[] {
  const failed =
    recipe.jobFailedCount > 0 ? `*${countOf(recipe.jobFailedCount, "failed job")}*` : "no failed jobs";
  const lastRun = recipe.lastRunAt !== null ? `last run ${slackDate(recipe.lastRunAt)}` : "never run";
  const blocks: KnownBlock[] = [
    section(
      `*${escapeTruncated(recipe.name, NAME_MAX)}* ${inlineCode(String(recipe.id))}\n${recipeStateWords(recipe)} · ${failed} · ${lastRun}`,
    ),
  ];
  const value = { c: customer.display, r: recipe.id };
  const failedValue = { ...value, s: "failed" as const };
  const row = actions([
    recipe.jobFailedCount > 0 && fitsInButton(failedValue)
      ? button(ids.next(ACTIONS.recipeFailedJobs), "List failed", encodeButtonValue(failedValue))
      : null,
    fitsInButton(value) ? button(ids.next(ACTIONS.recipeWatch), "Watch", encodeButtonValue(value)) : null,
  ]);
  if (row) blocks.push(row);
  return blocks;
}

function summary(input: RecipeListMessageInput): string {
  const shown = input.recipes.length;
  if (input.filter === "failing") {
    const found = shown + input.notShown;
    const more = input.notShown > 0 ? `, the ${shown} with the most failures shown` : "";
    return `Page ${input.page}: ${countOf(found, "recipe")} with failed jobs among ${countOf(input.listed, "recipe")}${more}. Newest recipes first.`;
  }
  const which = input.filter === "stopped" ? "stopped recipe" : "recipe";
  return `Page ${input.page}: ${countOf(shown, which)}, newest first.`;
}

function pagingRow(input: RecipeListMessageInput, ids: ActionIds): KnownBlock | null {
  const value = (page: number) =>
    encodeRecipesPageValue({
      c: input.customer.display,
      p: page,
      ...(input.filter ? { f: input.filter } : {}),
    });
  return actions([
    input.page > 1 ? button(ids.next(ACTIONS.recipesPage), "Newer recipes", value(input.page - 1)) : null,
    input.hasOlder ? button(ids.next(ACTIONS.recipesPage), "Older recipes", value(input.page + 1)) : null,
  ]);
}

/** A list's title and what it says when its first page is empty, per filter. */
const LIST_WORDING = {
  all: { title: "Recipes", none: "This customer has no recipes." },
  failing: { title: "Failing recipes", none: "No recipe on this page has failed jobs." },
  stopped: { title: "Stopped recipes", none: "No stopped recipes." },
} as const;

export function buildRecipeListMessage(input: RecipeListMessageInput): SlackMessage {
  const ids = createActionIds();
  const title = customerTitle(input.customer, input.customerName);
  const wording = LIST_WORDING[input.filter ?? "all"];
  const blocks: KnownBlock[] = [
    header(`${wording.title} of ${title}`),
    context(escapeTruncated(summary(input), 2000)),
  ];
  if (input.recipes.length === 0) blocks.push(section(input.page > 1 ? "No more recipes." : wording.none));
  for (const recipe of input.recipes) blocks.push(...recipeBlocks(recipe, input.customer, ids));
  const paging = pagingRow(input, ids);
  if (paging) blocks.push(paging);
  return {
    text: `${wording.title} of ${escapeTruncated(title, 200)}: ${escapeTruncated(summary(input), 300)}`,
    blocks,
  };
}
