import type { KnownBlock } from "@slack/types";
import { describe, expect, it } from "vitest";
import { buildJobListMessage } from "../../../src/slack/blocks/job-list-blocks.js";
import {
  buildRepeatBatchReply,
  buildRepeatRequestedNote,
  buildRepeatStartedMessage,
  buildRepeatSummary,
  describeRepeatFailure,
  markRepeatRequested,
} from "../../../src/slack/blocks/repeat-blocks.js";
import type { JobRepeatResult } from "../../../src/workato/client.js";
import { CUSTOMER, customer, failedJob, listOf, RECIPE_ID } from "./doc-samples.js";
import {
  buttonsLabelled,
  buttonsOf,
  expectSlackAccepts,
  messageJson,
  mrkdwnTexts,
  selectsOf,
} from "./slack-checks.js";

const AT = new Date("2023-08-31T09:30:00.000Z");

function manyResults(count: number): JobRepeatResult[] {
  return Array.from({ length: count }, (_, index): JobRepeatResult => {
    const jobId = `j-${String(index).padStart(6, "0")}-ABCDEFGH`;
    if (index % 3 === 0) return { jobId, outcome: "enqueued", newJobId: `j-new-${index}` };
    if (index % 3 === 1) {
      return {
        jobId,
        outcome: "failed",
        typeId: index % 2 ? "err.item.not_found" : `err.custom.${index}`,
        message: `Something odd about ${jobId}`,
      };
    }
    return { jobId, outcome: "unknown", message: "the request may or may not have been processed (timeout)" };
  });
}

