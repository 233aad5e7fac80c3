// The simulator's in-memory workspace: customers, their recipes, and each recipe's jobs in start order.
import { newJobId } from "./ids.js";
import { DEFAULT_FAILURE_MESSAGE, defaultDurationMs, defaultLines, defaultTitle } from "./job-defaults.js";
import type { CustomerRef } from "./paths.js";
import type { SimCustomerInput, SimJob, SimJobInput, SimRecipeInput, SimRecipeState } from "./types.js";

export interface SimRecipe extends SimRecipeState {
  /**
   * Ordered by startedAt, OLDEST first: the usual new job is a push (O(1)), where keeping the API's newest-first
   * order would make every addition O(n) and seeding 100k jobs quadratic. Readers walk it from the end.
   */
  jobs: SimJob[];
}

export interface SimCustomer {
  id: number;
  externalId: string | undefined;
  name: string;
  /** when addCustomer was called, by the simulator's clock (the customer's created_at) */
  createdAt: Date;
  recipes: Map<number, SimRecipe>;
}

export interface JobHome {
  job: SimJob;
  customerId: number;
  recipeId: number;
}

export interface SimState {
  addCustomer(c: SimCustomerInput): void;
  addRecipe(customerId: number, r: SimRecipeInput): void;
  /** every customer, in ascending id order */
  customers(): SimCustomer[];
  /** throws, naming what is missing, when the customer or recipe does not exist */
  requireRecipe(customerId: number, recipeId: number): SimRecipe;
  /** where a job lives, whatever its customer and recipe */
  jobHome(jobId: string): JobHome | undefined;
  addJob(customerId: number, recipeId: number, input?: SimJobInput): SimJob;
  addFailedJobs(customerId: number, recipeId: number, n: number, input?: SimJobInput): SimJob[];
  jobs(customerId: number, recipeId: number): SimJob[];
  job(jobId: string): SimJob | undefined;
  findCustomer(ref: CustomerRef): SimCustomer | undefined;
  /** A job of another recipe or customer is as unknown to a recipe's URLs as a made-up id. */
  findRecipeJob(customerId: number, recipeId: number, jobId: string): SimJob | undefined;
}

/** Gap put after the newest job when the clock has not moved past it, so "newest" stays strictly true. */
const MIN_GAP_MS = 1000;

/** Keeps the array oldest-first; a tie goes after its equals, so the job added last counts as the newest. */
function insertChronologically(jobs: SimJob[], job: SimJob): void {
  const startedAt = job.startedAt.getTime();
  const newest = jobs[jobs.length - 1];
  if (newest === undefined || newest.startedAt.getTime() <= startedAt) {
    jobs.push(job);
    return;
  }
  let low = 0;
  let high = jobs.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const other = jobs[middle];
    if (other !== undefined && other.startedAt.getTime() <= startedAt) low = middle + 1;
    else high = middle;
  }
  jobs.splice(low, 0, job);
}

