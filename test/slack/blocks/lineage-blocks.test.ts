// What became of failed jobs, as lists, dialogs, confirmations, summaries and history show it.
import { describe, expect, it } from "vitest";
import type { Handling, KnownRepeat } from "../../../src/lineage/lineage.js";
import { buildHistoryMessage } from "../../../src/slack/blocks/history-blocks.js";
import { buildJobListMessage, type JobListMessageInput } from "../../../src/slack/blocks/job-list-blocks.js";
import { buildFailedAgainReply, buildStillRunningReply } from "../../../src/slack/blocks/outcome-blocks.js";
import { buildRecheckedMessage } from "../../../src/slack/blocks/recheck-blocks.js";
import { buildRepeatConfirmation, buildRepeatSummary } from "../../../src/slack/blocks/repeat-blocks.js";
import type { RepeatSummaryRow } from "../../../src/store/store.js";
import { CUSTOMER, failedJob, job, listOf, RECIPE_ID } from "./doc-samples.js";
import { buttonsLabelled, decodedValue, expectSlackAccepts, messageJson } from "./slack-checks.js";

/** The confirm dialog a button opens, as Slack shows it (plain text). */
function dialogOf(button: { confirm?: unknown } | undefined) {
  return button?.confirm as
    | { title: { text: string }; text: { text: string }; confirm: { text: string } }
    | undefined;
}

const AT = Date.UTC(2023, 7, 31, 17, 26);
const where = { customer: CUSTOMER, recipeId: RECIPE_ID, recipeName: "Sync orders" };

function repeat(overrides: Partial<KnownRepeat> = {}): KnownRepeat {
  return {
    newJobId: "j-new",
    state: "succeeded",
    startedAt: AT,
    completedAt: AT + 2000,
    error: null,
    requestedBy: { userId: "U0ALEX", at: AT },
    ...overrides,
  };
}

function listInput(jobs: JobListMessageInput["list"]["items"], handling: Record<string, Handling>) {
  return {
    ...where,
    list: listOf(jobs),
    filter: {},
    paging: {},
    handling: (id: string): Handling => handling[id] ?? { kind: "never_repeated" },
  };
}

