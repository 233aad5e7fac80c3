import { describe, expect, it } from "vitest";
import { blocksTextLength } from "../../../sim/fake-slack/block-kit-limits.js";
import { blockTextLength, packLines } from "../../../src/slack/blocks/limits.js";

describe("message text budget", () => {
  it("counts block text the way the fake Slack's independent validator does", () => {
    const blocks = [
      { type: "header", text: { type: "plain_text", text: "Title" } },
      {
        type: "section",
        text: { type: "mrkdwn", text: "body" },
        accessory: { type: "button", text: { type: "plain_text", text: "Go" }, value: "not counted" },
      },
    ];
    expect(blockTextLength(blocks)).toBe(11);
    expect(blockTextLength(blocks)).toBe(blocksTextLength(blocks));
  });
});

describe("packLines", () => {
  it("fills sections up to the section limit and stops at the total budget", () => {
    const lines = Array.from({ length: 100 }, () => "x".repeat(99));
    const packed = packLines(lines, { maxSections: 50, maxTotalText: 5000, maxSectionText: 1000 });
    expect(packed.texts.every((text) => text.length <= 1000)).toBe(true);
    expect(packed.texts.join("\n").length).toBeLessThanOrEqual(5000);
    expect(packed.shown).toBe(50);
  });

  it("stops before using more sections than allowed", () => {
    const packed = packLines(["a".repeat(900), "b".repeat(900), "c".repeat(900)], {
      maxSections: 2,
      maxTotalText: 10_000,
      maxSectionText: 1000,
    });
    expect(packed.texts).toHaveLength(2);
    expect(packed.shown).toBe(2);
  });
});
