// The readers of the watch subcommands: `watch <customer> <recipe_id> [@person|@group …] [runbook <url>|off]`,
// `unwatch` and `watches`.
// Pure, like the rest of the grammar (grammar.ts), which lists them in its table.
import type { CustomerRef } from "../../workato/customer-ref.js";
import { mentionTokens, type Read, type ReadContext, readMention, readTarget, refuse } from "./arguments.js";

/** More than this is a paste gone wrong; a user group covers a rota. */
export const MAX_MENTIONS = 10;

export interface WatchCommand {
  kind: "watch";
  customer: CustomerRef;
  recipeId: number;
  /** `<@U…>` and `<!subteam^S…>`, distinct, without labels */
  mentions: string[];
  /** `runbook <url>`: the page its alerts link to; null: `runbook off`; absent: the runbook stays as it is */
  runbookUrl?: string | null;
}

/** Slack's limit on a button's URL: the Runbook button carries it. */
const MAX_RUNBOOK_URL = 3000;
const RUNBOOK_WORD = "runbook";
const RUNBOOK_OFF = new Set(["off", "none"]);

/**
 * A runbook's address as typed: Slack sends a typed link as `<https://…>` or `<https://…|label>`, or as plain text.
 * Only http(s), and nothing that could end a Slack link early (`|`, `<`, `>`) or hide a second one.
 */
export function readRunbookUrl(token: string): { ok: true; value: string } | { ok: false; problem: string } {
  const linked = /^<([^<>|]*)(?:\|[^<>]*)?>$/.exec(token);
  const url = (linked ? linked[1] : token) ?? "";
  const problem = `"${url.length > 60 ? `${url.slice(0, 60)}…` : url}" is not a runbook address: give an https:// link, e.g. runbook https://wiki.example.com/runbooks/orders`;
  if (!/^https?:\/\/[^\s<>|]+$/i.test(url) || !URL.canParse(url)) return { ok: false, problem };
  if (url.length > MAX_RUNBOOK_URL)
    return { ok: false, problem: `That runbook address is over ${MAX_RUNBOOK_URL} characters.` };
  return { ok: true, value: url };
}

export function readWatch(
  args: readonly string[],
  { usage, resolveCustomer }: ReadContext,
): Read<WatchCommand> {
  const target = readTarget(args, usage, resolveCustomer);
  if (!target.ok) return target;
  const mentions: string[] = [];
  let runbookUrl: string | null | undefined;
  const tokens = mentionTokens(args.slice(2));
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index] ?? "";
    if (token.toLowerCase() === RUNBOOK_WORD) {
      const given = tokens[++index];
      if (given === undefined)
        return refuse(
          "runbook needs the page's address (or off), e.g. runbook https://wiki.example.com/x",
          usage,
        );
      if (runbookUrl !== undefined) return refuse("Give one runbook per watch.", usage);
      if (RUNBOOK_OFF.has(given.toLowerCase())) {
        runbookUrl = null;
        continue;
      }
      const url = readRunbookUrl(given);
      if (!url.ok) return refuse(url.problem, usage);
      runbookUrl = url.value;
      continue;
    }
    const mention = readMention(token);
    if (!mention.ok) return refuse(mention.problem, usage);
    if (!mentions.includes(mention.value)) mentions.push(mention.value);
  }
  if (mentions.length > MAX_MENTIONS) {
    return refuse(
      `That is ${mentions.length} people and groups to mention; the most is ${MAX_MENTIONS}. Mention a user group instead.`,
      usage,
    );
  }
  return {
    ok: true,
    value: { kind: "watch", ...target.value, mentions, ...(runbookUrl !== undefined ? { runbookUrl } : {}) },
  };
}

export interface UnwatchCommand {
  kind: "unwatch";
  customer: CustomerRef;
  recipeId: number;
}

export function readUnwatch(
  args: readonly string[],
  { usage, resolveCustomer }: ReadContext,
): Read<UnwatchCommand> {
  const target = readTarget(args, usage, resolveCustomer);
  if (!target.ok) return target;
  if (args.length > 2) return refuse("unwatch takes a customer and a recipe id, nothing more.", usage);
  return { ok: true, value: { kind: "unwatch", ...target.value } };
}

export interface WatchesCommand {
  kind: "watches";
}

export function readWatches(args: readonly string[], { usage }: ReadContext): Read<WatchesCommand> {
  if (args.length > 0) return refuse("watches takes no arguments: it lists this channel's watches.", usage);
  return { ok: true, value: { kind: "watches" } };
}
