// The one /workato-jobs grammar: what people type becomes a typed command, or a problem plus the usage line.
import { describe, expect, it } from "vitest";
import {
  type Command,
  isSubcommand,
  MAX_MENTIONS,
  parseCommand,
  SUBCOMMAND_NAMES,
  USAGE,
} from "../../../src/slack/commands/grammar.js";

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

const parsed = (text: string): Command => {
  const result = parseCommand(text);
  if (!result.ok) throw new Error(`expected ${text} to parse: ${JSON.stringify(result)}`);
  return result.command;
};
const problem = (text: string) => {
  const result = parseCommand(text);
  if (result.ok) throw new Error(`expected ${text} to be refused`);
  return result;
};

describe("the watch commands' grammar", () => {
  it("reads a watch with people and a user group to mention, as Slack escapes them, with or without labels", () => {
    const command = parsed(
      "watch ext:A2300 28904 <@U0BOB|bob> <!subteam^S0ONCALL|@oncall> <@W0CAROL> <@U0BOB>",
    );
    expect(command).toMatchObject({ kind: "watch", recipeId: 28904, customer: { display: "ext:A2300" } });
    expect(command.kind === "watch" && command.mentions).toEqual([
      "<@U0BOB>",
      "<!subteam^S0ONCALL>",
      "<@W0CAROL>",
    ]);
    expect(parsed("WATCH 23456 28904")).toMatchObject({ kind: "watch", mentions: [] });
    // A user group's label is its handle; a label with spaces still reads as one mention.
    expect(parsed("watch 23456 28904 <!subteam^S0ONCALL|on call team>")).toMatchObject({
      mentions: ["<!subteam^S0ONCALL>"],
    });
  });

  it("reads unwatch and watches, beside the other subcommands of the one grammar", () => {
    expect(parsed("unwatch 23456 28904")).toMatchObject({ kind: "unwatch", recipeId: 28904 });
    expect(parsed("watches")).toEqual({ kind: "watches" });
    expect(parsed("history")).toEqual({ kind: "history" });
    expect(parsed("list 23456 28904")).toMatchObject({ kind: "list", recipeId: 28904 });
  });

  it("reads the slash command's raw text as Slack sends it", () => {
    expect(parseCommand(" watch  23456 28904 <@U0BOB|bob>  &lt;@U0CAROL&gt; ")).toMatchObject({
      ok: true,
      command: { kind: "watch", mentions: ["<@U0BOB>", "<@U0CAROL>"] },
    });
    expect(parseCommand("help")).toEqual({ ok: true, command: { kind: "help" } });
    // Too long to be any command: refused before the subcommand is even read.
    expect(problem(`watch ${"x".repeat(5000)}`)).toMatchObject({ usage: USAGE.help });
  });

  it("reads an empty command as help, not as a watch command", () => {
    expect(parsed("list 23456 28904").kind).toBe("list");
    expect(parseCommand("")).toEqual({ ok: true, command: { kind: "help" } });
  });

  it("refuses what cannot be mentioned, saying why, with the usage line", () => {
    expect(problem("watch 23456 28904 <!channel>").problem).toMatch(/not @here, @channel or @everyone/);
    expect(problem("watch 23456 28904 <!here|here>").problem).toMatch(/not @here/);
    expect(problem("watch 23456 28904 <#C0OTHER|other>").problem).toMatch(/channel the watch is made in/);
    expect(problem("watch 23456 28904 @bob").problem).toMatch(/plain text, not as a mention/);
    expect(problem("watch 23456 28904 <@bob>").problem).toMatch(/not a person or user group/);
    expect(problem("watch 23456 28904 bob").usage).toBe(USAGE.watch);
    const many = Array.from({ length: MAX_MENTIONS + 1 }, (_, index) => `<@U0USER${index}>`).join(" ");
    expect(problem(`watch 23456 28904 ${many}`).problem).toMatch(/the most is 10/);
  });

  it("reads a runbook link as Slack sends it (escaped, labelled or plain), beside mentions, and runbook off", () => {
    expect(
      parsed("watch 23456 28904 <@U0BOB> runbook <https://wiki.example.com/rb?a=1&amp;b=2>"),
    ).toMatchObject({
      mentions: ["<@U0BOB>"],
      runbookUrl: "https://wiki.example.com/rb?a=1&b=2",
    });
    expect(parsed("watch 23456 28904 RUNBOOK <https://wiki.example.com/rb|wiki> <@U0BOB>")).toMatchObject({
      mentions: ["<@U0BOB>"],
      runbookUrl: "https://wiki.example.com/rb",
    });
    expect(parsed("watch 23456 28904 runbook http://intranet/rb")).toMatchObject({
      runbookUrl: "http://intranet/rb",
    });
    expect(parsed("watch 23456 28904 runbook off")).toMatchObject({ runbookUrl: null });
    // Without the word, the stored runbook stays as it is.
    expect(parsed("watch 23456 28904 <@U0BOB>")).not.toHaveProperty("runbookUrl");
  });

  it("refuses a runbook that is no web address, is missing, or is given twice", () => {
    expect(problem("watch 23456 28904 runbook").problem).toMatch(/needs the page's address/);
    expect(problem("watch 23456 28904 runbook javascript:alert(1)").problem).toMatch(/not a runbook address/);
    expect(problem("watch 23456 28904 runbook <mailto:ops@example.com>").problem).toMatch(/https:\/\//);
    expect(
      problem("watch 23456 28904 runbook https://a.example.com runbook https://b.example.com").problem,
    ).toMatch(/one runbook/);
    expect(problem(`watch 23456 28904 runbook https://x.example.com/${"a".repeat(3000)}`).problem).toMatch(
      /over 3000 characters/,
    );
  });

  it("reads a runbook beside escalation steps, wherever it stands", () => {
    expect(
      parsed("watch 23456 28904 <@U0BOB> runbook https://wiki.example.com/rb then <@U0SEC> after 15m"),
    ).toMatchObject({
      mentions: ["<@U0BOB>"],
      runbookUrl: "https://wiki.example.com/rb",
      escalation: [{ mentions: ["<@U0SEC>"], afterMs: 15 * 60_000 }],
    });
  });

  it("reads who an unanswered alert escalates to, and after how long, step by step", () => {
    expect(
      parsed(
        "watch 23456 28904 <@U0BOB|bob> then <!subteam^S0LEADS|leads> <@U0SEC> after 15m THEN <@U0CTO> after 2h",
      ),
    ).toMatchObject({
      kind: "watch",
      mentions: ["<@U0BOB>"],
      escalation: [
        { mentions: ["<!subteam^S0LEADS>", "<@U0SEC>"], afterMs: 15 * 60_000 },
        { mentions: ["<@U0CTO>"], afterMs: 2 * 3_600_000 },
      ],
    });
    expect(parsed("watch 23456 28904 <@U0BOB>")).toMatchObject({ escalation: [] });
    expect(problem("watch 23456 28904 <@U0BOB> then <@U0SEC>").problem).toMatch(/needs "after" and a time/);
    expect(problem("watch 23456 28904 <@U0BOB> then after 15m").problem).toMatch(/needs someone to call/);
    expect(problem("watch 23456 28904 then <@U0SEC> after 30s").problem).toMatch(/needs "after" and a time/);
    expect(problem("watch 23456 28904 then <@U0SEC> after 25h").problem).toMatch(
      /between 1 minute and 24 hours/,
    );
    expect(problem("watch 23456 28904 then <@U0SEC> after 1h then <@U0CTO> after 30m").problem).toMatch(
      /later than the one before/,
    );
    expect(problem("watch 23456 28904 then <@U0SEC> after 15m <@U0CTO>").problem).toMatch(
      /Nothing may follow/,
    );
  });

  it("refuses a bad customer, recipe or extra words", () => {
    expect(problem("watch acme 28904").problem).toMatch(/not a customer/);
    expect(problem("watch 23456").problem).toMatch(/Which recipe/);
    expect(problem("unwatch 23456 28904 <@U0BOB>").usage).toBe(USAGE.unwatch);
    expect(problem("watches 23456").usage).toBe(USAGE.watches);
  });
});

describe("digest", () => {
  it("reads a time (in the typer's own zone unless one is named), now, off, and nothing as asking how it stands", () => {
    expect(parsed("digest 9:00")).toEqual({
      kind: "digest",
      action: "set",
      timeOfDay: "09:00",
      timeZone: null,
    });
    expect(parsed("digest 17:30 europe/berlin")).toEqual({
      kind: "digest",
      action: "set",
      timeOfDay: "17:30",
      timeZone: "Europe/Berlin",
    });
    expect(parsed("digest OFF")).toEqual({ kind: "digest", action: "off" });
    expect(parsed("digest now")).toEqual({ kind: "digest", action: "now" });
    expect(parsed("digest")).toEqual({ kind: "digest", action: "show" });
  });

  it("refuses a time or zone it cannot read, with the digest usage", () => {
    expect(problem("digest 24:00").problem).toContain("is not a time");
    expect(problem("digest 9").problem).toContain("is not a time");
    expect(problem("digest 09:00 Mars/Olympus").problem).toContain("is not a time zone I know");
    expect(problem("digest 09:00 UTC extra").usage).toBe(USAGE.digest);
    expect(problem("digest off now").usage).toBe(USAGE.digest);
    expect(problem("digest now please").usage).toBe(USAGE.digest);
  });
});

describe("the table of subcommands", () => {
  it("gives every subcommand a usage line, in help order, and names them all when a word is not one", () => {
    expect(Object.keys(USAGE)).toEqual(SUBCOMMAND_NAMES);
    expect(SUBCOMMAND_NAMES).toEqual([
      "help",
      "list",
      "show",
      "repeat",
      "history",
      "watch",
      "unwatch",
      "watches",
      "recipes",
      "customers",
      "digest",
    ]);
    expect(problem("deploy").problem).toBe(
      '"deploy" is not a command. Use list, show, repeat, history, watch, unwatch, watches, recipes, customers, digest or help.',
    );
  });

  it("reads subcommand names in any case, and no name an object inherits", () => {
    expect(parsed("WATCHES")).toEqual({ kind: "watches" });
    expect(isSubcommand("Watch")).toBe(true);
    expect(isSubcommand("toString")).toBe(false);
    expect(problem("constructor").usage).toBe(USAGE.help);
  });
});
