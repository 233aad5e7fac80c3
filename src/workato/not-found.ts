// Workato answers the same 404 for a missing customer, recipe or job. This asks, cheaply, which one it was: the
// customer (from the cached directory, else GET /api/managed_users/:id), then the recipe (GET …/recipes/:id).
import type { CustomerRef } from "./customer-ref.js";
import { WorkatoApiError } from "./errors.js";

/** What a call was about: a customer's recipe list names no recipe, a job list no job. */
export interface NotFoundTarget {
  customer: CustomerRef;
  recipeId?: number;
  jobId?: string;
}

export type MissingThing = "customer" | "recipe" | "job";

export interface ExistenceChecks {
  /** true/false when known; a check that itself failed (429, network) throws */
  customerExists(customer: CustomerRef): Promise<boolean>;
  recipeExists(customer: CustomerRef, recipeId: number): Promise<boolean>;
}

/** Which of the target's parts Workato does not have; null when the checks could not tell. */
export async function whatIsMissing(
  checks: ExistenceChecks,
  target: NotFoundTarget,
): Promise<MissingThing | null> {
  try {
    if (!(await checks.customerExists(target.customer))) return "customer";
    if (target.recipeId === undefined) return null;
    if (!(await checks.recipeExists(target.customer, target.recipeId))) return "recipe";
    return target.jobId !== undefined ? "job" : null;
  } catch {
    return null;
  }
}

/** `error` unchanged unless it is a 404; then the same 404 whose message says which part is missing. */
export async function explainNotFound(
  checks: ExistenceChecks,
  error: unknown,
  target: NotFoundTarget,
): Promise<unknown> {
  if (!(error instanceof WorkatoApiError) || error.code !== "not_found") return error;
  const missing = await whatIsMissing(checks, target);
  if (missing === null) return error;
  return new WorkatoApiError("not_found", notFoundMessage(missing, target), error.details);
}

export function notFoundMessage(missing: MissingThing, target: NotFoundTarget): string {
  const customer = target.customer.display;
  switch (missing) {
    case "customer":
      return `Workato has no customer ${customer} (404). Check the customer: its id, ext:<external id> or name.`;
    case "recipe":
      return `Customer ${customer} has no recipe ${target.recipeId} (404). Check the recipe ID; "/workato-jobs recipes ${customer}" lists them.`;
    case "job":
      return `Recipe ${target.recipeId} of customer ${customer} has no job ${target.jobId ?? ""} (404). Check the job ID; Workato also drops jobs after its retention period.`;
  }
}

/** Existence checks from the client's calls: a 404 means no, any other failure is passed on. */
export function existenceChecks(calls: {
  knownCustomer(customer: CustomerRef): boolean;
  getCustomer(customer: CustomerRef): Promise<unknown>;
  getRecipe(customer: CustomerRef, recipeId: number, options: { maxAgeMs: number }): Promise<unknown>;
}): ExistenceChecks {
  const exists = (call: () => Promise<unknown>) =>
    call().then(
      () => true,
      (error: unknown) => {
        if (error instanceof WorkatoApiError && error.code === "not_found") return false;
        throw error;
      },
    );
  return {
    customerExists: (customer) =>
      calls.knownCustomer(customer) ? Promise.resolve(true) : exists(() => calls.getCustomer(customer)),
    // A cached name proves the recipe existed, not that it still does.
    recipeExists: (customer, recipeId) => exists(() => calls.getRecipe(customer, recipeId, { maxAgeMs: 0 })),
  };
}
