// The words a subcommand takes, each read and checked on its own: a command's words as Slack sent them, the
// `<customer> <recipe_id>` target, job ids and mentions. Pure; the grammar (grammar.ts) puts them together.

import type { ResolveCustomer } from "../../customers/customer-lookup.js";
import { SLACK_USER_GROUP_ID, SLACK_USER_ID } from "../../slack-ids.js";
import { CUSTOMER_REF_USAGE, type CustomerRef } from "../../workato/customer-ref.js";

/** A problem with what was typed, and the usage line to show with it. */
export interface Refusal {
  ok: false;
  problem: string;
  usage: string;
  /** the customer was taken as a name: the problem may name customers, so it is shown only after the channel check */
  byName?: true;
}

export type Read<T> = { ok: true; value: T } | Refusal;

/** What a subcommand's reader gets besides its words: its own usage line for refusals, and how to read <customer>. */
export interface ReadContext {
  usage: string;
  resolveCustomer: ResolveCustomer;
}

export function refuse(problem: string, usage: string): Refusal {
  return { ok: false, problem, usage };
}

/** Typed text quoted back in a problem, cut so a paste cannot flood the answer. */
export function shorten(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** A command's words, with Slack's &-escapes of &, < and > turned back before anything is read. */
export function commandWords(rawText: string): string[] {
  return unescapeSlack(rawText).trim().split(/\s+/).filter(Boolean);
}

function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

const RECIPE_ID = /^[1-9]\d{0,11}$/;

export interface Target {
  customer: CustomerRef;
  recipeId: number;
}

/** `<customer>`: an id, ext:<id>, alias, name or unique name prefix, as `resolveCustomer` reads it. */
export function readCustomer(
  customerText: string | undefined,
  usage: string,
  resolveCustomer: ResolveCustomer,
): Read<CustomerRef> {
  if (customerText === undefined)
    return refuse(`Which customer? <customer> is ${CUSTOMER_REF_USAGE}, or the customer's name.`, usage);
  const customer = resolveCustomer(customerText);
  if (customer.ok) return { ok: true, value: customer.ref };
  return { ...refuse(customer.message, usage), ...(customer.byName ? { byName: true as const } : {}) };
}

/** `<customer> <recipe_id>` at the start of `args`; the problem names what is wrong. */
export function readTarget(
  args: readonly string[],
  usage: string,
  resolveCustomer: ResolveCustomer,
): Read<Target> {
  const [customerText, recipeText] = args;
  const customer = readCustomer(customerText, usage, resolveCustomer);
  if (!customer.ok) return customer;
  if (recipeText === undefined) return refuse("Which recipe? Give its numeric id, e.g. 28904.", usage);
  if (!RECIPE_ID.test(recipeText))
    return refuse(`"${shorten(recipeText)}" is not a recipe id: recipe ids are numbers, e.g. 28904.`, usage);
  return { ok: true, value: { customer: customer.value, recipeId: Number(recipeText) } };
}

// Workato job ids look like j-AJMfQh8c-hsCXcs; very old accounts still have numeric ids.
const JOB_ID = /^(j-[A-Za-z0-9_-]{1,80}|[1-9]\d{0,19})$/;

/** Also checks job ids that come back in button values and block ids, like typed ones. */
export function isJobId(text: string): boolean {
  return JOB_ID.test(text);
}

export function notAJobId(text: string): string {
  return `"${shorten(text)}" is not a job id: job ids look like j-AJMfQh8c-hsCXcs.`;
}

const USER_MENTION = new RegExp(`^<@(${SLACK_USER_ID.source})(?:\\|[^<>]*)?>$`);
const GROUP_MENTION = new RegExp(`^<!subteam\\^(${SLACK_USER_GROUP_ID.source})(?:\\|[^<>]*)?>$`);
const BROADCAST = /^<!(here|channel|everyone)(?:\|[^<>]*)?>$/;

/** The mentions after a watch's target, as Slack escapes them; a label (after "|") may hold spaces. */
export function mentionTokens(words: readonly string[]): string[] {
  return words.join(" ").match(/<[^<>]*>|[^\s<>]+|[<>]/g) ?? [];
}

/** A person (`<@U…>`) or a user group (`<!subteam^S…>`), with or without Slack's `|label`, stored without it. */
export function readMention(token: string): { ok: true; value: string } | { ok: false; problem: string } {
  const user = USER_MENTION.exec(token);
  if (user) return { ok: true, value: `<@${user[1]}>` };
  const group = GROUP_MENTION.exec(token);
  if (group) return { ok: true, value: `<!subteam^${group[1]}>` };
  if (BROADCAST.test(token)) {
    return {
      ok: false,
      problem: "Alerts can mention people or user groups, not @here, @channel or @everyone.",
    };
  }
  if (token.startsWith("<#")) {
    return {
      ok: false,
      problem: "Alerts go to the channel the watch is made in; mention people or user groups only.",
    };
  }
  if (token.startsWith("@")) {
    return {
      ok: false,
      problem: `"${shorten(token)}" reached the bot as plain text, not as a mention: pick the person or group from Slack's suggestions as you type @.`,
    };
  }
  return {
    ok: false,
    problem: `"${shorten(token)}" is not a person or user group to mention. After the recipe id, mention people (@name) or a user group (@group).`,
  };
}
