// A recovery's progress message and result replies: a bar Slack draws as a bar, Stop only while something is left to
// send, and the legend's icons (enqueued is never a green tick).
import { describe, expect, it } from "vitest";
import { buildRecoveryProgress, progressBar } from "../../../src/slack/blocks/recovery-blocks.js";
import { buildResultsReply } from "../../../src/slack/blocks/recovery-result-blocks.js";
import { customerRef } from "../../support/customer.js";
import { buttonsLabelled, expectSlackAccepts, messageJson } from "./slack-checks.js";

const scope = {
  customer: customerRef("23456"),
  recipeId: 28904,
  recipeName: "Orders",
  since: null,
  repeatId: 7,
  userId: "U0ALICE",
  etaMs: 4000,
};
/** half of 100 jobs sent, all enqueued, still running */
const halfway = { ...scope, total: 100, enqueued: 50, failed: 0, unknown: 0, state: "running" as const };

describe("a recovery's progress", () => {
  it("draws the bar in squares, never inline code (Slack colours code red), full only when all are sent", () => {
    expect(progressBar(0, 200)).toBe(`${":white_large_square:".repeat(10)} *0%*`);
    expect(progressBar(199, 200)).toBe(`${":large_green_square:".repeat(9)}${":white_large_square:"} *99%*`);
    expect(progressBar(200, 200)).toBe(`${":large_green_square:".repeat(10)} *100%*`);
    expect(progressBar(200, 200)).not.toContain("`");
  });

  it("offers Stop while jobs are left to send, and not once every job was sent", () => {
    const midway = buildRecoveryProgress(halfway);
    expectSlackAccepts(midway);
    expect(buttonsLabelled(midway, "Stop")).toHaveLength(1);
    const allSent = buildRecoveryProgress({
      ...scope,
      total: 100,
      enqueued: 99,
      failed: 1,
      unknown: 0,
      state: "running",
    });
    expect(buttonsLabelled(allSent, "Stop")).toEqual([]);
    expect(messageJson(allSent)).toContain("every request sent; the summary follows");
  });

  it("says it is paused while the bot cannot reach its database, instead of an ETA", () => {
    const paused = buildRecoveryProgress({ ...halfway, etaMs: 60_000, paused: true });
    expectSlackAccepts(paused);
    expect(messageJson(paused)).toContain(
      "⏸ paused: the bot can't reach its database; it carries on by itself",
    );
    expect(messageJson(paused)).not.toContain("about ");
  });

  it("says who stopped it and how many were not sent", () => {
    const stopped = buildRecoveryProgress({
      ...scope,
      total: 100,
      enqueued: 50,
      failed: 0,
      unknown: 0,
      state: "stopped",
      stoppedBy: "U0BOB",
      notSent: 50,
    });
    expect(buttonsLabelled(stopped, "Stop")).toEqual([]);
    expect(messageJson(stopped)).toContain(":octagonal_sign: Stopped by <@U0BOB>: 50 jobs not sent.");
  });
});

describe("a recovery's result replies", () => {
  it("mark enqueued jobs with the enqueued icon and tally them with the one tally line", () => {
    const { message } = buildResultsReply(
      [
        { jobId: "j-1", outcome: "enqueued", newJobId: "j-n1" },
        { jobId: "j-2", outcome: "failed", typeId: null, message: "Quota exceeded" },
      ],
      { firstNumber: 1, total: 2 },
    );
    const json = messageJson(message);
    expect(json).toContain(":outbox_tray: `j-1` → `j-n1`");
    expect(json).toContain(":outbox_tray: 1 enqueued · :no_entry_sign: 1 refused · :warning: 0 unknown");
    expect(json).not.toContain(":white_check_mark:");
    expect(message.text).toBe("Jobs 1–2 of 2: 1 enqueued, 1 refused, 0 unknown");
  });
});
