import { describe, expect, it } from "vitest";
import {
  ACTION_PATTERNS,
  decodeButtonValue,
  decodeListContext,
} from "../../../src/slack/blocks/action-ids.js";
import { buildJobListMessage, type JobListMessageInput } from "../../../src/slack/blocks/job-list-blocks.js";
import { CUSTOMER, customer, failedJob, job, listOf, listSample, RECIPE_ID } from "./doc-samples.js";
import {
  buttonsLabelled,
  buttonsOf,
  decodedValue,
  expectSlackAccepts,
  messageJson,
  mrkdwnTexts,
  selectsOf,
} from "./slack-checks.js";

function input(overrides: Partial<JobListMessageInput> = {}): JobListMessageInput {
  return {
    customer: CUSTOMER,
    recipeId: RECIPE_ID,
    recipeName: "Sync orders",
    list: listSample,
    filter: {},
    paging: {},
    ...overrides,
  };
}

describe("the job list", () => {
  it("shows the doc's sample: both jobs, the counts and a Details button each, and no Repeat", () => {
    const message = buildJobListMessage(input());
    expectSlackAccepts(message);
    const json = messageJson(message);
    expect(json).toContain("Sync orders — 23456");
    expect(json).toContain(":white_check_mark: 2 succeeded · :x: 0 failed · 2 total");
    expect(json).toContain("j-AJMfQh8c-hsCXcs");
    expect(json).toContain("j-AJMfNar9-L96nTm");
    const details = buttonsLabelled(message, "Details");
    expect(details.map((button) => decodedValue(button))).toEqual([
      { c: "23456", r: RECIPE_ID, j: ["j-AJMfQh8c-hsCXcs"] },
      { c: "23456", r: RECIPE_ID, j: ["j-AJMfNar9-L96nTm"] },
    ]);
    expect(buttonsLabelled(message, /Repeat/)).toEqual([]);
    expect(message.text).toContain("2 succeeded, 0 failed, 2 total");
  });

  it("names the recipe by its id when the name could not be looked up", () => {
    const message = buildJobListMessage(input({ recipeName: null }));
    expect(messageJson(message)).toContain("Recipe 28904 — 23456");
  });

  it("shows a failed job's first error line and offers to repeat it after a confirmation", () => {
    const failed = failedJob({ id: "j-failed-1", error: "Salesforce said no\n  at line 3\n  at line 4" });
    const message = buildJobListMessage(input({ list: listOf([failed]) }));
    expectSlackAccepts(message);
    const json = messageJson(message);
    expect(json).toContain("Salesforce said no");
    expect(json).not.toContain("at line 3");
    const [repeat] = buttonsLabelled(message, "Repeat");
    // `t`: the job's start (s), so the click's re-check reads its repeats back to there and no further.
    expect(decodedValue(repeat)).toEqual({
      c: "23456",
      r: RECIPE_ID,
      j: ["j-failed-1"],
      t: Math.floor(Date.parse(failed.started_at ?? "") / 1000),
    });
    expect(repeat?.confirm).toMatchObject({
      title: { text: "Repeat job j-failed-1?" },
      confirm: { text: "Repeat" },
    });
  });

  it("gives Repeat N failed the oldest start of its jobs, and none when a job's original is not on the page", () => {
    const older = failedJob({ id: "j-older", started_at: "2026-03-01T02:00:00.000Z" });
    const newer = failedJob({ id: "j-newer", started_at: "2026-03-01T03:00:00.000Z" });
    const both = buildJobListMessage(input({ list: listOf([newer, older]) }));
    const [repeatBoth] = buttonsLabelled(both, "Repeat 2 failed");
    expect(decodedValue(repeatBoth).t).toBe(Date.parse("2026-03-01T02:00:00.000Z") / 1000);

    // A failed repeat stands for its original, whose start this page does not show: no bound is claimed.
    const child = failedJob({ id: "j-child", master_job_id: "j-original" });
    const withChild = buildJobListMessage(input({ list: listOf([newer, child]) }));
    const [repeatWithChild] = buttonsLabelled(withChild, "Repeat 2 failed");
    expect(decodedValue(repeatWithChild).t).toBeUndefined();
    expect(decodedValue(buttonsLabelled(withChild, "Repeat").at(-1)).t).toBeUndefined();
  });

  it("repeats the original job when a failed job is itself a repeat, and says so", () => {
    const repeatJob = failedJob({ id: "j-child", master_job_id: "j-original" });
    const message = buildJobListMessage(input({ list: listOf([repeatJob]) }));
    expect(messageJson(message)).toContain("(repeat of `j-original`)");
    expect(decodedValue(buttonsLabelled(message, "Repeat")[0]).j).toEqual(["j-original"]);
    expect(decodedValue(buttonsLabelled(message, "Details")[0]).j).toEqual(["j-child"]);
  });

  it("offers to repeat every failed job shown, counting each original job once", () => {
    const jobs = [
      failedJob({ id: "j-a" }, 1),
      failedJob({ id: "j-a-repeat", master_job_id: "j-a" }, 2),
      job({ id: "j-ok" }, 3),
      failedJob({ id: "j-b", master_job_id: null }, 4),
      failedJob({ id: "j-c" }, 5),
    ];
    const message = buildJobListMessage(input({ list: listOf(jobs) }));
    expectSlackAccepts(message);
    const [repeatAll] = buttonsLabelled(message, /^Repeat \d+ failed$/);
    expect(repeatAll?.text).toBe("Repeat 3 failed");
    expect(decodedValue(repeatAll).j).toEqual(["j-a", "j-b", "j-c"]);
    expect(repeatAll?.confirm).toMatchObject({
      title: { text: "Repeat 3 failed jobs?" },
      text: { text: "This runs the recipe again for 3 jobs of Sync orders for 23456." },
      confirm: { text: "Repeat" },
      deny: { text: "Cancel" },
    });
  });

  it("keeps 50 failed jobs with very long ids within limits, every button value decoding and under 2000 characters", () => {
    const longId = (index: number) => `j-${String(index).padStart(3, "0")}-${"x".repeat(250)}`;
    const jobs = Array.from({ length: 50 }, (_, index) =>
      failedJob({ id: longId(index), title: "t" }, index),
    );
    const message = buildJobListMessage(
      input({ list: listOf(jobs), customer: customer(`ext:${"A".repeat(200)}`) }),
    );
    expectSlackAccepts(message);
    for (const button of buttonsOf(message)) {
      expect(button.value?.length ?? 0).toBeLessThanOrEqual(2000);
      expect(decodeButtonValue(button.value)).not.toBeNull();
    }
    const [repeatAll] = buttonsLabelled(message, /^Repeat \d+ failed$/);
    const carried = decodedValue(repeatAll).j ?? [];
    expect(repeatAll?.text).toBe(`Repeat ${carried.length} failed`);
    const shownNote = messageJson(message).match(/Showing (\d+) of 50 jobs/);
    const shownFailed = shownNote ? Number(shownNote[1]) : 50;
    expect(carried.length).toBeLessThan(shownFailed);
    expect(messageJson(message)).toContain(
      `covers the first ${carried.length} of the ${shownFailed} failed jobs`,
    );
  });

  it("gives every button in a message its own action id", () => {
    const jobs = Array.from({ length: 30 }, (_, index) =>
      index % 2 ? failedJob({ id: `j-${index}` }, index) : job({ id: `j-${index}` }, index),
    );
    const message = buildJobListMessage(input({ list: listOf(jobs), paging: { offsetJobId: "j-x" } }));
    const actionIds = buttonsOf(message).map((button) => button.actionId);
    expect(new Set(actionIds).size).toBe(actionIds.length);
    expect(actionIds.filter((id) => ACTION_PATTERNS.details.test(id))).toHaveLength(
      buttonsLabelled(message, "Details").length,
    );
  });

  it("pages older and newer with the same filter, and has no Newer on the first page", () => {
    const jobs = [job({ id: "j-new" }, 1), job({ id: "j-old" }, 2)];
    const filter = { status: "succeeded" as const, rerunOnly: true };
    const first = buildJobListMessage(input({ list: { ...listOf(jobs), job_scope_count: 9 }, filter }));
    expect(buttonsLabelled(first, "Newer")).toEqual([]);
    expect(decodedValue(buttonsLabelled(first, "Older")[0])).toEqual({
      c: "23456",
      r: RECIPE_ID,
      o: "j-old",
      s: "succeeded",
      rr: true,
      // the paged-from job's start, so the next page can say "older than 9:23 AM"
      t: Date.parse(jobs[1]?.started_at ?? "") / 1000,
    });
    expect(messageJson(first)).toContain("filter: succeeded only, reruns only");

    const later = buildJobListMessage(
      input({ list: listOf(jobs), filter, paging: { offsetJobId: "j-older-page" } }),
    );
    expect(decodedValue(buttonsLabelled(later, "Newer")[0])).toEqual({
      c: "23456",
      r: RECIPE_ID,
      o: "j-new",
      s: "succeeded",
      rr: true,
      t: Date.parse(jobs[0]?.started_at ?? "") / 1000,
    });
    expect(buttonsLabelled(later, "Newer")[0]?.actionId).toMatch(ACTION_PATTERNS.newer);
    expect(buttonsLabelled(later, "Older")[0]?.actionId).toMatch(ACTION_PATTERNS.older);
  });

  it("offers no Older when the first page already shows every match, and says where the other failures are", () => {
    const jobs = [failedJob({ id: "j-a" }, 1), failedJob({ id: "j-b" }, 2)];
    const all = buildJobListMessage(input({ list: listOf(jobs), filter: { status: "failed" } }));
    expect(buttonsLabelled(all, "Older")).toEqual([]);
    expect(buttonsLabelled(all, "Repeat 2 failed")).toHaveLength(1);
    expect(messageJson(all)).not.toContain("not on this page");

    const more = { ...listOf(jobs), job_failed_count: 5, job_scope_count: 5 };
    const first = buildJobListMessage(input({ list: more, filter: { status: "failed" } }));
    expect(buttonsLabelled(first, "Older")).toHaveLength(1);
    expect(messageJson(first)).toContain(
      "*5 failed* = 2 in *Repeat 2 failed* · 3 not on this page (*Older*).",
    );
  });

  it("says no jobs match when the page is empty, without an Older button", () => {
    const empty = listOf([]);
    const first = buildJobListMessage(input({ list: empty, filter: { status: "failed" } }));
    expectSlackAccepts(first);
    expect(messageJson(first)).toContain("No jobs match (failed only)");
    expect(buttonsOf(first)).toEqual([]);

    const afterPaging = buildJobListMessage(input({ list: empty, paging: { offsetJobId: "j-oldest" } }));
    expectSlackAccepts(afterPaging);
    expect(buttonsLabelled(afterPaging, "Older")).toEqual([]);
    expect(decodedValue(buttonsLabelled(afterPaging, "Latest jobs")[0])).toEqual({
      c: "23456",
      r: RECIPE_ID,
    });
  });

  it("stays within Slack's limits whatever sizes of text Workato sends", () => {
    const sizes = [0, 1, 80, 500, 3000, 10_000];
    for (const [round, size] of sizes.entries()) {
      const jobs = Array.from({ length: 60 }, (_, index) => {
        const id = `j-${index}-${"&".repeat(index % 7 === 0 ? size : 5)}`;
        const fields = {
          id,
          title: "😀<&>".repeat(size / 4),
          error: "&".repeat(size),
          status: index % 5 ? "failed" : `odd-${"x".repeat(size)}`,
        };
        return failedJob({ ...fields, master_job_id: index % 2 ? `m-${"y".repeat(size)}` : null }, index);
      });
      const message = buildJobListMessage(
        input({
          recipeName: "&".repeat(size),
          list: listOf(jobs),
          filter: { status: "failed", rerunOnly: round % 2 === 0 },
          paging: { offsetJobId: "o".repeat(size + 1), newer: round % 2 === 1 },
        }),
      );
      expectSlackAccepts(message);
      for (const button of buttonsOf(message)) expect(decodeButtonValue(button.value)).not.toBeNull();
    }
  });

  it("shows names and errors from a customer's workspace without letting them ping anyone", () => {
    const failed = failedJob({ id: "j-1", title: "<!channel> title", error: "<!here> & <@U123>" });
    const message = buildJobListMessage(input({ recipeName: "<!everyone> recipe", list: listOf([failed]) }));
    expectSlackAccepts(message);
    const readAsMrkdwn = mrkdwnTexts(message).join("\n");
    expect(readAsMrkdwn).not.toMatch(/<!(channel|here|everyone)>|<@U123>/);
    expect(readAsMrkdwn).toContain("&lt;!here&gt; &amp; &lt;@U123&gt;");
    expect(readAsMrkdwn).toContain("&lt;!everyone&gt; recipe");
  });
});

