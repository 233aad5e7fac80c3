// The readers of the watch subcommands: `watch <customer> <recipe_id> [@person|@group …]`, `unwatch` and `watches`.
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
}

export function readWatch(
  args: readonly string[],
  { usage, resolveCustomer }: ReadContext,
): Read<WatchCommand> {
  const target = readTarget(args, usage, resolveCustomer);
  if (!target.ok) return target;
  const mentions: string[] = [];
  for (const token of mentionTokens(args.slice(2))) {
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
  return { ok: true, value: { kind: "watch", ...target.value, mentions } };
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
