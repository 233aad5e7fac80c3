// The /workato-jobs grammar: what people type becomes a typed command, or a problem plus the usage line.
import { describe, expect, it } from "vitest";
import { parseCommand, USAGE } from "../../src/slack/command-parser.js";

describe("parseCommand", () => {
  it("reads list with its optional status and reruns, in any order and case", () => {
    const parsed = parseCommand("  LIST ext:acme/eu-1 28904 reruns Failed ");
    expect(parsed.ok && parsed.command).toMatchObject({
      kind: "list",
      customer: { display: "ext:acme/eu-1", pathSegment: "Eacme%2Feu-1" },
      recipeId: 28904,
      status: "failed",
      rerunOnly: true,
    });
  });

  it("reads show and repeat, dropping repeated ids and accepting commas", () => {
    expect(parseCommand("show 23456 28904 j-AJMfQh8c-hsCXcs")).toMatchObject({
      ok: true,
      command: { kind: "show", jobId: "j-AJMfQh8c-hsCXcs" },
    });
    const repeat = parseCommand("repeat 23456 28904 j-a1,j-b2 j-a1");
    expect(repeat.ok && repeat.command.kind === "repeat" && repeat.command.jobIds).toEqual(["j-a1", "j-b2"]);
  });

  it("treats an empty command as help", () => {
    expect(parseCommand("")).toEqual({ ok: true, command: { kind: "help" } });
  });

  it("reads an external id Slack sent escaped", () => {
    const parsed = parseCommand("list ext:R&amp;D 28904");
    expect(parsed.ok && parsed.command.kind === "list" && parsed.command.customer.pathSegment).toBe("ER%26D");
  });

  it.each([
    ["list 23456 28904 failed succeeded", USAGE.list],
    ["show 23456 28904", USAGE.show],
    ["show 23456 28904 j-a j-b", USAGE.show],
    ["show 23456 28904 ../../etc", USAGE.show],
    ["repeat 23456 0 j-a", USAGE.repeat],
    ["repeat <@U123> 28904 j-a", USAGE.repeat],
    ["list 23456 1e5", USAGE.list],
    ["deploy", USAGE.help],
    [`list ${"9".repeat(5000)}`, USAGE.help],
  ])("refuses %j with the right usage line", (text, usage) => {
    const parsed = parseCommand(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.usage).toBe(usage);
      expect(parsed.problem.length).toBeLessThan(300);
    }
  });
});
