import { describe, expect, it } from "vitest";
import {
  ACTION_PATTERNS,
  ACTIONS,
  actionNameOf,
  createActionIds,
  decodeButtonValue,
  decodeListContext,
  encodeButtonValue,
  encodeListContext,
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

  it("tells the Details select from the Details buttons", () => {
    expect(ACTION_PATTERNS.detailsSelect.test("job_details_select:4")).toBe(true);
    expect(ACTION_PATTERNS.details.test("job_details_select:4")).toBe(false);
    expect(ACTION_PATTERNS.detailsSelect.test("job_details:4")).toBe(false);
    expect(actionNameOf("job_details_select:0")).toBe("detailsSelect");
    expect(createActionIds().next(ACTIONS.detailsSelect)).toBe("job_details_select:0");
  });
});

describe("the list context a Details select's block carries", () => {
  it("comes back exactly as it was sent, whatever characters the customer has", () => {
    for (const context of [
      { c: "23456", r: 28904 },
      { c: 'ext:acme/"eu"-1\\', r: 1 },
    ]) {
      const blockId = encodeListContext(context);
      expect(blockId?.length).toBeLessThanOrEqual(255);
      expect(decodeListContext(blockId)).toEqual(context);
    }
  });

  it("is left out when it would be longer than Slack's 255-character block_id", () => {
    const fits = { c: `ext:${"A".repeat(200)}`, r: 28904 };
    expect(decodeListContext(encodeListContext(fits))).toEqual(fits);
    expect(encodeListContext({ c: `ext:${"A".repeat(250)}`, r: 28904 })).toBeNull();
  });

  it("is refused, never thrown on, when tampered with, malformed or made up by Slack", () => {
    for (const blockId of [
      undefined,
      42,
      "",
      "aB3xZ",
      "list:",
      "list:{not json",
      'list:{"c":"1","r":"5"}',
      'list:{"c":"","r":5}',
      'list:{"c":"1","r":5,"j":["j-1"]}',
      '{"c":"1","r":5}',
      `list:{"c":"${"A".repeat(260)}","r":5}`,
    ]) {
      expect(decodeListContext(blockId)).toBeNull();
    }
  });
});

describe("button values", () => {
  it("come back exactly as they were sent", () => {
    const value = { c: "ext:A2300", r: 28904, j: ["j-1"], o: "j-2", s: "failed" as const, rr: true };
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
