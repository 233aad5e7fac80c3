import { describe, expect, it } from "vitest";
import {
  buildJobDetailsMessage,
  type JobDetailsMessageInput,
} from "../../../src/slack/blocks/job-details-blocks.js";
import type { JobDetails, JobLine } from "../../../src/workato/schemas.js";
import { CUSTOMER, detailsSample, RECIPE_ID } from "./doc-samples.js";
import {
  buttonsLabelled,
  decodedValue,
  expectSlackAccepts,
  messageJson,
  mrkdwnTexts,
} from "./slack-checks.js";

function input(job: Partial<JobDetails> = {}): JobDetailsMessageInput {
  return {
    customer: CUSTOMER,
    recipeId: RECIPE_ID,
    recipeName: "Sync orders",
    job: { ...detailsSample, ...job },
  };
}

function failedDetails(error: string, overrides: Partial<JobDetails> = {}): JobDetailsMessageInput {
  return input({ status: "failed", is_error: true, error, ...overrides });
}

function step(lineNumber: number, seconds: number): JobLine {
  return {
    recipe_line_number: lineNumber,
    adapter_name: "salesforce",
    adapter_operation: "search_sobjects",
    input: { secret: "customer-input" },
    output: { secret: "customer-output" },
    line_stat: { total: seconds },
  };
}

describe("the job details", () => {
  it("shows the doc's sample: status, times, ids, flags and one row per step with its time", () => {
    const message = buildJobDetailsMessage(input());
    expectSlackAccepts(message);
    const json = messageJson(message);
    expect(json).toContain(":white_check_mark: API platform by Workato: new api request");
    expect(json).toContain("<!date^1693473911^{date_short_pretty} {time_secs}|2023-08-31 09:25 UTC>");
    expect(json).toContain("*Duration*\\n80 ms");
    expect(json).toContain("*Master job*\\n`j-AJMfQh8c-hsCXcs` (this job)");
    expect(json).toContain("*Calling job*\\n—");
    expect(json).toContain("*Is a repeat*\\nno");
    expect(json).toContain("*workato_api_platform* · receive_request — 13.5 ms");
    expect(json).toContain("*workato_api_platform* · return_response — 0.7 ms");
    expect(buttonsLabelled(message, "Repeat")).toEqual([]);
  });

  it("marks the slowest step", () => {
    const message = buildJobDetailsMessage(input());
    const slowestRow = messageJson(message)
      .split("\\n")
      .find((row) => row.includes("slowest"));
    expect(slowestRow).toContain("receive_request");
  });

  it("never shows step input or output, which can hold customer data", () => {
    const message = buildJobDetailsMessage(input());
    const json = messageJson(message);
    expect(json).not.toContain("calling_ip");
    expect(json).not.toContain('"API Client"');
    expect(json).not.toContain("API Client");
    expect(json).not.toContain("content_type");
    const withSecrets = messageJson(buildJobDetailsMessage(input({ lines: [step(0, 1), step(1, 2)] })));
    expect(withSecrets).not.toContain("customer-input");
    expect(withSecrets).not.toContain("customer-output");
  });

  it("shows the start of a 5,000-character error and says how much was cut", () => {
    const error = `Start of the error. ${"x".repeat(4980)}`;
    const message = buildJobDetailsMessage(failedDetails(error));
    expectSlackAccepts(message);
    const errorText = mrkdwnTexts(message).find((text) => text.startsWith("*Error*"));
    expect(errorText).toContain("```Start of the error. xxx");
    expect(errorText?.length).toBeLessThanOrEqual(3000);
    expect(errorText).toMatch(/_\(truncated, \d+ more characters\)_$/);
    const omitted = Number(errorText?.match(/truncated, (\d+) more/)?.[1]);
    const shown = errorText?.match(/```([^`]*)```/)?.[1] ?? "";
    expect(shown.length + omitted).toBe(error.length);
  });

  it("keeps an error from closing its code block or pinging the channel", () => {
    const message = buildJobDetailsMessage(failedDetails("bad ```*bold* <!channel> <@U999> & done"));
    expectSlackAccepts(message);
    const errorText = mrkdwnTexts(message).find((text) => text.startsWith("*Error*")) ?? "";
    expect(errorText.match(/```/g)).toHaveLength(2);
    expect(errorText).not.toContain("<!channel>");
    expect(errorText).not.toContain("<@U999>");
    expect(errorText).toContain("&lt;!channel&gt; &lt;@U999&gt; &amp; done");
    expect(mrkdwnTexts(message).join("\n")).not.toMatch(/<!channel>|<@U999>/);
  });

  it("offers to repeat a failed job's original, after a confirmation", () => {
    const message = buildJobDetailsMessage(
      failedDetails("boom", { id: "j-child", master_job_id: "j-original", is_repeat: true }),
    );
    expectSlackAccepts(message);
    const [repeat] = buttonsLabelled(message, "Repeat");
    expect(decodedValue(repeat)).toEqual({ c: "23456", r: RECIPE_ID, j: ["j-original"] });
    expect(repeat?.confirm).toMatchObject({ title: { text: "Repeat job j-original?" } });
    expect(messageJson(message)).toContain("*Is a repeat*\\nyes");
  });

  it("summarises 300 steps within Slack's limits and still names the slowest one", () => {
    const lines = Array.from({ length: 300 }, (_, index) => step(index, index === 250 ? 2.5 : 0.01));
    const message = buildJobDetailsMessage(failedDetails("x".repeat(5000), { lines }));
    expectSlackAccepts(message);
    const json = messageJson(message);
    expect(json).toContain("*Steps* (300)");
    const more = json.match(/… and (\d+) more steps/);
    expect(Number(more?.[1])).toBeGreaterThanOrEqual(250);
    expect(json).toMatch(/slowest: `250` \*salesforce\* · search_sobjects — 2\.5 s/);
  });

  it("stays within Slack's limits whatever sizes of text Workato sends", () => {
    for (const size of [0, 1, 80, 500, 3000, 10_000]) {
      const lines = Array.from({ length: size % 400 }, (_, index) => ({
        ...step(index, index / 1000),
        adapter_name: "&".repeat(size),
        adapter_operation: "<".repeat(size),
      }));
      const message = buildJobDetailsMessage({
        customer: CUSTOMER,
        recipeId: RECIPE_ID,
        recipeName: "&".repeat(size),
        job: {
          ...detailsSample,
          id: `j-${"&".repeat(size)}`,
          title: "<&>".repeat(size),
          status: size % 2 ? "failed" : `odd-${"&".repeat(size)}`,
          error: "&`<".repeat(size),
          master_job_id: `m-${"&".repeat(size)}`,
          calling_job_id: "&".repeat(size) || null,
          lines,
        },
      });
      expectSlackAccepts(message);
    }
  });

  it("shows an unknown status in words rather than guessing", () => {
    const message = buildJobDetailsMessage(input({ status: "paused" }));
    expectSlackAccepts(message);
    expect(messageJson(message)).toContain(":grey_question: paused");
  });

  it("offers no Repeat for a job Workato cannot repeat, and says why", () => {
    const message = buildJobDetailsMessage({
      ...failedDetails("Timeout"),
      handling: { kind: "cannot_repeat", why: "repeat_limit" },
    });
    expectSlackAccepts(message);
    expect(buttonsLabelled(message, /^Repeat/)).toEqual([]);
    expect(messageJson(message)).toContain(
      ":no_entry_sign: can't be repeated: repeated 100 times already, Workato's limit",
    );
  });
});