describe("the repeat thread", () => {
  it("opens with who is repeating how many jobs of which recipe for which customer", () => {
    const message = buildRepeatStartedMessage({
      userId: "U0123ABC",
      count: 42,
      recipeName: null,
      recipeId: RECIPE_ID,
      customer: customer("ext:A2300"),
    });
    expectSlackAccepts(message);
    expect(message.text).toBe("<@U0123ABC> is repeating 42 jobs of Recipe 28904 for ext:A2300");
  });

  it("replies per request with each job's new id, plain reasons for refusals and a clear flag on unknowns", () => {
    const message = buildRepeatBatchReply({
      batchNumber: 2,
      results: [
        { jobId: "j-AJTAt8w6-wdAgWM", outcome: "enqueued", newJobId: "j-DN1pT7hv-zgFLZP" },
        {
          jobId: "j-BK9nR5ft-xeAEXN",
          outcome: "failed",
          typeId: "err.item.not_found",
          message: "Job not found",
        },
        {
          jobId: "j-AOidEfa9-4MdaTF",
          outcome: "unknown",
          message: "Workato's answer did not mention this job",
        },
      ],
    });
    expectSlackAccepts(message);
    const json = messageJson(message);
    expect(json).toContain(
      "*Request 2:* :outbox_tray: 1 enqueued · :no_entry_sign: 1 refused · :warning: 1 unknown",
    );
    // Enqueued is not succeeded: a green tick would read as "fixed" while the new job still runs.
    expect(json).toContain(":outbox_tray: `j-AJTAt8w6-wdAgWM` → `j-DN1pT7hv-zgFLZP`");
    expect(json).not.toContain(":white_check_mark:");
    expect(json).toContain("`j-BK9nR5ft-xeAEXN` — job not found (wrong id, or another recipe/customer)");
    expect(json).toContain("`j-AOidEfa9-4MdaTF` — *outcome unknown*: Workato may or may not have run it");
  });

  it("fits a full request of 25 results, and even 1,000, within Slack's limits", () => {
    expectSlackAccepts(buildRepeatBatchReply({ batchNumber: 1, results: manyResults(25) }));
    const huge = buildRepeatBatchReply({ batchNumber: 1, results: manyResults(1000) });
    expectSlackAccepts(huge);
    expect(messageJson(huge)).toMatch(/… and \d+ more jobs; the summary counts them all/);
  });

  it("sums up 1,000 results within limits, grouping refusals by reason and listing the unknown jobs", () => {
    const results = manyResults(1000);
    const message = buildRepeatSummary({ results, userId: "U0123ABC" });
    expectSlackAccepts(message);
    const json = messageJson(message);
    expect(json).toContain(
      ":outbox_tray: 334 enqueued · :no_entry_sign: 333 refused · :warning: 333 unknown",
    );
    expect(message.text).toBe(
      "Requests sent: 334 enqueued, outcomes pending (334 enqueued, 333 refused, 333 unknown)",
    );
    const notFound = results.filter(
      (r) => r.outcome === "failed" && r.typeId === "err.item.not_found",
    ).length;
    expect(json).toContain(
      `:no_entry_sign: *${notFound}* × job not found (wrong id, or another recipe/customer)`,
    );
    expect(json).toMatch(/… and \d+ other reasons \(\d+ jobs\)/);
    expect(json).toContain(
      "Workato may or may not have run these; check the recipe's jobs before repeating them again.",
    );
    expect(json).toContain("`j-000002-ABCDEFGH`");
    expect(json).toMatch(/… and \d+ more/);
  });

  it("stays within limits when Workato gives many long, different reasons", () => {
    const results = Array.from(
      { length: 300 },
      (_, index): JobRepeatResult => ({
        jobId: `j-${index}-${"Z".repeat(40)}`,
        outcome: "failed",
        typeId: null,
        message: `Reason ${index % 30} ${"<&> ".repeat(100)}`,
      }),
    );
    const message = buildRepeatSummary({ results, userId: "U0123ABC" });
    expectSlackAccepts(message);
    expect(messageJson(message)).toContain("… and 20 other reasons (200 jobs)");
  });

  it("heads the summary with what is known: requests sent and outcomes pending, never finished", () => {
    const message = buildRepeatSummary({
      results: [{ jobId: "j-1", outcome: "enqueued", newJobId: "j-2" }],
      userId: "U0123ABC",
    });
    expectSlackAccepts(message);
    expect(message.text).toMatch(/^Requests sent: 1 enqueued, outcomes pending/);
    expect(messageJson(message)).toContain("this message is updated as they finish");
    expect(messageJson(message)).not.toMatch(/finished|:white_check_mark:/i);
  });

  it("says nothing was repeated when Workato enqueued none, unless it may have run some", () => {
    const message = buildRepeatSummary({
      results: [{ jobId: "j-1", outcome: "failed", typeId: null, message: "Quota exceeded" }],
      userId: "U0123ABC",
    });
    expect(message.text).toBe("Requests sent: none enqueued (0 enqueued, 1 refused, 0 unknown)");
    expect(messageJson(message)).toContain("Nothing was repeated.");
    expect(messageJson(message)).not.toContain("outcomes pending");
    const unknown = buildRepeatSummary({
      results: [{ jobId: "j-1", outcome: "unknown", message: "timeout" }],
      userId: "U0123ABC",
    });
    expect(messageJson(unknown)).toContain("Workato may or may not have run these");
    expect(messageJson(unknown)).not.toContain("Nothing was repeated");
  });

  it("keeps who stopped a recovery and how many were not sent, whatever the outcomes say", () => {
    const message = buildRepeatSummary({
      results: [{ jobId: "j-1", outcome: "enqueued", newJobId: "j-2" }],
      userId: "U0123ABC",
      stop: { stoppedBy: "U0BOB", notSent: 40 },
      outcomes: { counts: { succeeded: 1, failed: 0, running: 0, total: 1 }, state: "settled" },
    });
    const json = messageJson(message);
    expect(json).toContain("*Finished:* :white_check_mark: 1 succeeded · :x: 0 failed again");
    expect(json).toContain(":octagonal_sign: *Stopped* by <@U0BOB>: 40 jobs not sent.");
    expect(message.text).toContain("stopped, 40 not sent");
  });
});

describe("describeRepeatFailure", () => {
  it("explains Workato's known refusals in plain words", () => {
    expect(describeRepeatFailure("err.item.not_found", "Job not found")).toBe(
      "job not found (wrong id, or another recipe/customer)",
    );
    expect(describeRepeatFailure("err.job.repeat.invalid_id", "Non-master job handle specified: j-1")).toBe(
      "not a master job — repeat the original job instead",
    );
    expect(describeRepeatFailure("err.job.repeat.trigger_data_unavailable.expired", "erased")).toBe(
      "trigger data erased by the retention policy; it can no longer be repeated",
    );
  });

  it("passes anything else on as Workato's own words, shortened and escaped", () => {
    expect(describeRepeatFailure("err.new.thing", "Quota <!channel> exceeded")).toBe(
      "Workato refused: Quota &lt;!channel&gt; exceeded",
    );
    expect(describeRepeatFailure(null, "x".repeat(500)).length).toBeLessThanOrEqual(
      "Workato refused: ".length + 200,
    );
    expect(describeRepeatFailure(null, "  ")).toBe("Workato refused without a reason");
  });
});

