// The calls around jobs: the admin workspace's customers (list, get) and a customer's recipes (list, start, stop).
// Each goes through the client's one paced, retrying `call`, under its own limit family.
import type { ZodType } from "zod";
import type { CustomerRef } from "./customer-ref.js";
import { WorkatoApiError } from "./errors.js";
import type { CallPriority, LimitFamily } from "./limits.js";
import {
  type Customer,
  customerListSchema,
  customerResponseSchema,
  type RecipeSummary,
  recipeControlSchema,
  recipeListSchema,
} from "./schemas.js";

export interface CallOptions {
  priority?: CallPriority;
}

/** Workato's cap on per_page for the recipe and customer lists. */
export const MAX_PER_PAGE = 100;

export interface PageQuery {
  /** from 1 */
  page?: number;
  /** at most 100 (Workato's cap) */
  perPage?: number;
}

export interface ListRecipesQuery extends PageQuery {
  running?: boolean;
  /** e.g. "trigger_errors_limit" */
  stopCause?: string;
}

/** What PUT …/start or …/stop answered: success, or Workato's own message as it said it. */
export type RecipeControlResult = { success: true } | { success: false; message: string };

export interface DirectoryCalls {
  /** one page of the admin workspace's customers (managed users), in Workato's order */
  listCustomers(query?: PageQuery, options?: CallOptions): Promise<Customer[]>;
  getCustomer(customer: CustomerRef, options?: CallOptions): Promise<Customer>;
  /** one page of the customer's recipes, highest id first */
  listRecipes(
    customer: CustomerRef,
    query?: ListRecipesQuery,
    options?: CallOptions,
  ): Promise<RecipeSummary[]>;
  /** Workato's refusal (a recipe that cannot start) is an answer, not an error; other failures throw */
  startRecipe(customer: CustomerRef, recipeId: number, options?: CallOptions): Promise<RecipeControlResult>;
  stopRecipe(customer: CustomerRef, recipeId: number, options?: CallOptions): Promise<RecipeControlResult>;
}

/** The client's paced call: a GET retries whatever failed, a PUT only what certainly did not reach Workato. */
export type PacedCall = <T>(
  method: "GET" | "PUT",
  url: URL,
  schema: ZodType<T>,
  family: LimitFamily,
  priority: CallPriority,
) => Promise<T>;

export function createDirectoryCalls(base: URL, call: PacedCall): DirectoryCalls {
  function customerPath(customer: CustomerRef, rest = ""): URL {
    return new URL(`/api/managed_users/${customer.pathSegment}${rest}`, base);
  }

  function withPaging(url: URL, query: PageQuery): URL {
    if (query.page !== undefined) url.searchParams.set("page", String(query.page));
    const perPage = Math.min(query.perPage ?? MAX_PER_PAGE, MAX_PER_PAGE);
    url.searchParams.set("per_page", String(perPage));
    return url;
  }

  async function controlRecipe(
    customer: CustomerRef,
    recipeId: number,
    verb: "start" | "stop",
    priority: CallPriority,
  ): Promise<RecipeControlResult> {
    const url = customerPath(customer, `/recipes/${recipeId}/${verb}`);
    try {
      const answer = await call("PUT", url, recipeControlSchema, "recipeControl", priority);
      if (answer.success) return { success: true };
      return { success: false, message: answer.message ?? `Workato did not ${verb} the recipe.` };
    } catch (error) {
      // A 400/422 is Workato saying why (a connection not set up, a configuration error): shown as it is said.
      if (
        error instanceof WorkatoApiError &&
        error.code === "invalid_request" &&
        error.details.workatoMessage !== undefined
      ) {
        return { success: false, message: error.details.workatoMessage };
      }
      throw error;
    }
  }

  return {
    listCustomers(query = {}, callOptions = {}) {
      const url = withPaging(new URL("/api/managed_users", base), query);
      return call("GET", url, customerListSchema, "customers", callOptions.priority ?? "interactive");
    },

    getCustomer(customer, callOptions = {}) {
      return call(
        "GET",
        customerPath(customer),
        customerResponseSchema,
        "customers",
        callOptions.priority ?? "interactive",
      );
    },

    listRecipes(customer, query = {}, callOptions = {}) {
      const url = withPaging(customerPath(customer, "/recipes"), query);
      if (query.running !== undefined) url.searchParams.set("running", String(query.running));
      if (query.stopCause !== undefined) url.searchParams.set("stop_cause", query.stopCause);
      return call("GET", url, recipeListSchema, "recipes", callOptions.priority ?? "interactive");
    },

    startRecipe(customer, recipeId, callOptions = {}) {
      return controlRecipe(customer, recipeId, "start", callOptions.priority ?? "interactive");
    },

    stopRecipe(customer, recipeId, callOptions = {}) {
      return controlRecipe(customer, recipeId, "stop", callOptions.priority ?? "interactive");
    },
  };
}
