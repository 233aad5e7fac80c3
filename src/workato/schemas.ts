// zod schemas for every Jobs API answer, derived from the API doc's samples. They tolerate unknown fields
// and unknown statuses, because Workato adds fields and states without notice.
import { z } from "zod";

// Workato's error field has been seen as text, as null, and (in other endpoints) as an object with a
// message; the bot only ever shows it as text.
const errorText = z
  .union([z.string(), z.null(), z.looseObject({ message: z.string().optional() })])
  .optional()
  .transform((error): string | null => {
    if (error === undefined || error === null) return null;
    if (typeof error === "string") return error;
    return error.message ?? JSON.stringify(error);
  });

const nullableString = z.string().nullable().optional();
const nullableNumber = z.number().nullable().optional();

export const jobSummarySchema = z.looseObject({
  id: z.string().min(1),
  /** "succeeded" | "failed" | "pending" today; anything else passes through as text */
  status: z.string(),
  title: nullableString,
  started_at: nullableString,
  completed_at: nullableString,
  error: errorText,
  is_error: z.boolean().optional(),
  is_poll_error: z.boolean().optional(),
  recipe_id: nullableNumber,
  master_job_id: nullableString,
  calling_recipe_id: nullableNumber,
  calling_job_id: nullableString,
  root_recipe_id: nullableNumber,
  root_job_id: nullableString,
});
export type JobSummary = z.infer<typeof jobSummarySchema>;

export const jobListSchema = z.looseObject({
  job_succeeded_count: z.number().int().nonnegative(),
  job_failed_count: z.number().int().nonnegative(),
  job_count: z.number().int().nonnegative(),
  job_scope_count: z.number().int().nonnegative().optional(),
  items: z.array(jobSummarySchema),
});
export type JobList = z.infer<typeof jobListSchema>;

const lineStatSchema = z.looseObject({ total: z.number().nonnegative() });

export const jobLineSchema = z.looseObject({
  recipe_line_number: z.number().int(),
  adapter_name: nullableString,
  adapter_operation: nullableString,
  // Step data can hold customer data: kept for the private "Show step data" view, never posted to a channel.
  input: z.unknown(),
  output: z.unknown(),
  mask_data: z.boolean().optional(),
  line_stat: lineStatSchema.nullable().optional(),
});
export type JobLine = z.infer<typeof jobLineSchema>;

export const jobDetailsSchema = jobSummarySchema.extend({
  handle: nullableString,
  lines: z
    .array(jobLineSchema)
    .nullable()
    .optional()
    .transform((lines) => lines ?? []),
  is_repeat: z.boolean().optional(),
  is_test: z.boolean().optional(),
  is_test_case_job: z.boolean().optional(),
  master_job_handle: nullableString,
  calling_job_handle: nullableString,
});
export type JobDetails = z.infer<typeof jobDetailsSchema>;

// A per-job repeat error is documented as {type_id, message} but has been seen as a bare string.
const repeatErrorSchema = z
  .union([z.string(), z.looseObject({ type_id: z.string().optional(), message: z.string().optional() })])
  .nullable()
  .optional()
  .transform((error): { typeId: string | null; message: string } | null => {
    if (error === undefined || error === null) return null;
    if (typeof error === "string") return { typeId: null, message: error };
    return { typeId: error.type_id ?? null, message: error.message ?? "" };
  });

export const repeatResponseSchema = z.looseObject({
  results: z.array(
    z.looseObject({
      requested_job_id: z.string(),
      /** "enqueued" | "failed" today */
      status: z.string(),
      job: z.looseObject({ id: z.string() }).nullable().optional(),
      error: repeatErrorSchema,
    }),
  ),
  summary: z
    .looseObject({
      total_requested: z.number().optional(),
      total_enqueued: z.number().optional(),
      total_failed: z.number().optional(),
    })
    .optional(),
});

const recipeSchema = z.looseObject({ id: z.number(), name: z.string() });

// Get recipe answers with the recipe itself or, on some accounts, wrapped as {result: [recipe]}.
export const recipeResponseSchema = z.union([
  recipeSchema.transform((recipe) => ({ id: recipe.id, name: recipe.name })),
  z
    .looseObject({ result: z.tuple([recipeSchema], recipeSchema) })
    .transform(({ result: [recipe] }) => ({ id: recipe.id, name: recipe.name })),
]);
export type Recipe = z.output<typeof recipeResponseSchema>;

// ── Around jobs: customers (managed users) and a customer's recipes ─────────────────────────────────────────

/** Lists come wrapped in `result` (the Embedded docs), in `items`, or bare: all three are accepted. */
function wrappedList<T extends z.ZodType>(item: T) {
  return z.union([
    z.array(item),
    z.looseObject({ result: z.array(item) }).transform(({ result }) => result),
    z.looseObject({ items: z.array(item) }).transform(({ items }) => items),
  ]);
}

export const customerSchema = z
  .looseObject({
    id: z.number().int().positive(),
    external_id: z
      .union([z.string(), z.number().transform(String)])
      .nullable()
      .optional(),
    name: z.string().nullable().optional(),
  })
  .transform((customer) => ({
    id: customer.id,
    externalId:
      customer.external_id === undefined || customer.external_id === "" ? null : customer.external_id,
    name: customer.name ?? "",
  }));
export type Customer = z.output<typeof customerSchema>;

export const customerListSchema = wrappedList(customerSchema);

// Get one customer answers `{result: customer}` in the docs' samples; a bare customer is accepted as well.
export const customerResponseSchema = z.union([
  z.looseObject({ result: customerSchema }).transform(({ result }) => result),
  customerSchema,
]);

export const recipeSummarySchema = z
  .looseObject({
    id: z.number().int().positive(),
    name: z.string(),
    running: z.boolean(),
    job_succeeded_count: nullableNumber,
    job_failed_count: nullableNumber,
    last_run_at: nullableString,
    stopped_at: nullableString,
    /** why Workato stopped it by itself, e.g. "trigger_errors_limit"; null when running or stopped by a person */
    stop_cause: nullableString,
    trigger_application: nullableString,
    folder_id: nullableNumber,
  })
  .transform((recipe) => ({
    id: recipe.id,
    name: recipe.name,
    running: recipe.running,
    jobSucceededCount: recipe.job_succeeded_count ?? 0,
    jobFailedCount: recipe.job_failed_count ?? 0,
    lastRunAt: recipe.last_run_at ?? null,
    stoppedAt: recipe.stopped_at ?? null,
    stopCause: recipe.stop_cause ?? null,
    triggerApplication: recipe.trigger_application ?? null,
    folderId: recipe.folder_id ?? null,
  }));
export type RecipeSummary = z.output<typeof recipeSummarySchema>;

export const recipeListSchema = wrappedList(recipeSummarySchema);

/** PUT …/start and …/stop answer {success: true}; a refusal comes as an error status with a message. */
export const recipeControlSchema = z.looseObject({ success: z.boolean(), message: z.string().optional() });

/** Workato's error answers carry {message}; some proxies answer HTML or nothing. */
export const errorBodySchema = z.looseObject({ message: z.string() });