describe("once a repeat was requested", () => {
  const jobs = [
    failedJob({ id: "j-a" }, 1),
    failedJob({ id: "j-a-again", master_job_id: "j-a" }, 2),
    failedJob({ id: "j-b" }, 3),
  ];
  const list = buildJobListMessage({
    customer: CUSTOMER,
    recipeId: RECIPE_ID,
    recipeName: "Sync orders",
    list: listOf(jobs),
    filter: {},
    paging: { offsetJobId: "j-z" },
  });
  const note = buildRepeatRequestedNote({ userId: "U0123ABC", at: AT });

  it("notes who asked and when", () => {
    expect(note).toEqual({
      type: "context",
      elements: [
        {
          type: "mrkdwn",
          text: ":repeat: Repeat requested by <@U0123ABC> at <!date^1693474200^{date_short_pretty} {time_secs}|2023-08-31 09:30 UTC>",
        },
      ],
    });
  });

  it("leaves no button that would repeat the same job again after a single Repeat", () => {
    const clicked = buttonsLabelled(list, "Repeat")[0];
    const blocks = markRepeatRequested(list.blocks, clicked?.actionId ?? "", note);
    const updated = { text: list.text, blocks };
    expectSlackAccepts(updated);
    const remaining = buttonsOf(updated).map((button) => button.text);
    // j-a's own button, the button on its repeat (same original) and "Repeat 2 failed" (includes j-a) are gone.
    expect(remaining).toEqual(["Details", "Details", "Details", "Repeat", "Newer", "Older"]);
    expect(blocks.at(-1)).toEqual(note);
    expect(
      blocks.filter((block) => block.type === "actions").every((block) => block.elements.length > 0),
    ).toBe(true);
  });

  it("removes every repeat button after Repeat N failed, keeping Details and paging", () => {
    const clicked = buttonsLabelled(list, /^Repeat \d+ failed$/)[0];
    const blocks = markRepeatRequested(list.blocks, clicked?.actionId ?? "", note);
    const updated = { text: list.text, blocks };
    expectSlackAccepts(updated);
    expect(buttonsOf(updated).map((button) => button.text)).toEqual([
      "Details",
      "Details",
      "Details",
      "Newer",
      "Older",
    ]);
    expect(blocks.length).toBe(list.blocks.length - 3 + 1);
  });

  it("keeps the Details select and the block that names its customer after Repeat N failed on a long page", () => {
    const many = Array.from({ length: 60 }, (_, index) =>
      failedJob({ id: `j-AJMf${String(index).padStart(4, "0")}-hsCXcs` }, index),
    );
    const compact = buildJobListMessage({
      customer: CUSTOMER,
      recipeId: RECIPE_ID,
      recipeName: "Sync orders",
      list: listOf(many),
      filter: {},
      paging: { offsetJobId: "j-z" },
    });
    const clicked = buttonsLabelled(compact, "Repeat 60 failed")[0];
    expect(clicked).toBeDefined();
    const blocks = markRepeatRequested(compact.blocks, clicked?.actionId ?? "", note);
    const updated = { text: compact.text, blocks };
    expectSlackAccepts(updated);
    expect(buttonsOf(updated).map((button) => button.text)).toEqual(["Newer", "Older"]);
    expect(selectsOf(updated)).toEqual(selectsOf(compact));
    expect(selectsOf(updated)[0]?.options).toHaveLength(60);
    expect(blocks.at(-1)).toEqual(note);
  });

  it("does not change the message it was given", () => {
    const before = JSON.stringify(list.blocks);
    markRepeatRequested(list.blocks, buttonsLabelled(list, "Repeat")[0]?.actionId ?? "", note);
    expect(JSON.stringify(list.blocks)).toBe(before);
  });

  it("drops the Repeat button of a job's details message once used", () => {
    const blocks: KnownBlock[] = [
      { type: "section", text: { type: "mrkdwn", text: "job" } },
      {
        type: "actions",
        elements: [
          {
            type: "button",
            action_id: "repeat_one:0",
            text: { type: "plain_text", text: "Repeat" },
            value: JSON.stringify({ c: "23456", r: 1, j: ["j-a"] }),
          },
        ],
      },
    ];
    const updated = markRepeatRequested(blocks, "repeat_one:0", note);
    expect(updated).toEqual([blocks[0], note]);
    expect(mrkdwnTexts({ text: "x", blocks: updated }).join()).toContain("Repeat requested by <@U0123ABC>");
  });
});
