// What each endpoint answers once a request is authorised and admitted: lookups, 403/404/400, bodies.
import { getCustomer, listCustomers, listRecipes, startRecipe, stopRecipe } from "./directory-endpoints.js";
import { listJobs, parseListQuery } from "./listing.js";
import type { Route } from "./paths.js";
import { parseRepeatBody, type RepeatEnv, repeatJobs } from "./repeating.js";
import type { SimRecipe, SimState } from "./state.js";
import type { Answer } from "./types.js";
import { jobDetailsJson, jobListJson, recipeJson } from "./wire-format.js";

export interface EndpointContext {
  state: SimState;
  pageSize: number;
  recipeShape: "bare" | "result-array";
  jobsAccessDenied: boolean;
  repeatEnv: RepeatEnv;
  listShape: "result" | "items" | "bare";
  now: () => Date;
}

const JOBS_ENDPOINTS = new Set(["list", "get", "repeat"]);

const NOT_FOUND: Answer = { status: 404, body: { message: "Not found" } };
const FORBIDDEN: Answer = { status: 403, body: { message: "Forbidden" } };

function badRequest(message: string): Answer {
  return { status: 400, body: { message } };
}

function findRecipe(state: SimState, route: Route): SimRecipe | undefined {
  if (route.customer === null || route.recipeId === null) return undefined;
  return state.findCustomer(route.customer)?.recipes.get(route.recipeId);
}

/**
 * The role check comes before any lookup, as a missing permission hides even whether the customer exists.
 * Get recipe belongs to the Recipes API, so the jobs permission does not gate it (nor the customer endpoints).
 * Every kind of missing thing answers the same 404 body, as Workato does: a client tells a missing customer from a
 * missing recipe by asking GET /api/managed_users/:id and then GET …/recipes/:id.
 */
export function answerEndpoint(
  context: EndpointContext,
  route: Route,
  query: Record<string, string>,
  body: unknown,
): Answer {
  if (route.endpoint === "other") return NOT_FOUND;
  if (JOBS_ENDPOINTS.has(route.endpoint) && context.jobsAccessDenied) return FORBIDDEN;
  if (route.endpoint === "customers") return listCustomers(context.state, query, context.listShape);
  if (route.endpoint === "customer" || route.endpoint === "recipes") {
    const customer = route.customer === null ? undefined : context.state.findCustomer(route.customer);
    if (customer === undefined) return NOT_FOUND;
    return route.endpoint === "customer"
      ? getCustomer(customer)
      : listRecipes(customer, query, context.listShape);
  }
  const recipe = findRecipe(context.state, route);
  if (recipe === undefined) return NOT_FOUND;

  switch (route.endpoint) {
    case "start":
      return startRecipe(recipe);
    case "stop":
      return stopRecipe(recipe, context.now());
    case "recipe":
      return { status: 200, body: recipeJson(recipe, context.recipeShape) };
    case "list": {
      const listQuery = parseListQuery(query);
      if ("message" in listQuery) return badRequest(listQuery.message);
      const page = listJobs(recipe.jobs, listQuery, context.pageSize, (jobId) =>
        context.state.findRecipeJob(recipe.customerId, recipe.id, jobId),
      );
      if ("message" in page) return badRequest(page.message);
      return { status: 200, body: jobListJson(page) };
    }
    case "get": {
      const job =
        route.jobId === null
          ? undefined
          : context.state.findRecipeJob(recipe.customerId, recipe.id, route.jobId);
      return job === undefined ? NOT_FOUND : { status: 200, body: jobDetailsJson(job) };
    }
    case "repeat": {
      const payload = parseRepeatBody(body);
      if ("message" in payload) return badRequest(payload.message);
      return {
        status: 200,
        body: repeatJobs(context.repeatEnv, recipe.customerId, recipe.id, payload.jobIds),
      };
    }
  }
}
