// The rule that decides what a failed job's repeats mean, including the jobs Workato will never repeat.
import { describe, expect, it } from "vitest";
import {
  cannotRepeatWhyOf,
  handlingOf,
  type KnownRepeat,
  selectForRepeat,
} from "../../src/lineage/lineage.js";

function failedRepeat(index: number): KnownRepeat {
  return {
    newJobId: `j-r${index}`,
    state: "failed",
    startedAt: index,
    completedAt: index + 1,
    error: "Timeout",
    requestedBy: null,
  };
}

describe("what a job's repeats mean", () => {
  it("calls a job whose 100 repeats all failed one that can't be repeated, not one to repeat again", () => {
    const ninetyNine = { masterJobId: "j-1", repeats: Array.from({ length: 99 }, (_, i) => failedRepeat(i)) };
    expect(handlingOf(ninetyNine).kind).toBe("failed_again");
    const hundred = { masterJobId: "j-1", repeats: Array.from({ length: 100 }, (_, i) => failedRepeat(i)) };
    expect(handlingOf(hundred)).toEqual({ kind: "cannot_repeat", why: "repeat_limit" });
  });

  it("lets a repeat that succeeded or runs say more than Workato's refusal", () => {
    const succeeded = { ...failedRepeat(1), state: "succeeded" as const };
    expect(handlingOf({ masterJobId: "j-1", repeats: [succeeded] }, "past_retention").kind).toBe("succeeded");
    expect(handlingOf(undefined, "past_retention")).toEqual({ kind: "cannot_repeat", why: "past_retention" });
  });

  it("reads Workato's refusals for good, and leaves a passing one (job not found) open", () => {
    expect(cannotRepeatWhyOf("err.job.repeat.trigger_data_unavailable.expired", "")).toBe("past_retention");
    expect(cannotRepeatWhyOf("err.job.repeat.invalid_id", "Non-master job handle specified")).toBe(
      "not_master",
    );
    expect(cannotRepeatWhyOf(null, "Job j-1 has been repeated the maximum number of times (100)")).toBe(
      "repeat_limit",
    );
    expect(cannotRepeatWhyOf("err.item.not_found", "Job not found")).toBeNull();
  });

  it("never sends a job Workato cannot repeat, even with again", () => {
    const selection = selectForRepeat(
      ["j-1", "j-2"],
      (id) => (id === "j-1" ? { kind: "cannot_repeat", why: "not_master" } : { kind: "never_repeated" }),
      { again: true },
    );
    expect(selection.send).toEqual(["j-2"]);
    expect(selection.includedAgain).toEqual([]);
    expect(selection.leftOut.cannotRepeat).toEqual([{ jobId: "j-1", why: "not_master" }]);
  });
});
