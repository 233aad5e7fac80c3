// A failed Workato call answered privately, worded as workato/errors.ts words it, with a 404 first narrowed down to
// what is missing: the customer, the recipe or the job (see workato/not-found.ts).

import type { CustomerRef } from "../../workato/customer-ref.js";
import { describeWorkatoFailure, WorkatoApiError } from "../../workato/errors.js";
import {
  type ExistenceChecks,
  existenceChecks,
  explainNotFound,
  type NotFoundTarget,
} from "../../workato/not-found.js";
import { buildErrorMessage } from "../blocks/help-blocks.js";
import type { HandlerDeps } from "../handler-deps.js";

/** The directory answers for customers it knows; otherwise one GET of the customer, then one of the recipe. */
export function existenceChecksOf(deps: Pick<HandlerDeps, "workato" | "customers">): ExistenceChecks {
  return existenceChecks({
    knownCustomer: (customer) => deps.customers.find(customer) !== undefined,
    getCustomer: (customer) => deps.workato.getCustomer(customer),
    getRecipe: (customer, recipeId, options) => deps.workato.getRecipe(customer, recipeId, options),
  });
}

/** `error` with a 404 narrowed down; anything else unchanged. */
export function explainedError(
  deps: Pick<HandlerDeps, "workato" | "customers">,
  error: unknown,
  target: NotFoundTarget,
): Promise<unknown> {
  return explainNotFound(existenceChecksOf(deps), error, target);
}

/** A failed Workato call, worded as workato/errors.ts words it, privately to the person who asked. */
export async function answerWithFailure(
  deps: Pick<HandlerDeps, "poster">,
  responseUrl: string,
  error: unknown,
  doing: string,
): Promise<void> {
  const failure = describeWorkatoFailure(error, doing);
  await deps.poster.respond(responseUrl, buildErrorMessage(failure.whatHappened, failure.whatToDo));
}

export async function answerWithExplainedFailure(
  deps: Pick<HandlerDeps, "workato" | "customers" | "poster">,
  responseUrl: string,
  error: unknown,
  doing: string,
  target: NotFoundTarget,
): Promise<void> {
  await answerWithFailure(deps, responseUrl, await explainedError(deps, error, target), doing);
}

/**
 * Before work that names a recipe (a repeat's confirmation): when Workato has no such recipe or customer, says which
 * and returns true. Reads the recipe through the client's cache, so the name shown next costs nothing more.
 */
export async function answeredMissingRecipe(
  deps: Pick<HandlerDeps, "workato" | "customers" | "poster">,
  target: { customer: CustomerRef; recipeId: number },
  responseUrl: string,
  doing: string,
): Promise<boolean> {
  try {
    await deps.workato.getRecipe(target.customer, target.recipeId);
    return false;
  } catch (error) {
    if (!(error instanceof WorkatoApiError) || error.code !== "not_found") return false;
    await answerWithExplainedFailure(deps, responseUrl, error, doing, target);
    return true;
  }
}