describe("a list that knows what became of each failure", () => {
  const jobs = [
    failedJob({ id: "j-ok-again" }, 1),
    failedJob({ id: "j-running" }, 2),
    failedJob({ id: "j-failed-again" }, 3),
    failedJob({ id: "j-unknown" }, 4),
    failedJob({ id: "j-never" }, 5),
    failedJob({ id: "j-in-ui" }, 6),
  ];
  const handling: Record<string, Handling> = {
    "j-ok-again": { kind: "succeeded", latest: repeat({ newJobId: "j-r1" }), repeats: 1 },
    "j-running": { kind: "running", latest: repeat({ newJobId: "j-r2", state: "running" }), repeats: 1 },
    "j-failed-again": {
      kind: "failed_again",
      latest: repeat({ newJobId: "j-r3", state: "failed", error: "Still locked\nat line 2" }),
      repeats: 2,
    },
    "j-unknown": { kind: "unknown", reason: "repeat state unknown: 429" },
    "j-in-ui": { kind: "succeeded", latest: repeat({ newJobId: "j-r4", requestedBy: null }), repeats: 1 },
  };
  const message = buildJobListMessage(listInput(jobs, handling));

  it("shows the latest repeat under each failed job, and who made it", () => {
    expectSlackAccepts(message);
    const json = messageJson(message);
    expect(json).toContain(":repeat: repeated <!date^1693502760^");
    expect(json).toContain("by <@U0ALEX> → :white_check_mark: succeeded (`j-r1`)");
    expect(json).toContain(":hourglass_flowing_sand: repeat running (`j-r2`)");
    expect(json).toContain(":x: failed again (2 repeats)");
    expect(json).toContain("Still locked");
    expect(json).not.toContain("at line 2");
    expect(json).toContain(":grey_question: repeat state unknown");
    expect(json).toContain("repeated in Workato");
  });

  it("offers Repeat N failed for the never repeated and failed-again jobs only, saying what it left out", () => {
    const [repeatAll] = buttonsLabelled(message, /^Repeat \d+ failed$/);
    expect(repeatAll?.text).toBe("Repeat 2 failed");
    expect(decodedValue(repeatAll).j).toEqual(["j-failed-again", "j-never"]);
    expect(dialogOf(repeatAll)?.text.text).toContain(
      "Left out: 2 already repeated and succeeded, 1 repeat still running, 1 whose repeat state is unknown.",
    );
    // The heading's 6 failed add up beside the button.
    expect(messageJson(message)).toContain(
      "*6 failed* = 2 in *Repeat 2 failed* · 2 already repeated and succeeded · 1 repeat still running · 1 whose repeat state is unknown.",
    );
  });

  it("says Repeat again after a failed repeat, and offers no Repeat on a job whose repeat succeeded or runs", () => {
    const again = buttonsLabelled(message, "Repeat again");
    expect(again.map((button) => decodedValue(button).j)).toEqual([["j-failed-again"]]);
    expect(dialogOf(again[0])?.text.text).toContain("Its last repeat (j-r3) failed too.");

    const singles = buttonsLabelled(message, "Repeat");
    // Their lines say what became of them; only their details still offer a repeat, with a warning.
    expect(singles.map((button) => decodedValue(button).j?.[0])).not.toContain("j-ok-again");
    expect(singles.map((button) => decodedValue(button).j?.[0])).not.toContain("j-running");
    const unknown = singles.find((button) => decodedValue(button).j?.[0] === "j-unknown");
    expect(decodedValue(unknown).a).toBeUndefined();
    expect(dialogOf(unknown)?.text.text).toContain("I check again");
    const never = singles.find((button) => decodedValue(button).j?.[0] === "j-never");
    expect(decodedValue(never).a).toBeUndefined();
  });

  it("offers no Repeat N failed when every failure is handled, and says why", () => {
    const handled = buildJobListMessage(
      listInput([failedJob({ id: "j-ok-again" })], { "j-ok-again": handling["j-ok-again"] as Handling }),
    );
    expect(buttonsLabelled(handled, /^Repeat \d+ failed$/)).toEqual([]);
    expect(messageJson(handled)).toContain(
      "*1 failed* = 1 already repeated and succeeded: nothing here needs repeating.",
    );
  });

  it("says why a job Workato cannot repeat is left out, offers no Repeat for it, and counts every failure", () => {
    const list = buildJobListMessage(
      listInput(
        [
          failedJob({ id: "j-r9", master_job_id: "j-never" }, 1),
          failedJob({ id: "j-expired" }, 2),
          failedJob({ id: "j-never" }, 3),
        ],
        { "j-expired": { kind: "cannot_repeat", why: "past_retention" } },
      ),
    );
    expectSlackAccepts(list);
    const json = messageJson(list);
    expect(json).toContain(
      ":no_entry_sign: can't be repeated: past Workato's retention: its trigger data was erased",
    );
    const repeats = buttonsLabelled(list, /^Repeat/);
    for (const button of repeats) expect(decodedValue(button).j).not.toContain("j-expired");
    expect(buttonsLabelled(list, /^Repeat \d+ failed$/)[0]?.text).toBe("Repeat 1 failed");
    expect(json).toContain(
      "*3 failed* = 1 in *Repeat 1 failed* · 1 can't be repeated (past Workato's retention: its trigger data was erased) · 1 is a failed repeat of an original counted here.",
    );
  });

  it("counts pending jobs, and names the page it came from by time", () => {
    const list = { ...listOf([job({ id: "j-a" }), failedJob({ id: "j-b" })]), job_count: 3 };
    const paged = buildJobListMessage({
      ...where,
      list,
      filter: {},
      paging: { offsetJobId: "j-x", offsetStartedAt: AT, newer: false },
    });
    const json = messageJson(paged);
    expect(json).toContain(
      ":white_check_mark: 1 succeeded · :x: 1 failed · :hourglass_flowing_sand: 1 pending · 3 total",
    );
    expect(paged.text).toContain("1 succeeded, 1 failed, 1 pending, 3 total");
    expect(json).toContain("older than <!date^1693502760^");
    expect(json).not.toContain("older than `j-x`");
  });
});

