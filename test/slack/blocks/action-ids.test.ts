import { describe, expect, it } from "vitest";
import {
  ACTION_PATTERNS,
  ACTIONS,
  actionNameOf,
  createActionIds,
  decodeButtonValue,
  encodeButtonValue,
  encodeWithJobIds,
} from "../../../src/slack/blocks/action-ids.js";

describe("action ids", () => {
  it("numbers each button so no two in a message share an action id", () => {
    const ids = createActionIds();
    expect([ids.next(ACTIONS.details), ids.next(ACTIONS.details), ids.next(ACTIONS.repeatOne)]).toEqual([
      "job_details:0",
      "job_details:1",
      "repeat_one:2",
    ]);
  });

  it("lets a handler match a button by its prefix, numbered or not, and nothing else", () => {
    expect(ACTION_PATTERNS.details.test("job_details:12")).toBe(true);
    expect(ACTION_PATTERNS.details.test("job_details")).toBe(true);
    expect(ACTION_PATTERNS.details.test("job_details:x")).toBe(false);
    expect(ACTION_PATTERNS.repeatOne.test("repeat_one_more:1")).toBe(false);
    expect(actionNameOf("repeat_failed:3")).toBe("repeatFailed");
    expect(actionNameOf("page_newer:0")).toBe("newer");
    expect(actionNameOf("something_else")).toBeNull();
  });
});

describe("button values", () => {
  it("come back exactly as they were sent", () => {
    const value = { c: "ext:A2300", r: 28904, j: ["j-1"], o: "j-2", n: true, s: "failed" as const, rr: true };
    expect(decodeButtonValue(encodeButtonValue(value))).toEqual(value);
  });

  it("are refused, never thrown on, when tampered with or malformed", () => {
    expect(decodeButtonValue("{not json")).toBeNull();
    expect(decodeButtonValue(undefined)).toBeNull();
    expect(decodeButtonValue("null")).toBeNull();
    expect(decodeButtonValue(JSON.stringify({ c: "1", r: "28904" }))).toBeNull();
    expect(decodeButtonValue(JSON.stringify({ c: "1", r: -5 }))).toBeNull();
    expect(decodeButtonValue(JSON.stringify({ c: "1", r: 1, s: "everything" }))).toBeNull();
    expect(decodeButtonValue(JSON.stringify({ c: "1", r: 1, j: [] }))).toBeNull();
    expect(decodeButtonValue(JSON.stringify({ c: "1", r: 1, j: ["x".repeat(2100)] }))).toBeNull();
  });

  it("carry as many job ids as fit in Slack's 2000 characters, and say how many", () => {
    const jobIds = Array.from({ length: 100 }, (_, index) => `j-${String(index).padStart(40, "0")}`);
    const { value, carried } = encodeWithJobIds({ c: "23456", r: 1 }, jobIds);
    expect(value.length).toBeLessThanOrEqual(2000);
    expect(carried).toBeGreaterThan(0);
    expect(carried).toBeLessThan(100);
    expect(decodeButtonValue(value)?.j).toEqual(jobIds.slice(0, carried));
  });
});
