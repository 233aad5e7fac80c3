// `/workato-jobs …` text → a typed command, or the problem and the usage line to show. Pure: no I/O.
import { CUSTOMER_REF_USAGE, type CustomerRef, parseCustomerRef } from "../workato/customer-ref.js";

export type JobStatusFilter = "succeeded" | "failed" | "pending";

export type Command =
  | { kind: "help" }
  | { kind: "list"; customer: CustomerRef; recipeId: number; status?: JobStatusFilter; rerunOnly: boolean }
  | { kind: "show"; customer: CustomerRef; recipeId: number; jobId: string }
  | { kind: "repeat"; customer: CustomerRef; recipeId: number; jobIds: string[] }
  | { kind: "history"; customer?: CustomerRef; recipeId?: number };

export type CommandParse = { ok: true; command: Command } | { ok: false; problem: string; usage: string };

export const USAGE = {
  help: "/workato-jobs help",
  list: "/workato-jobs list <customer> <recipe_id> [failed|succeeded|pending] [reruns]",
  show: "/workato-jobs show <customer> <recipe_id> <job_id>",
  repeat: "/workato-jobs repeat <customer> <recipe_id> <job_id> [<job_id> …]",
  history: "/workato-jobs history [<customer> <recipe_id>]",
  watch: "/workato-jobs watch <customer> <recipe_id> [@person|@group …]",
  unwatch: "/workato-jobs unwatch <customer> <recipe_id>",
  watches: "/workato-jobs watches",
} as const;

/** More ids than this in one command is almost certainly a paste gone wrong; buttons cover bulk repeats. */
export const MAX_JOB_IDS_PER_COMMAND = 200;
export const MAX_COMMAND_LENGTH = 4000;
const RECIPE_ID = /^[1-9]\d{0,11}$/;
// Workato job ids look like j-AJMfQh8c-hsCXcs; very old accounts still have numeric ids.
const JOB_ID = /^(j-[A-Za-z0-9_-]{1,80}|[1-9]\d{0,19})$/;
export function isJobId(text: string): boolean {
  return JOB_ID.test(text);
}

const STATUSES: readonly JobStatusFilter[] = ["succeeded", "failed", "pending"];

/** `resolveAlias` turns a policy's customer alias into the customer it names (identity by default). */
export function parseCommand(
  rawText: string,
  resolveAlias: (text: string) => string = (text) => text,
): CommandParse {
  if (rawText.length > MAX_COMMAND_LENGTH) {
    return fail(
      `That command is ${rawText.length} characters long; the most is ${MAX_COMMAND_LENGTH}.`,
      USAGE.help,
    );
  }
  const words = commandWords(rawText);
  const [subcommand, ...args] = words;
  switch (subcommand?.toLowerCase()) {
    case undefined:
    case "help":
      return { ok: true, command: { kind: "help" } };
    case "list":
      return parseList(args, resolveAlias);
    case "show":
      return parseShow(args, resolveAlias);
    case "repeat":
      return parseRepeat(args, resolveAlias);
    case "history":
      return parseHistory(args, resolveAlias);
    default:
      return fail(
        `"${shorten(subcommand ?? "")}" is not a command. Use list, show, repeat, history, watch, unwatch, watches or help.`,
        USAGE.help,
      );
  }
}

function parseList(args: string[], resolveAlias: (text: string) => string): CommandParse {
  const target = parseTarget(args, USAGE.list, resolveAlias);
  if (!target.ok) return target;
  let status: JobStatusFilter | undefined;
  let rerunOnly = false;
  for (const word of args.slice(2)) {
    const option = word.toLowerCase();
    const asStatus = STATUSES.find((candidate) => candidate === option);
    if (asStatus && status === undefined) status = asStatus;
    else if ((option === "reruns" || option === "rerun") && !rerunOnly) rerunOnly = true;
    else
      return fail(
        `"${shorten(word)}" is not an option of list: use failed, succeeded, pending and/or reruns.`,
        USAGE.list,
      );
  }
  return {
    ok: true,
    command: { kind: "list", ...target.value, rerunOnly, ...(status !== undefined ? { status } : {}) },
  };
}

