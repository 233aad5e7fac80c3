// The one grammar of /workato-jobs: for every subcommand its usage line, what it does (the help message) and how its
// words become a typed Command (its reader, in the *-reader(s).ts beside this file). Pure: no I/O. A new subcommand is
// one entry in SUBCOMMANDS; the Command union follows from the table, and TypeScript then asks for its handler in
// ../routes.ts.
import type { ResolveCustomer } from "../../customers/customer-lookup.js";
import { closestWords } from "../../edit-distance.js";
import { parseCustomerRef } from "../../workato/customer-ref.js";
import { commandWords, type Read, type ReadContext, refuse, shorten } from "./arguments.js";
import { readDigest } from "./digest-reader.js";
import { readCustomers, readRecipes } from "./directory-readers.js";
import { readHistory, readList, readRepeat, readShow } from "./job-readers.js";
import { readUnwatch, readWatch, readWatches } from "./watch-readers.js";

// The Command members live beside their readers; consumers import them from here, with the grammar.
export type { DigestCommand } from "./digest-reader.js";
export type { CustomersCommand, RecipeFilter, RecipesCommand } from "./directory-readers.js";
export type {
  HistoryCommand,
  ListCommand,
  RepeatCommand,
  RepeatFailedCommand,
  ShowCommand,
} from "./job-readers.js";
export { MAX_JOB_IDS_PER_COMMAND } from "./job-readers.js";
export type { UnwatchCommand, WatchCommand, WatchesCommand } from "./watch-readers.js";
export { MAX_ESCALATION_STEPS, MAX_MENTIONS } from "./watch-readers.js";

export const SLASH_COMMAND = "/workato-jobs";
export const MAX_COMMAND_LENGTH = 4000;

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
    usage: `${SLASH_COMMAND} watch <customer> <recipe_id> [@person|@group …] [then @person|@group … after <15m|1h> …] [runbook <url>|off]`,
    does: "posts failure alerts for this recipe to this channel, mentioning these people or groups; an alert nobody takes (I'm on it) or resolves is escalated to whoever comes next, in its thread, after that time; runbook puts a Runbook button on its alerts (off removes it)",
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
    usage: `${SLASH_COMMAND} digest <HH:MM> [time zone] | now | off`,
    does: "posts a daily digest here at that time (in your own time zone unless one such as Europe/Berlin is given): each watched recipe's last 24 hours; now shows you today's at once; off stops it; digest alone says how it stands",
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
