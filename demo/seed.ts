// Fills the Workato simulator with the demo's customers, recipes and six hours of job history, the API doc's sample
// jobs among them (the list sample, the job-details sample, and the three jobs of the repeat sample).
import { readFileSync } from "node:fs";
import { z } from "zod";
import { CUSTOMER, RECIPE } from "../sim/app-harness.js";
import type {
  SimJob,
  SimJobInput,
  SimJobStatus,
  SimLine,
  WorkatoSimulator,
} from "../sim/workato-simulator/index.js";
import {
  type CustomerSpec,
  DEMO_CUSTOMERS,
  type FailureSpec,
  pickFailure,
  type RecipeSpec,
  SAMPLE_RECIPES,
} from "./catalog.js";
import type { Random } from "./random.js";

const HISTORY_HOURS = 6;
const MINUTE = 60_000;

const listSampleSchema = z.object({
  items: z.array(z.object({ id: z.string(), title: z.string(), master_job_id: z.string() })),
});
const detailsSampleSchema = z.object({
  id: z.string(),
  title: z.string(),
  lines: z.array(
    z.object({
      recipe_line_number: z.number(),
      adapter_name: z.string(),
      adapter_operation: z.string(),
      input: z.unknown(),
      output: z.unknown(),
      mask_data: z.boolean(),
      line_stat: z.object({ total: z.number(), details: z.array(z.unknown()) }),
    }),
  ),
});
const repeatSampleSchema = z.object({
  results: z.array(
    z.object({ requested_job_id: z.string(), error: z.object({ type_id: z.string() }).optional() }),
  ),
});

function readSample<T>(name: string, schema: z.ZodType<T>): T {
  const text = readFileSync(new URL(`../sim/doc-samples/${name}`, import.meta.url), "utf8");
  return schema.parse(JSON.parse(text));
}

/** A recipe's step lines for a job: all steps when it succeeded, up to the failing one, or the first while pending. */
function stepLines(recipe: RecipeSpec, status: SimJobStatus, failure: FailureSpec | null, random: Random) {
  const lastStep =
    status === "failed" && failure ? failure.step : status === "pending" ? 0 : recipe.steps.length - 1;
  return recipe.steps.slice(0, lastStep + 1).map((step, index): SimLine => {
    const seconds = step.seconds * (0.5 + random.next());
    const raised = status === "failed" && index === lastStep;
    return {
      recipe_line_number: index,
      adapter_name: step.adapter,
      adapter_operation: step.operation,
      input: { connection: `${step.adapter} (production)` },
      output: raised ? null : { ok: true },
      mask_data: step.maskData ?? false,
      line_stat: {
        total: seconds,
        details: [
          { name: "execute", count: 1, average: seconds, total: seconds, min: seconds, max: seconds },
        ],
      },
    };
  });
}

/** Everything about a new job of this recipe that the simulator would otherwise make up. */
export function recipeJob(
  recipe: RecipeSpec,
  status: SimJobStatus,
  startedAt: Date,
  random: Random,
): SimJobInput {
  const failure = status === "failed" ? pickFailure(recipe, random) : null;
  const lines = stepLines(recipe, status, failure, random);
  const runSeconds = lines.reduce((sum, line) => sum + line.line_stat.total, 0) + 0.2;
  return {
    status,
    title: recipe.title(random),
    error: failure ? failure.text(random) : null,
    startedAt,
    completedAt: status === "pending" ? null : new Date(startedAt.getTime() + runSeconds * 1000),
    lines,
  };
}

/** The lines a pending job gets once it finishes, and when it finished. */
export function finishedRecipeJob(
  recipe: RecipeSpec,
  job: SimJob,
  random: Random,
): Pick<SimJob, "lines" | "completedAt"> {
  const lines = stepLines(recipe, "succeeded", null, random);
  const runSeconds = lines.reduce((sum, line) => sum + line.line_stat.total, 0) + 0.2;
  return { lines, completedAt: new Date(job.startedAt.getTime() + runSeconds * 1000) };
}

/** Start times spread over the last hours, oldest first, a little irregular as real traffic is. */
function historyTimes(count: number, now: number, random: Random): Date[] {
  const start = now - HISTORY_HOURS * 60 * MINUTE;
  const gap = (now - 2 * MINUTE - start) / count;
  return Array.from(
    { length: count },
    (_, index) => new Date(Math.round(start + gap * (index + 0.5 + (random.next() - 0.5) * 0.6))),
  );
}

function seedRecipeHistory(
  sim: WorkatoSimulator,
  customer: CustomerSpec,
  recipe: RecipeSpec,
  now: number,
  random: Random,
): SimJob[] {
  const { succeeded, failed, pending } = recipe.history;
  const finished = random.shuffled<SimJobStatus>([
    ...Array<SimJobStatus>(succeeded).fill("succeeded"),
    ...Array<SimJobStatus>(failed).fill("failed"),
  ]);
  // Running jobs are the newest: a job still pending after hours would look like a stuck recipe.
  const statuses = [...finished, ...Array<SimJobStatus>(pending).fill("pending")];
  const times = historyTimes(statuses.length, now, random);
  return statuses.map((status, index) =>
    sim.addJob(customer.id, recipe.id, recipeJob(recipe, status, times[index] ?? new Date(now), random)),
  );
}

