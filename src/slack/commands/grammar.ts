// The one grammar of /workato-jobs: for every subcommand its usage line, what it does (the help message) and how its
// words become a typed Command. Pure: no I/O. A new subcommand is one entry in SUBCOMMANDS; the Command union follows
// from the table, and TypeScript then asks for its handler in ../routes.ts.
import type { ResolveCustomer } from "../../customers/customer-lookup.js";
import { canonicalTimeZone, DEFAULT_DIGEST_TIME_ZONE, parseTimeOfDay } from "../../digest/digest-time.js";
import { closestWords } from "../../edit-distance.js";
import { type CustomerRef, parseCustomerRef } from "../../workato/customer-ref.js";
import { isJobStatus, type JobStatus } from "../../workato/job-status.js";
import {
  commandWords,
  isJobId,
  mentionTokens,
  notAJobId,
  type Read,
  readMention,
  readTarget,
  refuse,
  shorten,
} from "./arguments.js";
import { readCustomers, readRecipes } from "./directory-readers.js";

export type { CustomersCommand, RecipeFilter, RecipesCommand } from "./directory-readers.js";

export const SLASH_COMMAND = "/workato-jobs";
/** More ids than this in one command is almost certainly a paste gone wrong; buttons cover bulk repeats. */
export const MAX_JOB_IDS_PER_COMMAND = 200;
export const MAX_COMMAND_LENGTH = 4000;
/** More than this is a paste gone wrong; a user group covers a rota. */
export const MAX_MENTIONS = 10;

/** What a subcommand's reader gets besides its words: its own usage line for refusals, and how to read <customer>. */
export interface ReadContext {
  usage: string;
  resolveCustomer: ResolveCustomer;
}

interface Subcommand<C extends { kind: string }> {
  /** the usage line, e.g. "/workato-jobs show <customer> <recipe_id> <job_id>" */
  usage: string;
  /** what it does, as the help message says */
  does: string;
  read(args: readonly string[], context: ReadContext): Read<C>;
}

/** Keeps each entry's own Command type, so the union below is derived from the table. */
function subcommand<C extends { kind: string }>(entry: Subcommand<C>): Subcommand<C> {
  return entry;
}

// In the order the help message lists them.
const SUBCOMMANDS = {
  help: subcommand({
    usage: `${SLASH_COMMAND} help`,
    does: "this message",
    read: () => ({ ok: true, value: { kind: "help" as const } }),
  }),
  list: subcommand({
    usage: `${SLASH_COMMAND} list <customer> <recipe_id> [failed|succeeded|pending] [reruns]`,
    does: "the recipe's latest jobs, newest first; optionally only one status, or only reruns",
    read: readList,
  }),
  show: subcommand({
    usage: `${SLASH_COMMAND} show <customer> <recipe_id> <job_id>`,
    does: "one job: its error in full and how long each step took",
    read: readShow,
  }),
  repeat: subcommand({
    usage: `${SLASH_COMMAND} repeat <customer> <recipe_id> <job_id> [<job_id> …] [again] | failed [since <when>] [again]`,
    does: "runs the recipe again for these master jobs, or for every failed job since a time (30m, 2h, 3d, today from midnight UTC, or an ISO time such as 2025-03-04T02:00Z) that has no succeeded or running repeat (again: those too); after a confirmation, with progress, a Stop button and every result in a thread",
    read: readRepeat,
  }),
  history: subcommand({
    usage: `${SLASH_COMMAND} history [<customer> <recipe_id>]`,
    does: "recent repeats in this channel: who, when, how many, and how they ended",
    read: readHistory,
  }),
  watch: subcommand({
    usage: `${SLASH_COMMAND} watch <customer> <recipe_id> [@person|@group …]`,
    does: "posts failure alerts for this recipe to this channel, mentioning these people or groups",
    read: readWatch,
  }),
  unwatch: subcommand({
    usage: `${SLASH_COMMAND} unwatch <customer> <recipe_id>`,
    does: "stops this channel's alerts for the recipe",
    read: readUnwatch,
  }),
  watches: subcommand({
    usage: `${SLASH_COMMAND} watches`,
    does: "this channel's watches: state, mutes, and how often each is actually polled",
    read: readWatches,
  }),
  recipes: subcommand({
    usage: `${SLASH_COMMAND} recipes <customer> [failing|stopped]`,
    does: "the customer's recipes: running or stopped (and why), failed jobs, last run; buttons to list failures or watch",
    read: readRecipes,
  }),
  customers: subcommand({
    usage: `${SLASH_COMMAND} customers [text]`,
    does: "the customers this channel may see, with their ids; optionally only names containing the text",
    read: readCustomers,
  }),
  digest: subcommand({
    usage: `${SLASH_COMMAND} digest <HH:MM> [time zone] | off`,
    does: "posts a daily digest here at that time (UTC unless a zone such as Europe/Berlin is given): each watched recipe's last 24 hours; off stops it; digest alone says how it stands",
    read: readDigest,
  }),
};

