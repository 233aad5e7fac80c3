// The readers of the subcommands about one recipe's jobs: `list`, `show`, `repeat` (ids or `failed since`) and
// `history`. Pure, like the rest of the grammar (grammar.ts), which lists them in its table.
import type { CustomerRef } from "../../workato/customer-ref.js";
import { isJobStatus, type JobStatus } from "../../workato/job-status.js";
import { isJobId, notAJobId, type Read, type ReadContext, readTarget, refuse, shorten } from "./arguments.js";

/** More ids than this in one command is almost certainly a paste gone wrong; buttons cover bulk repeats. */
export const MAX_JOB_IDS_PER_COMMAND = 200;

export interface ListCommand {
  kind: "list";
  customer: CustomerRef;
  recipeId: number;
  status?: JobStatus;
  rerunOnly: boolean;
}

export function readList(
  args: readonly string[],
  { usage, resolveCustomer }: ReadContext,
): Read<ListCommand> {
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

export function readShow(
  args: readonly string[],
  { usage, resolveCustomer }: ReadContext,
): Read<ShowCommand> {
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

export function readRepeat(
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

export function readHistory(
  args: readonly string[],
  { usage, resolveCustomer }: ReadContext,
): Read<HistoryCommand> {
  if (args.length === 0) return { ok: true, value: { kind: "history" } };
  if (args.length !== 2) return refuse("history takes no arguments, or a customer and a recipe id.", usage);
  const target = readTarget(args, usage, resolveCustomer);
  if (!target.ok) return target;
  return { ok: true, value: { kind: "history", ...target.value } };
}