describe("the typed repeat's confirmation", () => {
  const base = { token: "0".repeat(24), recipeName: "Sync orders", recipeId: RECIPE_ID, customer: CUSTOMER };

  it("lists handled jobs apart and leaves them out", () => {
    const message = buildRepeatConfirmation({
      ...base,
      jobIds: ["j-1"],
      leftOut: { succeeded: ["j-2"], running: ["j-3"], unknown: [], cannotRepeat: [], resolved: [] },
    });
    expectSlackAccepts(message);
    const json = messageJson(message);
    expect(message.text).toContain("Repeat 1 job");
    expect(json).toContain("*Left out:* 1 already repeated and succeeded, 1 repeat still running");
    expect(json).toContain("already repeated and succeeded: `j-2`");
    expect(json).toContain("repeat still running: `j-3`");
    expect(json).toContain("Add `again`");
  });

  it("says so when `again` includes them on purpose", () => {
    const message = buildRepeatConfirmation({ ...base, jobIds: ["j-1", "j-2"], includedAgain: ["j-2"] });
    const json = messageJson(message);
    expect(json).toContain("Repeated again on purpose");
    const [confirm] = buttonsLabelled(message, "Repeat 2 jobs");
    expect(dialogOf(confirm)?.text.text).toContain("1 of them were already repeated");
    expect(dialogOf(confirm)?.confirm.text).toBe("Repeat anyway");
  });

  it("offers nothing to confirm when every job was left out", () => {
    const message = buildRepeatConfirmation({
      ...base,
      jobIds: [],
      leftOut: { succeeded: [], running: [], unknown: ["j-1"], cannotRepeat: [], resolved: [] },
    });
    expect(message.text).toBe("Nothing to repeat: every job you named was left out.");
    expect(messageJson(message)).toContain("repeat state unknown: `j-1`");
    expect(buttonsLabelled(message, /Repeat/)).toEqual([]);
  });
});

describe("a click that found the list out of date", () => {
  it("says how many were left out and why, or that nothing was repeated", () => {
    const leftOut = {
      succeeded: ["j-1", "j-2", "j-3"],
      running: ["j-4"],
      unknown: [],
      cannotRepeat: [],
      resolved: [],
    };
    const fewer = buildRecheckedMessage({ asked: 10, sending: 6, leftOut });
    expect(fewer.text).toBe(
      "Repeating 6 jobs, not 10: checked again just now, 4 jobs were left out: 3 already repeated and succeeded, 1 repeat still running.",
    );
    const none = buildRecheckedMessage({ asked: 4, sending: 0, leftOut });
    expect(none.text).toContain("Nothing was repeated");
    expect(messageJson(none)).toContain("again");
  });

  it("says why a job Workato cannot repeat was left out, and offers no `again` for it", () => {
    const leftOut = {
      succeeded: [],
      running: [],
      unknown: [],
      cannotRepeat: [{ jobId: "j-old", why: "past_retention" as const }],
      resolved: [],
    };
    const none = buildRecheckedMessage({ asked: 1, sending: 0, leftOut });
    expect(none.text).toBe(
      "Nothing was repeated: checked again just now, the job was left out: 1 can't be repeated (past Workato's retention: its trigger data was erased).",
    );
    expect(messageJson(none)).toContain("j-old");
    expect(messageJson(none)).not.toContain("again`");
  });
});