function parseShow(args: string[], resolveAlias: (text: string) => string): CommandParse {
  const target = parseTarget(args, USAGE.show, resolveAlias);
  if (!target.ok) return target;
  const jobIds = args.slice(2);
  if (jobIds.length !== 1) {
    return fail(
      jobIds.length === 0 ? "Which job? Give its id, e.g. j-AJMfQh8c-hsCXcs." : "show takes one job id.",
      USAGE.show,
    );
  }
  const jobId = jobIds[0] as string;
  if (!JOB_ID.test(jobId)) return fail(notAJobId(jobId), USAGE.show);
  return { ok: true, command: { kind: "show", ...target.value, jobId } };
}

function parseRepeat(args: string[], resolveAlias: (text: string) => string): CommandParse {
  const target = parseTarget(args, USAGE.repeat, resolveAlias);
  if (!target.ok) return target;
  // People paste lists with commas as well as spaces.
  const jobIds = args
    .slice(2)
    .flatMap((word) => word.split(","))
    .filter(Boolean);
  if (jobIds.length === 0) return fail("Which jobs? Give one or more job ids.", USAGE.repeat);
  if (jobIds.length > MAX_JOB_IDS_PER_COMMAND) {
    return fail(
      `That is ${jobIds.length} job ids; one command repeats at most ${MAX_JOB_IDS_PER_COMMAND}. Use "Repeat N failed" on a list instead.`,
      USAGE.repeat,
    );
  }
  const bad = jobIds.find((jobId) => !JOB_ID.test(jobId));
  if (bad !== undefined) return fail(notAJobId(bad), USAGE.repeat);
  return { ok: true, command: { kind: "repeat", ...target.value, jobIds: [...new Set(jobIds)] } };
}

function parseHistory(args: string[], resolveAlias: (text: string) => string): CommandParse {
  if (args.length === 0) return { ok: true, command: { kind: "history" } };
  if (args.length !== 2)
    return fail("history takes no arguments, or a customer and a recipe id.", USAGE.history);
  const target = parseTarget(args, USAGE.history, resolveAlias);
  if (!target.ok) return target;
  return { ok: true, command: { kind: "history", ...target.value } };
}

export type TargetParse =
  | { ok: true; value: { customer: CustomerRef; recipeId: number } }
  | { ok: false; problem: string; usage: string };

/** `<customer> <recipe_id>` at the start of `args`; the problem names what is wrong, with `usage` to show. */
export function parseTarget(
  args: readonly string[],
  usage: string,
  resolveAlias: (text: string) => string = (text) => text,
): TargetParse {
  const [customerText, recipeText] = args;
  if (customerText === undefined) return fail(`Which customer? <customer> is ${CUSTOMER_REF_USAGE}.`, usage);
  const customer = parseCustomerRef(resolveAlias(customerText));
  if (!customer.ok) return fail(customer.message, usage);
  if (recipeText === undefined) return fail("Which recipe? Give its numeric id, e.g. 28904.", usage);
  if (!RECIPE_ID.test(recipeText))
    return fail(`"${shorten(recipeText)}" is not a recipe id: recipe ids are numbers, e.g. 28904.`, usage);
  return { ok: true, value: { customer: customer.ref, recipeId: Number(recipeText) } };
}

function notAJobId(text: string): string {
  return `"${shorten(text)}" is not a job id: job ids look like j-AJMfQh8c-hsCXcs.`;
}

function fail(problem: string, usage: string): { ok: false; problem: string; usage: string } {
  return { ok: false, problem, usage };
}

function shorten(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** Slack sends &, < and > escaped in command text; turn them back before reading ids. */
/** A command's words, with Slack's &-escapes of &, < and > turned back. */
export function commandWords(rawText: string): string[] {
  return unescapeSlack(rawText).trim().split(/\s+/).filter(Boolean);
}

function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}
