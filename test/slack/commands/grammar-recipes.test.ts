// The grammar's recipes and customers subcommands, <customer> read by a resolver, and "did you mean".
import { describe, expect, it } from "vitest";
import type { ResolveCustomer } from "../../../src/customers/customer-lookup.js";
import { parseCommand } from "../../../src/slack/commands/grammar.js";
import { parseCustomerRef } from "../../../src/workato/customer-ref.js";

const byName: ResolveCustomer = (text) => {
  if (/^\d/.test(text)) return parseCustomerRef(text);
  return text === "globex" ? parseCustomerRef("40003") : { ok: false, message: `no ${text}`, byName: true };
};

describe("recipes and customers", () => {
  it("reads recipes with a customer and an optional filter", () => {
    expect(parseCommand("recipes 23456")).toMatchObject({
      ok: true,
      command: { kind: "recipes", customer: { display: "23456" } },
    });
    expect(parseCommand("RECIPES ext:A2300 Failing")).toMatchObject({
      ok: true,
      command: { filter: "failing" },
    });
    expect(parseCommand("recipes 23456 stopped")).toMatchObject({ ok: true, command: { filter: "stopped" } });
    expect(parseCommand("recipes 23456 broken")).toMatchObject({
      ok: false,
      problem: expect.stringContaining("failing or stopped"),
    });
    expect(parseCommand("recipes")).toMatchObject({
      ok: false,
      problem: expect.stringContaining("Which customer"),
    });
  });

  it("reads customers with or without text", () => {
    expect(parseCommand("customers")).toEqual({ ok: true, command: { kind: "customers", text: "" } });
    expect(parseCommand("customers acme eu")).toEqual({
      ok: true,
      command: { kind: "customers", text: "acme eu" },
    });
  });

  it("reads <customer> through the resolver everywhere, and marks a refusal about a name", () => {
    expect(parseCommand("list globex 28904", byName)).toMatchObject({
      ok: true,
      command: { customer: { display: "40003" } },
    });
    expect(parseCommand("watch globex 28904", byName)).toMatchObject({
      ok: true,
      command: { kind: "watch" },
    });
    expect(parseCommand("recipes initech", byName)).toEqual({
      ok: false,
      problem: "no initech",
      usage: "/workato-jobs recipes <customer> [failing|stopped]",
      byName: true,
    });
    expect(parseCommand("list 23456 x", byName)).not.toHaveProperty("byName");
  });

  it("suggests the closest subcommand for a typo, with its usage line", () => {
    expect(parseCommand("lsit 23456 28904")).toMatchObject({
      ok: false,
      problem: '"lsit" is not a command: did you mean `list`?',
      usage: expect.stringContaining("/workato-jobs list <customer>"),
    });
    expect(parseCommand("custmers")).toMatchObject({
      problem: expect.stringContaining("did you mean `customers`?"),
    });
    expect(parseCommand("frobnicate")).toMatchObject({
      problem: expect.stringContaining("is not a command. Use"),
    });
  });
});
