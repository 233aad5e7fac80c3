// The Jobs API schemas accept the doc's samples verbatim and the variations Workato is known to send.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  jobDetailsSchema,
  jobListSchema,
  recipeResponseSchema,
  repeatResponseSchema,
} from "../../src/workato/schemas.js";

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../sim/doc-samples/${name}`, import.meta.url), "utf8"));
}

describe("Jobs API schemas", () => {
  it("parse the doc's list, details and repeat samples unchanged", () => {
    const list = jobListSchema.parse(fixture("list-jobs.json"));
    expect(list.items.map((job) => job.id)).toEqual(["j-AJMfQh8c-hsCXcs", "j-AJMfNar9-L96nTm"]);
    expect(list.job_succeeded_count).toBe(2);

    const details = jobDetailsSchema.parse(fixture("job-details.json"));
    expect(details.lines).toHaveLength(2);
    expect(details.lines[0]?.line_stat?.total).toBeCloseTo(0.0135, 4);
    expect(details.master_job_id).toBe("j-AJMfQh8c-hsCXcs");

    const repeat = repeatResponseSchema.parse(fixture("repeat-jobs.json"));
    expect(repeat.results.map((result) => result.error?.typeId ?? result.status)).toEqual([
      "enqueued",
      "err.item.not_found",
      "err.job.repeat.invalid_id",
      "err.job.repeat.trigger_data_unavailable.expired",
    ]);
  });

  it("keep an unknown job status as text and tolerate unknown fields", () => {
    const list = jobListSchema.parse({
      job_succeeded_count: 0,
      job_failed_count: 0,
      job_count: 1,
      items: [{ id: "j-1", status: "cancelled_by_admin", brand_new_field: { nested: true } }],
      another_new_field: 1,
    });
    expect(list.items[0]?.status).toBe("cancelled_by_admin");
  });

  it("accept a per-job repeat error given as a bare string", () => {
    const repeat = repeatResponseSchema.parse({
      results: [{ requested_job_id: "j-1", status: "failed", error: "Job is being repeated" }],
    });
    expect(repeat.results[0]?.error).toEqual({ typeId: null, message: "Job is being repeated" });
  });

  it("read a recipe's name from a bare object or from {result: [...]}", () => {
    expect(recipeResponseSchema.parse({ id: 7, name: "Orders", running: true })).toEqual({
      id: 7,
      name: "Orders",
    });
    expect(recipeResponseSchema.parse({ result: [{ id: 7, name: "Orders" }] })).toEqual({
      id: 7,
      name: "Orders",
    });
    expect(recipeResponseSchema.safeParse({ result: [] }).success).toBe(false);
  });

  it("reject a list whose items are not jobs", () => {
    expect(
      jobListSchema.safeParse({ job_succeeded_count: 0, job_failed_count: 0, job_count: 0, items: [{}] })
        .success,
    ).toBe(false);
  });
});
