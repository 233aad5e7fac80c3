// Hostile and random input to the command parser: never a crash, always a clear answer, never a path trick.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseCommand, USAGE } from "../../../src/slack/commands/grammar.js";

const USAGE_LINES = new Set<string>(Object.values(USAGE));
// What a customer path segment may look like once encoded: digits, or E + percent-encoded text.
const SAFE_SEGMENT = /^(\d+|E[A-Za-z0-9\-_.!~*'()%]+)$/;

const slackyWord = fc.oneof(
  fc.constantFrom(
    "list",
    "show",
    "repeat",
    "history",
    "help",
    "failed",
    "reruns",
    "<@U123ABC>",
    "<@U123ABC|alice>",
    "<!subteam^S0ONCALL|@oncall>",
    "<#C0GENERAL|general>",
    "<!channel>",
    "&lt;script&gt;",
    "../",
    "..%2F..%2F",
    "%2F",
    "ext:",
    "ext:../../admin",
    "ext:a/b?c#d",
    "23456",
    "28904",
    "j-AJMfQh8c-hsCXcs",
    "0",
    "-1",
    "1e9",
  ),
  fc.string({ maxLength: 30 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
);
const commandText = fc.array(slackyWord, { maxLength: 12 }).map((words) => words.join(" "));

function checkAnswer(text: string): void {
  const parsed = parseCommand(text);
  if (!parsed.ok) {
    expect(USAGE_LINES.has(parsed.usage)).toBe(true);
    expect(parsed.problem.length).toBeGreaterThan(0);
    expect(parsed.problem.length).toBeLessThan(400);
    return;
  }
  const command = parsed.command;
  if (command.kind === "help") return;
  if ("customer" in command && command.customer) {
    expect(command.customer.pathSegment).toMatch(SAFE_SEGMENT);
    expect(command.customer.pathSegment).not.toContain("/");
  }
  if (command.kind === "repeat") {
    expect(command.jobIds.length).toBeGreaterThan(0);
    expect(command.jobIds.length).toBeLessThanOrEqual(200);
    for (const jobId of command.jobIds) expect(jobId).toMatch(/^(j-[A-Za-z0-9_-]+|\d+)$/);
  }
}

describe("parseCommand under hostile input", () => {
  it("answers any mix of Slack escapes, path tricks and command words with a command or a usage line", () => {
    fc.assert(
      fc.property(commandText, (text) => checkAnswer(text)),
      { numRuns: 2000 },
    );
  });

  it("answers arbitrary unicode text, however long, without throwing", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 6000 }), (text) => checkAnswer(text)),
      { numRuns: 500 },
    );
  });

  it("keeps every external id a single encoded path segment", () => {
    fc.assert(
      // Words are split on whitespace and Slack's &-escapes are undone first, so ids here have neither.
      fc.property(
        fc.string({ unit: "binary", minLength: 1, maxLength: 80 }).filter((id) => !/[\s&]/u.test(id)),
        (id) => {
          const parsed = parseCommand(`list ext:${id} 28904`);
          if (parsed.ok && parsed.command.kind === "list") {
            expect(parsed.command.customer.pathSegment).toMatch(SAFE_SEGMENT);
            expect(decodeURIComponent(parsed.command.customer.pathSegment.slice(1))).toBe(id);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});
