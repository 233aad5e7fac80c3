// The access policy file: valid YAML and JSON load; every mistake is named by its field.
import { describe, expect, it } from "vitest";
import { PolicyError, parsePolicy } from "../../src/access/policy.js";

const VALID = `
aliases:
  acme: ext:acme/eu-1
  globex: 34567
repeaters: [U0LEAD]
channels:
  C0ACME:
    customers: [acme, 23456]
    repeaters: [U0ALICE, S0ONCALL]
  C0ALL:
    customers: ["*"]
    allow_shared_channel: true
    allow_teams: [T0PARTNER]
`;

function problem(text: string, source?: string): string {
  try {
    parsePolicy(text, source);
  } catch (error) {
    if (error instanceof PolicyError) return error.message;
    throw error;
  }
  throw new Error("expected the policy to be refused");
}

describe("parsePolicy", () => {
  it("reads aliases, repeaters per channel and globally, and Slack Connect allowances", () => {
    const policy = parsePolicy(VALID);
    expect(policy.aliases).toEqual({ acme: "ext:acme/eu-1", globex: "34567" });
    expect(policy.channels.C0ACME?.repeaters).toEqual(["U0ALICE", "S0ONCALL"]);
    expect(policy.channels.C0ACME?.allow_shared_channel).toBe(false);
    expect(policy.channels.C0ALL?.allow_teams).toEqual(["T0PARTNER"]);
  });

  it("reads the same policy written as JSON", () => {
    const policy = parsePolicy(JSON.stringify({ channels: { C0X: { customers: ["*"] } } }), "policy.json");
    expect(policy.channels.C0X?.customers).toEqual(["*"]);
  });

  it.each([
    ["channels:\n  general:\n    customers: ['*']", /channels\.general.*channel ids/],
    ["channels:\n  C0X:\n    customers: [nobody]", /channels\.C0X\.customers\.0.*neither a customer id/],
    [
      "channels:\n  C0X:\n    customers: ['*']\n    repeaters: [alice]",
      /channels\.C0X\.repeaters\.0.*user id/,
    ],
    ["aliases:\n  acme: not a customer\nchannels: {}", /aliases\.acme.*managed user ID/],
    ["channels:\n  C0X:\n    customers: ['*']\n    colour: blue", /channels\.C0X.*colour/],
    ["channels: [", /not valid YAML/],
  ])("refuses %j naming the field", (text, expected) => {
    expect(problem(text)).toMatch(expected);
  });
});