function recipeSpec(recipeId: number): { customer: CustomerSpec; recipe: RecipeSpec } {
  for (const customer of DEMO_CUSTOMERS) {
    const recipe = customer.recipes.find((candidate) => candidate.id === recipeId);
    if (recipe) return { customer, recipe };
  }
  throw new Error(`The demo catalog has no recipe ${recipeId}`);
}

/** The doc's sample jobs, at recent times so they show on the first page of their recipe's list. */
function seedDocSamples(sim: WorkatoSimulator, now: number, random: Random): void {
  const minutesAgo = (minutes: number) => new Date(now - minutes * MINUTE);

  const list = recipeSpec(SAMPLE_RECIPES.listSample);
  // The list sample's first job has the details sample's id (in another recipe), so its second job stands for it.
  const listItem = readSample("list-jobs.json", listSampleSchema).items[1];
  if (listItem) {
    // A repeat (its master_job_id is another job), as the doc shows it.
    sim.addJob(list.customer.id, list.recipe.id, {
      ...recipeJob(list.recipe, "succeeded", minutesAgo(35), random),
      id: listItem.id,
      title: listItem.title,
      masterJobId: listItem.master_job_id,
    });
  }

  const details = recipeSpec(SAMPLE_RECIPES.detailsSample);
  const sample = readSample("job-details.json", detailsSampleSchema);
  sim.addJob(details.customer.id, details.recipe.id, {
    ...recipeJob(details.recipe, "succeeded", minutesAgo(12), random),
    id: sample.id,
    title: sample.title,
    lines: sample.lines,
  });

  const repeat = recipeSpec(SAMPLE_RECIPES.repeatSample);
  const results = readSample("repeat-jobs.json", repeatSampleSchema).results;
  const idFor = (typeId: string | undefined) =>
    results.find((result) => result.error?.type_id === typeId)?.requested_job_id;
  const failedAt = (minutes: number) => recipeJob(repeat.recipe, "failed", minutesAgo(minutes), random);
  const repeatable = idFor(undefined);
  if (repeatable) {
    sim.addJob(repeat.customer.id, repeat.recipe.id, { ...failedAt(190), id: repeatable });
    // A repeat that failed again: "Repeat N failed" repeats its original instead.
    const repeated = idFor("err.job.repeat.invalid_id");
    if (repeated)
      sim.addJob(repeat.customer.id, repeat.recipe.id, {
        ...failedAt(170),
        id: repeated,
        masterJobId: repeatable,
      });
  }
  // Old enough that Workato's retention erased its trigger data: a repeat is refused.
  const expired = idFor("err.job.repeat.trigger_data_unavailable.expired");
  if (expired)
    sim.addJob(repeat.customer.id, repeat.recipe.id, { ...failedAt(340), id: expired, expired: true });
}

/** Seeds every customer, recipe and job of the catalog; the harness already added its own customer and recipe. */
export function seedWorkspace(sim: WorkatoSimulator, now: number, random: Random): void {
  for (const customer of DEMO_CUSTOMERS) {
    if (customer.id !== CUSTOMER)
      sim.addCustomer({ id: customer.id, externalId: customer.externalId, name: customer.name });
    for (const recipe of customer.recipes) {
      if (customer.id !== CUSTOMER || recipe.id !== RECIPE)
        sim.addRecipe(customer.id, { id: recipe.id, name: recipe.name });
      seedRecipeHistory(sim, customer, recipe, now, random);
    }
  }
  seedDocSamples(sim, now, random);
}

/** The recipe the demo shows stopped by Workato: a watch of it raises a recipe-stopped alert, and the App Home lists it. */
export const STOPPED_RECIPE = stoppedRecipe();

function stoppedRecipe() {
  const globex = DEMO_CUSTOMERS.find((customer) => customer.id === 31337);
  const recipe = globex?.recipes.at(-1);
  if (!globex || !recipe) throw new Error("the demo catalog has no second Globex recipe to stop");
  return { customer: globex.id, customerName: globex.name, recipeId: recipe.id } as const;
}

/** Workato stops the recipe after repeated trigger errors, an hour before the demo starts. */
export function seedStoppedRecipe(sim: WorkatoSimulator, now: number): void {
  sim.stopRecipeByWorkato(STOPPED_RECIPE.customer, STOPPED_RECIPE.recipeId, {
    // Workato's own code, as its API reports it: the alert words it ("its trigger kept failing, …").
    cause: "trigger_errors_limit",
    at: new Date(now - 60 * 60_000),
  });
}
