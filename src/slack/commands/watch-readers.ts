// The readers of the watch subcommands: `watch <customer> <recipe_id> [@person|@group …] [then @person|@group …
// after <15m|1h> …] [runbook <url>|off]`, `unwatch` and `watches`. Pure, like the rest of the grammar (grammar.ts),
// which lists them in its table.
import type { EscalationStep } from "../../store/alert-state-store.js";
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
  /** who is mentioned in an alert's thread when nobody took or resolved it after each step's time; [] for none */
  escalation: EscalationStep[];
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

/** More steps than this is a rota to keep in a user group, not in a watch. */
export const MAX_ESCALATION_STEPS = 5;
const ESCALATE_AFTER = /^(\d{1,4})(m|h)$/i;
const MAX_ESCALATE_AFTER_MS = 24 * 3_600_000;

/** "15m", "2h" as ms after the alert; a problem for anything else, or outside 1 minute to 24 hours. */
function readEscalateAfter(
  word: string | undefined,
): { ok: true; ms: number } | { ok: false; problem: string } {
  const match = word === undefined ? null : ESCALATE_AFTER.exec(word);
  if (!match)
    return {
      ok: false,
      problem: `Each "then @…" needs "after" and a time such as 15m or 1h, e.g. "then @secondary after 15m".`,
    };
  const ms = Number(match[1]) * ((match[2] as string).toLowerCase() === "h" ? 3_600_000 : 60_000);
  if (ms < 60_000 || ms > MAX_ESCALATE_AFTER_MS)
    return { ok: false, problem: `"after ${word}": escalate between 1 minute and 24 hours after the alert.` };
  return { ok: true, ms };
}

/** The mentions of one step: distinct, at most MAX_MENTIONS. */
function readMentions(
  tokens: readonly string[],
): { ok: true; value: string[] } | { ok: false; problem: string } {
  const mentions: string[] = [];
  for (const token of tokens) {
    const mention = readMention(token);
    if (!mention.ok) return mention;
    if (!mentions.includes(mention.value)) mentions.push(mention.value);
  }
  if (mentions.length > MAX_MENTIONS) {
    return {
      ok: false,
      problem: `That is ${mentions.length} people and groups to mention; the most is ${MAX_MENTIONS}. Mention a user group instead.`,
    };
  }
  return { ok: true, value: mentions };
}

/**
 * Takes `runbook <url>` or `runbook off` out of the words, wherever it stands: what is left are the mentions and the
 * escalation steps. `value` undefined: no runbook word (the stored runbook stays).
 */
function takeRunbook(
  tokens: readonly string[],
): { ok: true; value: string | null | undefined; rest: string[] } | { ok: false; problem: string } {
  const rest: string[] = [];
  let value: string | null | undefined;
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index] ?? "";
    if (token.toLowerCase() !== RUNBOOK_WORD) {
      rest.push(token);
      continue;
    }
    const given = tokens[++index];
    if (given === undefined)
      return {
        ok: false,
        problem: "runbook needs the page's address (or off), e.g. runbook https://wiki.example.com/x",
      };
    if (value !== undefined) return { ok: false, problem: "Give one runbook per watch." };
    if (RUNBOOK_OFF.has(given.toLowerCase())) {
      value = null;
      continue;
    }
    const url = readRunbookUrl(given);
    if (!url.ok) return url;
    value = url.value;
  }
  return { ok: true, value, rest };
}

export function readWatch(
  args: readonly string[],
  { usage, resolveCustomer }: ReadContext,
): Read<WatchCommand> {
  const target = readTarget(args, usage, resolveCustomer);
  if (!target.ok) return target;
  const runbook = takeRunbook(mentionTokens(args.slice(2)));
  if (!runbook.ok) return refuse(runbook.problem, usage);
  // "@primary then @secondary after 15m then @lead after 1h": the first part is the alert's own mentions.
  const [first = [], ...later] = splitOn(runbook.rest, "then");
  const mentions = readMentions(first);
  if (!mentions.ok) return refuse(mentions.problem, usage);
  const escalation: EscalationStep[] = [];
  for (const step of later) {
    const afterAt = step.findIndex((token) => token.toLowerCase() === "after");
    const after = readEscalateAfter(afterAt < 0 ? undefined : step[afterAt + 1]);
    if (!after.ok) return refuse(after.problem, usage);
    if (afterAt + 2 !== step.length)
      return refuse(`Nothing may follow "after ${step[afterAt + 1]}" but "then".`, usage);
    const stepMentions = readMentions(step.slice(0, afterAt));
    if (!stepMentions.ok) return refuse(stepMentions.problem, usage);
    if (stepMentions.value.length === 0)
      return refuse(`"then" needs someone to call: "then @secondary after 15m".`, usage);
    const previous = escalation.at(-1)?.afterMs ?? 0;
    if (after.ms <= previous)
      return refuse(
        "Each escalation step comes later than the one before it (e.g. after 15m, then after 1h).",
        usage,
      );
    escalation.push({ mentions: stepMentions.value, afterMs: after.ms });
  }
  if (escalation.length > MAX_ESCALATION_STEPS)
    return refuse(
      `That is ${escalation.length} escalation steps; the most is ${MAX_ESCALATION_STEPS}.`,
      usage,
    );
  return {
    ok: true,
    value: {
      kind: "watch",
      ...target.value,
      mentions: mentions.value,
      escalation,
      ...(runbook.value !== undefined ? { runbookUrl: runbook.value } : {}),
    },
  };
}

/** `tokens` cut at each `word` (any case), the word itself dropped. */
function splitOn(tokens: readonly string[], word: string): string[][] {
  const parts: string[][] = [[]];
  for (const token of tokens) {
    if (token.toLowerCase() === word) parts.push([]);
    else parts.at(-1)?.push(token);
  }
  return parts;
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