export type SubcommandName = keyof typeof SUBCOMMANDS;
type CommandOf<S> = S extends Subcommand<infer C> ? C : never;
/** Every command people can type, one member per subcommand. */
export type Command = CommandOf<(typeof SUBCOMMANDS)[SubcommandName]>;
export type CommandParse =
  | { ok: true; command: Command }
  | { ok: false; problem: string; usage: string; byName?: true };

export const SUBCOMMAND_NAMES = Object.keys(SUBCOMMANDS) as SubcommandName[];

export const USAGE = Object.fromEntries(SUBCOMMAND_NAMES.map((name) => [name, SUBCOMMANDS[name].usage])) as {
  readonly [K in SubcommandName]: string;
};

/** What each subcommand does, for the help message. */
export const WHAT_EACH_DOES = Object.fromEntries(
  SUBCOMMAND_NAMES.map((name) => [name, SUBCOMMANDS[name].does]),
) as { readonly [K in SubcommandName]: string };

/** Whether `word` (any case) names a subcommand. */
export function isSubcommand(word: string | undefined): word is SubcommandName {
  return word !== undefined && Object.hasOwn(SUBCOMMANDS, word.toLowerCase());
}

/**
 * The slash command's text as Slack sends it → a Command, or the problem and the usage line to show. Without a
 * `resolveCustomer`, <customer> is only an id or ext:<id>.
 */
export function parseCommand(
  rawText: string,
  resolveCustomer: ResolveCustomer = parseCustomerRef,
): CommandParse {
  if (rawText.length > MAX_COMMAND_LENGTH) {
    return refuse(
      `That command is ${rawText.length} characters long; the most is ${MAX_COMMAND_LENGTH}.`,
      USAGE.help,
    );
  }
  const [word, ...args] = commandWords(rawText);
  if (word === undefined) return { ok: true, command: { kind: "help" } };
  if (!isSubcommand(word)) return unknownSubcommand(word);
  const name = word.toLowerCase() as SubcommandName;
  const entry: Subcommand<Command> = SUBCOMMANDS[name];
  const read = entry.read(args, { usage: entry.usage, resolveCustomer });
  return read.ok ? { ok: true, command: read.value } : read;
}

/** Two edits covers a swapped, dropped or doubled letter ("lsit", "lst", "watchs") without wild guesses. */
const MAX_SUBCOMMAND_TYPO = 2;

function unknownSubcommand(word: string): CommandParse {
  const [closest] = closestWords(word.toLowerCase(), SUBCOMMAND_NAMES, MAX_SUBCOMMAND_TYPO);
  if (closest !== undefined) {
    return refuse(`"${shorten(word)}" is not a command: did you mean \`${closest}\`?`, USAGE[closest]);
  }
  const names = SUBCOMMAND_NAMES.filter((name) => name !== "help").join(", ");
  return refuse(`"${shorten(word)}" is not a command. Use ${names} or help.`, USAGE.help);
}