describe("outcomes of a repeat", () => {
  const results = Array.from({ length: 10 }, (_, index) => ({
    outcome: "enqueued" as const,
    jobId: `j-${index}`,
    newJobId: `j-new-${index}`,
  }));

  it("edits the summary with the outcomes as they arrive, then when all have settled", () => {
    const following = buildRepeatSummary({
      results,
      userId: "U0ALEX",
      outcomes: { counts: { succeeded: 3, failed: 1, running: 6, total: 10 }, state: "following" },
    });
    expectSlackAccepts(following);
    expect(following.text).toMatch(/^Requests sent: 10 enqueued, 6 outcomes pending/);
    expect(messageJson(following)).toContain(
      "*So far:* :white_check_mark: 3 succeeded · :x: 1 failed again · :hourglass_flowing_sand: 6 running",
    );
    const settled = buildRepeatSummary({
      results,
      userId: "U0ALEX",
      outcomes: { counts: { succeeded: 8, failed: 2, running: 0, total: 10 }, state: "settled" },
    });
    expect(settled.text).toMatch(/^Finished: 8 succeeded, 2 failed again \(/);
    expect(messageJson(settled)).toContain("*Finished:* :white_check_mark: 8 succeeded · :x: 2 failed again");
    expect(messageJson(settled)).toContain("the 2 jobs that failed again are in this thread");
    const limit = buildRepeatSummary({
      results,
      userId: "U0ALEX",
      outcomes: {
        counts: { succeeded: 8, failed: 0, running: 2, total: 10 },
        state: "time_limit",
        limitMinutes: 60,
      },
    });
    expect(messageJson(limit)).toContain(
      "*Stopped following after 60 min:* :white_check_mark: 8 succeeded · :x: 0 failed again · :hourglass_flowing_sand: 2 running",
    );
    expect(messageJson(limit)).toContain("I stopped following 2 jobs still running");
  });

  it("posts jobs that failed again grouped by their error's first line, with Details and Repeat again", () => {
    const jobs = Array.from({ length: 30 }, (_, index) => ({
      masterJobId: `j-m${index}`,
      newJobId: `j-n${index}`,
      error: index % 3 === 0 ? "Timeout\n trace" : "Record locked",
      completedAt: AT,
    }));
    const message = buildFailedAgainReply({ where, jobs });
    expectSlackAccepts(message);
    const json = messageJson(message);
    expect(message.text).toBe("30 repeated jobs failed again");
    expect(json).toContain("*20* × Record locked");
    expect(json).toContain("*10* × Timeout");
    expect(json).not.toContain("trace");
    const again = buttonsLabelled(message, "Repeat again");
    expect(again).toHaveLength(10);
    expect(decodedValue(again[0]).j).toEqual(["j-m1"]);
    expect(decodedValue(buttonsLabelled(message, "Details")[0]).j).toEqual(["j-n1"]);
    expect(json).toContain("Also:");
    expect(buttonsLabelled(message, "Repeat 30 failed")).toHaveLength(1);
  });

  it("names the jobs still running at the time limit", () => {
    const message = buildStillRunningReply({
      jobs: [{ masterJobId: "j-1", newJobId: "j-n1" }],
      limitMinutes: 60,
    });
    expect(message.text).toBe("1 repeated job still running after 60 min");
    expect(messageJson(message)).toContain("`j-n1`");
  });

  it("shows outcomes in history, not just enqueued", () => {
    const row: RepeatSummaryRow = {
      repeat: {
        id: 1,
        userId: "U0ALEX",
        channel: "C1",
        threadTs: "1.1",
        customer: "23456",
        recipeId: RECIPE_ID,
        createdAt: AT,
        finishedAt: AT,
      },
      total: 10,
      enqueued: 10,
      failed: 0,
      unknown: 0,
      waiting: 0,
    };
    const outcomes = new Map([
      [
        1,
        {
          counts: { succeeded: 8, failed: 2, running: 0, total: 10 },
          finishedAt: AT,
          finishReason: "settled" as const,
        },
      ],
    ]);
    const message = buildHistoryMessage({ rows: [row], scope: "in this channel", outcomes });
    expect(messageJson(message)).toContain(
      ":outbox_tray: 10 enqueued · :no_entry_sign: 0 refused · :warning: 0 unknown → :white_check_mark: 8 succeeded · :x: 2 failed again",
    );
    const unfollowed = buildHistoryMessage({ rows: [row], scope: "in this channel" });
    expect(messageJson(unfollowed)).toContain(
      ":outbox_tray: 10 enqueued · :no_entry_sign: 0 refused · :warning: 0 unknown",
    );
  });
});
