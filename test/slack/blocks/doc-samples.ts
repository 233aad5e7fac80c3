// The Jobs API doc's samples parsed through the app's schemas, and hand-made jobs shaped like them.
import { readFileSync } from "node:fs";
import { type CustomerRef, parseCustomerRef } from "../../../src/workato/customer-ref.js";
import {
  type JobDetails,
  type JobList,
  type JobSummary,
  jobDetailsSchema,
  jobListSchema,
} from "../../../src/workato/schemas.js";

function readFixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../../sim/doc-samples/${name}`, import.meta.url), "utf8"));
}

export const listSample: JobList = jobListSchema.parse(readFixture("list-jobs.json"));
export const detailsSample: JobDetails = jobDetailsSchema.parse(readFixture("job-details.json"));

export function customer(text: string): CustomerRef {
  const parsed = parseCustomerRef(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.ref;
}

export const CUSTOMER = customer("23456");
export const RECIPE_ID = 28904;

/** A job like the doc's, started at `minutesAgo` before 2023-08-31 09:25 UTC. */
export function job(overrides: Partial<JobSummary> & { id: string }, minutesAgo = 0): JobSummary {
  const started = new Date(Date.UTC(2023, 7, 31, 9, 25, 11) - minutesAgo * 60_000);
  return {
    status: "succeeded",
    title: "API platform by Workato: new api request",
    started_at: started.toISOString(),
    completed_at: new Date(started.getTime() + 1500).toISOString(),
    error: null,
    is_error: false,
    is_poll_error: false,
    recipe_id: RECIPE_ID,
    master_job_id: overrides.id,
    calling_recipe_id: null,
    calling_job_id: null,
    root_recipe_id: null,
    root_job_id: null,
    ...overrides,
  };
}

export function failedJob(overrides: Partial<JobSummary> & { id: string }, minutesAgo = 0): JobSummary {
  return job(
    { status: "failed", is_error: true, error: "Request failed: 500 Internal Server Error", ...overrides },
    minutesAgo,
  );
}

export function listOf(items: JobSummary[]): JobList {
  const failed = items.filter((item) => item.status === "failed").length;
  const succeeded = items.filter((item) => item.status === "succeeded").length;
  return {
    job_succeeded_count: succeeded,
    job_failed_count: failed,
    job_count: items.length,
    job_scope_count: items.length,
    items,
  };
}