// ── Readers, one per subcommand ─────────────────────────────────────────────────────────────────────────────

export interface ListCommand {
  kind: "list";
  customer: CustomerRef;
  recipeId: number;
  status?: JobStatus;
  rerunOnly: boolean;
}

function readList(args: readonly string[], { usage, resolveCustomer }: ReadContext): Read<ListCommand> {
  const target = readTarget(args, usage, resolveCustomer);
  if (!target.ok) return target;
  let status: JobStatus | undefined;
  let rerunOnly = false;
  for (const word of args.slice(2)) {
    const option = word.toLowerCase();
    if (isJobStatus(option) && status === undefined) status = option;
    else if ((option === "reruns" || option === "rerun") && !rerunOnly) rerunOnly = true;
    else
      return refuse(
        `"${shorten(word)}" is not an option of list: use failed, succeeded, pending and/or reruns.`,
        usage,
      );
  }
  return {
    ok: true,
    value: { kind: "list", ...target.value, rerunOnly, ...(status !== undefined ? { status } : {}) },
  };
}

export interface ShowCommand {
  kind: "show";
  customer: CustomerRef;
  recipeId: number;
  jobId: string;
}

function readShow(args: readonly string[], { usage, resolveCustomer }: ReadContext): Read<ShowCommand> {
  const target = readTarget(args, usage, resolveCustomer);
  if (!target.ok) return target;
  const jobIds = args.slice(2);
  if (jobIds.length !== 1) {
    return refuse(
      jobIds.length === 0 ? "Which job? Give its id, e.g. j-AJMfQh8c-hsCXcs." : "show takes one job id.",
      usage,
    );
  }
  const jobId = jobIds[0] as string;
  if (!isJobId(jobId)) return refuse(notAJobId(jobId), usage);
  return { ok: true, value: { kind: "show", ...target.value, jobId } };
}

export interface RepeatCommand {
  kind: "repeat";
  customer: CustomerRef;
  recipeId: number;
  jobIds: string[];
  /** the word `again` ended the ids: jobs already repeated (succeeded, running) are repeated on purpose */
  again?: true;
}

function readRepeat(
  args: readonly string[],
  { usage, resolveCustomer }: ReadContext,
): Read<RepeatCommand | RepeatFailedCommand> {
  const target = readTarget(args, usage, resolveCustomer);
  if (!target.ok) return target;
  if (args[2]?.toLowerCase() === "failed") return readRepeatFailed(args.slice(3), target.value, usage);
  const words = args.slice(2);
  const again = words.length > 1 && words.at(-1)?.toLowerCase() === "again";
  // People paste lists with commas as well as spaces.
  const jobIds = (again ? words.slice(0, -1) : words).flatMap((word) => word.split(",")).filter(Boolean);
  if (jobIds.length === 0) return refuse("Which jobs? Give one or more job ids.", usage);
  if (jobIds.length > MAX_JOB_IDS_PER_COMMAND) {
    return refuse(
      `That is ${jobIds.length} job ids; one command repeats at most ${MAX_JOB_IDS_PER_COMMAND}. Use "Repeat N failed" on a list instead.`,
      usage,
    );
  }
  const bad = jobIds.find((jobId) => !isJobId(jobId));
  if (bad !== undefined) return refuse(notAJobId(bad), usage);
  return {
    ok: true,
    value: {
      kind: "repeat",
      ...target.value,
      jobIds: [...new Set(jobIds)],
      ...(again ? { again: true as const } : {}),
    },
  };
}

/** `repeat <customer> <recipe_id> failed [since <when>] [again]`: every failure since a time (a recovery). */
export interface RepeatFailedCommand {
  kind: "repeatFailed";
  customer: CustomerRef;
  recipeId: number;
  /** the `<when>` as typed, read against the clock by the handler (recovery/since.ts); null: no `since` */
  since: string | null;
  again: boolean;
}

