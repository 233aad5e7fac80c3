// The access policy file (ACCESS_POLICY, YAML or JSON): which customers each channel may see, who may repeat,
// customer aliases, and which Slack Connect channels or foreign organisations are let in. Validated with zod.
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { isSlackUserGroupId, isSlackUserId } from "../slack-ids.js";
import { parseCustomerRef } from "../workato/customer-ref.js";

const SLACK_CHANNEL = /^[CGD][A-Z0-9]{2,}$/;
const SLACK_TEAM = /^[TE][A-Z0-9]{2,}$/;

const customerText = z
  .union([z.string(), z.number().int().positive().transform(String)])
  .refine((text) => parseCustomerRef(text).ok, {
    message: "must be a managed user ID (digits) or ext:<external id>",
  });

const principal = z.string().refine((id) => isSlackUserId(id) || isSlackUserGroupId(id), {
  message: "must be a Slack user id (U…/W…) or user group id (S…)",
});

const channelPolicy = z
  .object({
    /** customer ids, ext:ids or aliases this channel may see; "*" for all */
    customers: z
      .array(z.union([z.literal("*"), z.string().min(1), z.number().int().positive().transform(String)]))
      .min(1),
    /** who may repeat in this channel, besides the global repeaters */
    repeaters: z.array(principal).default([]),
    /** an externally shared (Slack Connect) channel is denied unless this is true */
    allow_shared_channel: z.boolean().default(false),
    /** users of other organisations (Slack Connect) allowed here, by team id */
    allow_teams: z
      .array(z.string().regex(SLACK_TEAM, "must be a Slack team id (T…) or enterprise id (E…)"))
      .default([]),
  })
  .strict();

export const policySchema = z
  .object({
    /** friendly names usable as <customer> in commands */
    aliases: z
      .record(
        z.string().regex(/^[a-z][a-z0-9_-]{0,39}$/i, "alias names are letters, digits, - and _"),
        customerText,
      )
      .default({}),
    /** may repeat in every channel that can see the customer */
    repeaters: z.array(principal).default([]),
    channels: z.record(
      z.string().regex(SLACK_CHANNEL, "channel keys must be Slack channel ids (C…/G…)"),
      channelPolicy,
    ),
  })
  .strict()
  .superRefine((policy, ctx) => {
    for (const [channel, rules] of Object.entries(policy.channels)) {
      rules.customers.forEach((customer, index) => {
        if (
          customer === "*" ||
          customer.toLowerCase() in lowerKeys(policy.aliases) ||
          parseCustomerRef(customer).ok
        )
          return;
        ctx.addIssue({
          code: "custom",
          path: ["channels", channel, "customers", index],
          message: `"${customer}" is neither a customer id, ext:<id>, an alias, nor "*"`,
        });
      });
    }
  });

export type AccessPolicy = z.infer<typeof policySchema>;

function lowerKeys(record: Record<string, unknown>): Record<string, true> {
  return Object.fromEntries(Object.keys(record).map((key) => [key.toLowerCase(), true]));
}

export class PolicyError extends Error {
  override readonly name = "PolicyError";
}

/** Reads and validates the policy file; every problem names its field, e.g. "channels.C123.repeaters.0: …". */
export function loadPolicy(path: string): AccessPolicy {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new PolicyError(
      `ACCESS_POLICY: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? "error"})`,
    );
  }
  return parsePolicy(text, path);
}

export function parsePolicy(text: string, source = "ACCESS_POLICY"): AccessPolicy {
  let raw: unknown;
  try {
    raw = source.endsWith(".json") ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new PolicyError(
      `${source}: not valid ${source.endsWith(".json") ? "JSON" : "YAML"} (${(error as Error).message.split("\n")[0]})`,
    );
  }
  const parsed = policySchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      // zod words a bad record key generically; its own rule's message is nested inside.
      const message =
        issue.code === "invalid_key" ? (issue.issues[0]?.message ?? issue.message) : issue.message;
      return `${source}: ${issue.path.join(".") || "(root)"}: ${message}`;
    });
    throw new PolicyError(lines.join("\n"));
  }
  return parsed.data;
}