const jobId = (index: number) => `j-AJMf${String(index).padStart(4, "0")}-hsCXcs`;
const SIM_ERROR = [
  "NetSuite: Upsert customer failed: 400 Bad Request",
  "INVALID_KEY_OR_REF: Invalid subsidiary reference key 7 for entity customer.",
].join("\n");

/** `count` failed jobs like the simulator's; every tenth is itself a repeat of an original not on the page. */
function failedPage(count: number) {
  return Array.from({ length: count }, (_, index) =>
    failedJob(
      {
        id: jobId(index),
        title: `New/updated Account in Salesforce: Acme Corp (00158000${String(index).padStart(7, "0")})`,
        error: SIM_ERROR,
        ...(index % 10 === 9 ? { master_job_id: `j-orig${String(index).padStart(4, "0")}-AbCdEf` } : {}),
      },
      index,
    ),
  );
}

describe("a page too long for a section and buttons per job", () => {
  it("lists 60 failed jobs a line each, and Repeat 60 failed covers every one of them", () => {
    const jobs = failedPage(60);
    // The recipe has older failures than this page.
    const list = { ...listOf(jobs), job_failed_count: 75, job_count: 75, job_scope_count: 75 };
    const message = buildJobListMessage(input({ list }));
    expectSlackAccepts(message);

    const readable = mrkdwnTexts(message).join("\n");
    for (const job of jobs) expect(readable).toContain(`\`${job.id}\``);
    expect(readable).toContain("NetSuite: Upsert");
    expect(readable).not.toContain("INVALID_KEY_OR_REF");
    expect(readable).toContain("(repeat of `j-orig0009-AbCdEf`)");
    expect(readable).not.toContain("Showing");

    const [repeatAll, ...otherRepeats] = buttonsLabelled(message, /^Repeat/);
    expect(otherRepeats).toEqual([]);
    expect(repeatAll?.text).toBe("Repeat 60 failed");
    expect(repeatAll?.actionId).toMatch(ACTION_PATTERNS.repeatFailed);
    expect(decodedValue(repeatAll)).toEqual({
      c: "23456",
      r: RECIPE_ID,
      j: jobs.map((job) => job.master_job_id ?? job.id),
    });
    expect(repeatAll?.confirm).toMatchObject({ title: { text: "Repeat 60 failed jobs?" } });
    expect(buttonsLabelled(message, "Details")).toEqual([]);
    expect(decodedValue(buttonsLabelled(message, "Older")[0]).o).toBe(jobId(59));
  });

  it("offers each job's details in one select whose options are the job ids and whose block names the customer and recipe", () => {
    const jobs = failedPage(60);
    const message = buildJobListMessage(input({ list: listOf(jobs) }));
    const [select, ...others] = selectsOf(message);
    expect(others).toEqual([]);
    expect(select?.placeholder).toBe("Details of a job…");
    expect(select?.actionId).toMatch(ACTION_PATTERNS.detailsSelect);
    expect(select?.actionId).not.toMatch(ACTION_PATTERNS.details);
    expect(select?.options.map((option) => option.value)).toEqual(jobs.map((job) => job.id));
    for (const [index, option] of (select?.options ?? []).entries()) {
      expect(option.text.startsWith(`✗ ${jobId(index)}`)).toBe(true);
      expect(option.text.length).toBeLessThanOrEqual(75);
    }
    expect(decodeListContext(select?.blockId)).toEqual({ c: "23456", r: RECIPE_ID });
  });

  it("keeps a page of 200 jobs with long titles and 5,000-character errors within Slack's limits and says how many it shows", () => {
    const jobs = Array.from({ length: 200 }, (_, index) =>
      index % 3 === 0
        ? job({ id: jobId(index), title: `Order ${index} ${"synced ".repeat(40)}` }, index)
        : failedJob(
            {
              id: jobId(index),
              title: `Order ${index} ${"failed to sync ".repeat(30)}`,
              error: `${"Timeout while calling the ERP ".repeat(170)}\nsecond line`,
            },
            index,
          ),
    );
    const message = buildJobListMessage(input({ list: listOf(jobs), paging: { offsetJobId: "j-before" } }));
    expectSlackAccepts(message);

    const shown = selectsOf(message)[0]?.options.map((option) => option.value) ?? [];
    expect(shown.length).toBeGreaterThan(20);
    expect(shown.length).toBeLessThan(200);
    expect(shown).toEqual(jobs.slice(0, shown.length).map((job) => job.id));
    expect(messageJson(message)).toContain(
      `Showing ${shown.length} of 200 jobs on this page — use *Older* to see more.`,
    );
    expect(decodedValue(buttonsLabelled(message, "Older")[0]).o).toBe(shown.at(-1));
    expect(decodedValue(buttonsLabelled(message, "Newer")[0]).o).toBe(jobId(0));
    const failedShown = jobs.slice(0, shown.length).filter((shownJob) => shownJob.status === "failed");
    const [repeatAll] = buttonsLabelled(message, /^Repeat \d+ failed$/);
    expect(decodedValue(repeatAll).j).toEqual(failedShown.map((failed) => failed.id));
    expect(mrkdwnTexts(message).join("\n")).not.toContain(jobId(shown.length));
  });

  it("still shows a page that fits with a section, a Details button and a Repeat button per job, and no select", () => {
    const jobs = [job({ id: jobId(0) }, 1), failedJob({ id: jobId(1) }, 2), job({ id: jobId(2) }, 3)];
    const message = buildJobListMessage(input({ list: listOf(jobs) }));
    expectSlackAccepts(message);
    expect(buttonsLabelled(message, "Details").map((button) => decodedValue(button).j)).toEqual(
      jobs.map((shownJob) => [shownJob.id]),
    );
    expect(buttonsLabelled(message, "Repeat")).toHaveLength(1);
    expect(selectsOf(message)).toEqual([]);
  });

  it("points to /workato-jobs show when the customer is too long to ride along with the select", () => {
    const longCustomer = customer(`ext:${"A".repeat(250)}`);
    const message = buildJobListMessage(input({ list: listOf(failedPage(60)), customer: longCustomer }));
    expectSlackAccepts(message);
    expect(selectsOf(message)).toEqual([]);
    expect(messageJson(message)).toContain("`/workato-jobs show <customer> 28904 <job_id>`");
    expect(buttonsLabelled(message, /^Repeat \d+ failed$/)).toHaveLength(1);
  });

  it("gives every button and the select their own action ids", () => {
    const jobs = Array.from({ length: 80 }, (_, index) =>
      index % 2 ? failedJob({ id: jobId(index) }, index) : job({ id: jobId(index) }, index),
    );
    const message = buildJobListMessage(input({ list: listOf(jobs), paging: { offsetJobId: "j-x" } }));
    expectSlackAccepts(message);
    const actionIds = [
      ...buttonsOf(message).map((button) => button.actionId),
      ...selectsOf(message).map((select) => select.actionId),
    ];
    expect(actionIds).toHaveLength(4);
    expect(new Set(actionIds).size).toBe(actionIds.length);
  });

  it("shows names and errors from a customer's workspace in its lines without letting them ping anyone", () => {
    const jobs = Array.from({ length: 60 }, (_, index) =>
      failedJob({ id: jobId(index), title: "<!channel> title", error: "<!here> & <@U123>" }, index),
    );
    const message = buildJobListMessage(input({ list: listOf(jobs) }));
    expectSlackAccepts(message);
    expect(selectsOf(message)).toHaveLength(1);
    const readAsMrkdwn = mrkdwnTexts(message).join("\n");
    expect(readAsMrkdwn).not.toMatch(/<!(channel|here|everyone)>|<@U123>/);
    expect(readAsMrkdwn).toContain("&lt;!here&gt; &amp; &lt;@U123&gt;");
  });
});