function readRepeatFailed(
  words: readonly string[],
  target: { customer: CustomerRef; recipeId: number },
  usage: string,
): Read<RepeatFailedCommand> {
  let since: string | null = null;
  let again = false;
  for (let index = 0; index < words.length; index++) {
    const word = (words[index] as string).toLowerCase();
    if (word === "since" && since === null) {
      const when = words[index + 1];
      if (when === undefined) return refuse("Since when? e.g. `since 2h`, `since today`.", usage);
      since = when;
      index++;
    } else if (word === "again" && !again) {
      again = true;
    } else {
      return refuse(
        `"${shorten(words[index] as string)}" is not an option of repeat … failed: use since <when> and/or again.`,
        usage,
      );
    }
  }
  return { ok: true, value: { kind: "repeatFailed", ...target, since, again } };
}

export interface HistoryCommand {
  kind: "history";
  customer?: CustomerRef;
  recipeId?: number;
}

function readHistory(args: readonly string[], { usage, resolveCustomer }: ReadContext): Read<HistoryCommand> {
  if (args.length === 0) return { ok: true, value: { kind: "history" } };
  if (args.length !== 2) return refuse("history takes no arguments, or a customer and a recipe id.", usage);
  const target = readTarget(args, usage, resolveCustomer);
  if (!target.ok) return target;
  return { ok: true, value: { kind: "history", ...target.value } };
}

export interface WatchCommand {
  kind: "watch";
  customer: CustomerRef;
  recipeId: number;
  /** `<@U…>` and `<!subteam^S…>`, distinct, without labels */
  mentions: string[];
}

function readWatch(args: readonly string[], { usage, resolveCustomer }: ReadContext): Read<WatchCommand> {
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

function readUnwatch(args: readonly string[], { usage, resolveCustomer }: ReadContext): Read<UnwatchCommand> {
  const target = readTarget(args, usage, resolveCustomer);
  if (!target.ok) return target;
  if (args.length > 2) return refuse("unwatch takes a customer and a recipe id, nothing more.", usage);
  return { ok: true, value: { kind: "unwatch", ...target.value } };
}

export interface WatchesCommand {
  kind: "watches";
}

function readWatches(args: readonly string[], { usage }: ReadContext): Read<WatchesCommand> {
  if (args.length > 0) return refuse("watches takes no arguments: it lists this channel's watches.", usage);
  return { ok: true, value: { kind: "watches" } };
}

export type DigestCommand =
  | { kind: "digest"; action: "set"; timeOfDay: string; timeZone: string }
  | { kind: "digest"; action: "off" }
  | { kind: "digest"; action: "show" };

function readDigest(args: readonly string[], { usage }: ReadContext): Read<DigestCommand> {
  const [first, zone, ...rest] = args;
  if (first === undefined) return { ok: true, value: { kind: "digest", action: "show" } };
  if (first.toLowerCase() === "off") {
    if (args.length > 1) return refuse("digest off takes nothing more.", usage);
    return { ok: true, value: { kind: "digest", action: "off" } };
  }
  const timeOfDay = parseTimeOfDay(first);
  if (timeOfDay === null)
    return refuse(`"${shorten(first)}" is not a time: write it as HH:MM, e.g. 09:00.`, usage);
  if (rest.length > 0) return refuse("digest takes a time and at most one time zone.", usage);
  const timeZone = zone === undefined ? DEFAULT_DIGEST_TIME_ZONE : canonicalTimeZone(zone);
  if (timeZone === null) {
    return refuse(
      `"${shorten(zone ?? "")}" is not a time zone I know: use UTC or a name such as Europe/Berlin.`,
      usage,
    );
  }
  return { ok: true, value: { kind: "digest", action: "set", timeOfDay, timeZone } };
}