export function createSimState(now: () => Date): SimState {
  const customers = new Map<number, SimCustomer>();
  const customerIdsByExternalId = new Map<string, number>();
  const jobHomes = new Map<string, JobHome>();
  // Drives the default titles/lines/durations, so they vary from job to job yet are reproducible.
  let jobSequence = 0;

  function requireCustomer(customerId: number): SimCustomer {
    const customer = customers.get(customerId);
    if (customer === undefined) {
      throw new Error(`Simulator: no customer ${customerId}; call addCustomer first`);
    }
    return customer;
  }

  function requireRecipe(customerId: number, recipeId: number): SimRecipe {
    const recipe = requireCustomer(customerId).recipes.get(recipeId);
    if (recipe === undefined) {
      throw new Error(`Simulator: customer ${customerId} has no recipe ${recipeId}; call addRecipe first`);
    }
    return recipe;
  }

  function nextStartTime(recipe: SimRecipe): Date {
    const current = now();
    const newest = recipe.jobs[recipe.jobs.length - 1];
    if (newest !== undefined && current.getTime() <= newest.startedAt.getTime()) {
      return new Date(newest.startedAt.getTime() + MIN_GAP_MS);
    }
    return current;
  }

  function addJob(customerId: number, recipeId: number, input: SimJobInput = {}): SimJob {
    const recipe = requireRecipe(customerId, recipeId);
    const id = input.id ?? newJobId((candidate) => jobHomes.has(candidate));
    if (jobHomes.has(id)) throw new Error(`Simulator: job ${id} already exists`);
    jobSequence += 1;
    const status = input.status ?? "succeeded";
    const startedAt = input.startedAt ?? nextStartTime(recipe);
    const finished = status !== "pending";
    const masterJobId = input.masterJobId ?? id;
    // `!== undefined` rather than `??` so a caller's explicit null survives.
    const job: SimJob = {
      id,
      recipeId,
      status,
      title: input.title ?? defaultTitle(jobSequence),
      error: input.error !== undefined ? input.error : status === "failed" ? DEFAULT_FAILURE_MESSAGE : null,
      startedAt,
      completedAt:
        input.completedAt !== undefined
          ? input.completedAt
          : finished
            ? new Date(startedAt.getTime() + defaultDurationMs(jobSequence))
            : null,
      masterJobId,
      isRepeat: input.isRepeat ?? masterJobId !== id,
      isTest: input.isTest ?? false,
      isPollError: input.isPollError ?? false,
      callingRecipeId: input.callingRecipeId ?? null,
      callingJobId: input.callingJobId ?? null,
      rootRecipeId: input.rootRecipeId ?? null,
      rootJobId: input.rootJobId ?? null,
      lines: input.lines ?? defaultLines(jobSequence, status),
      repeatCount: input.repeatCount ?? 0,
      expired: input.expired ?? false,
    };
    insertChronologically(recipe.jobs, job);
    jobHomes.set(id, { job, customerId, recipeId });
    return job;
  }

  return {
    addCustomer({ id, externalId, name }) {
      if (customers.has(id)) throw new Error(`Simulator: customer ${id} already exists`);
      if (externalId !== undefined) {
        if (customerIdsByExternalId.has(externalId)) {
          throw new Error(`Simulator: external id "${externalId}" is already used`);
        }
        customerIdsByExternalId.set(externalId, id);
      }
      customers.set(id, {
        id,
        externalId,
        name: name ?? `Customer ${id}`,
        createdAt: now(),
        recipes: new Map(),
      });
    },

    addRecipe(customerId, { id, name, running, folderId, triggerApplication }) {
      const customer = requireCustomer(customerId);
      if (customer.recipes.has(id)) {
        throw new Error(`Simulator: customer ${customerId} already has recipe ${id}`);
      }
      customer.recipes.set(id, {
        id,
        name,
        customerId,
        running: running ?? true,
        stoppedAt: running === false ? now() : null,
        stopCause: null,
        folderId: folderId ?? 1,
        triggerApplication: triggerApplication ?? "salesforce",
        startError: null,
        jobs: [],
      });
    },

    customers() {
      return [...customers.values()].sort((a, b) => a.id - b.id);
    },

    requireRecipe,

    jobHome(jobId) {
      return jobHomes.get(jobId);
    },

    addJob,

    addFailedJobs(customerId, recipeId, n, input = {}) {
      return Array.from({ length: n }, () => addJob(customerId, recipeId, { ...input, status: "failed" }));
    },

    jobs(customerId, recipeId) {
      return requireRecipe(customerId, recipeId).jobs.slice().reverse();
    },

    job(jobId) {
      return jobHomes.get(jobId)?.job;
    },

    findCustomer(ref) {
      const id = ref.kind === "id" ? ref.id : customerIdsByExternalId.get(ref.externalId);
      return id === undefined ? undefined : customers.get(id);
    },

    findRecipeJob(customerId, recipeId, jobId) {
      const home = jobHomes.get(jobId);
      return home?.customerId === customerId && home.recipeId === recipeId ? home.job : undefined;
    },
  };
}
