// The endpoints around jobs: list and get customers (managed users), list a customer's recipes, start/stop a recipe.
import type { SimCustomer, SimRecipe, SimState } from "./state.js";
import type { Answer } from "./types.js";
import { customerJson, listJson, recipeObjectJson } from "./wire-format.js";

/** Workato's cap on per_page for recipe lists; the customers list gets the same (its doc names none). */
export const MAX_PER_PAGE = 100;

type ListShape = "result" | "items" | "bare";

function badRequest(message: string): Answer {
  return { status: 400, body: { message } };
}

const POSITIVE_INTEGER = /^[1-9]\d*$/;

/** page from 1 and per_page up to 100 (larger values are capped, as Workato caps them); garbage is a 400. */
function parsePaging(query: Record<string, string>): { page: number; perPage: number } | { message: string } {
  const { page = "1", per_page: perPage = String(MAX_PER_PAGE) } = query;
  if (!POSITIVE_INTEGER.test(page)) return { message: `Invalid page: ${page}` };
  if (!POSITIVE_INTEGER.test(perPage)) return { message: `Invalid per_page: ${perPage}` };
  return { page: Number(page), perPage: Math.min(Number(perPage), MAX_PER_PAGE) };
}

function pageOf<T>(items: readonly T[], paging: { page: number; perPage: number }): T[] {
  const start = (paging.page - 1) * paging.perPage;
  return items.slice(start, start + paging.perPage);
}

/** Ascending id order: the docs give none for managed users, and creation order is what a UI shows. */
export function listCustomers(state: SimState, query: Record<string, string>, shape: ListShape): Answer {
  const paging = parsePaging(query);
  if ("message" in paging) return badRequest(paging.message);
  return { status: 200, body: listJson(pageOf(state.customers(), paging).map(customerJson), shape) };
}

/** A single customer is wrapped in `result` like the Embedded docs' samples. */
export function getCustomer(customer: SimCustomer): Answer {
  return { status: 200, body: { result: customerJson(customer) } };
}

type RecipeFilter = (recipe: SimRecipe) => boolean;

function parseRecipeFilters(query: Record<string, string>): RecipeFilter[] | { message: string } {
  const filters: RecipeFilter[] = [];
  const { running, stop_cause: stopCause, since_id: sinceId, folder_id: folderId, stopped_after } = query;
  if (running !== undefined && running !== "") {
    if (running !== "true" && running !== "false") return { message: `Invalid running: ${running}` };
    const wanted = running === "true";
    filters.push((recipe) => recipe.running === wanted);
  }
  if (stopCause !== undefined && stopCause !== "") filters.push((recipe) => recipe.stopCause === stopCause);
  if (sinceId !== undefined && sinceId !== "") {
    if (!POSITIVE_INTEGER.test(sinceId)) return { message: `Invalid since_id: ${sinceId}` };
    // The list runs from the highest id down, so "since" an id means the ids below it.
    filters.push((recipe) => recipe.id < Number(sinceId));
  }
  if (folderId !== undefined && folderId !== "") {
    if (!POSITIVE_INTEGER.test(folderId)) return { message: `Invalid folder_id: ${folderId}` };
    filters.push((recipe) => recipe.folderId === Number(folderId));
  }
  if (stopped_after !== undefined && stopped_after !== "") {
    const after = Date.parse(stopped_after);
    if (Number.isNaN(after)) return { message: `Invalid stopped_after: ${stopped_after}` };
    filters.push((recipe) => recipe.stoppedAt !== null && recipe.stoppedAt.getTime() > after);
  }
  return filters;
}

/** Descending id order, filtered, then paged; counts are computed from the jobs the simulator holds now. */
export function listRecipes(customer: SimCustomer, query: Record<string, string>, shape: ListShape): Answer {
  const paging = parsePaging(query);
  if ("message" in paging) return badRequest(paging.message);
  const filters = parseRecipeFilters(query);
  if ("message" in filters) return badRequest(filters.message);
  const matching = [...customer.recipes.values()]
    .filter((recipe) => filters.every((filter) => filter(recipe)))
    .sort((a, b) => b.id - a.id);
  return { status: 200, body: listJson(pageOf(matching, paging).map(recipeObjectJson), shape) };
}

/** Starting a running recipe, or stopping a stopped one, succeeds and changes nothing. */
export function startRecipe(recipe: SimRecipe): Answer {
  if (recipe.startError !== null) {
    return { status: 400, body: { success: false, message: recipe.startError } };
  }
  recipe.running = true;
  recipe.stoppedAt = null;
  recipe.stopCause = null;
  return { status: 200, body: { success: true } };
}

/** Stopped by a person (through the API): no stop_cause, which is for Workato stopping it by itself. */
export function stopRecipe(recipe: SimRecipe, now: Date): Answer {
  if (recipe.running) {
    recipe.running = false;
    recipe.stoppedAt = now;
    recipe.stopCause = null;
  }
  return { status: 200, body: { success: true } };
}
