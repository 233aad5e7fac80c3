// How what became of a failed job (its Handling) is worded: the line under it in a list, the reasons jobs were
// left out of a repeat, and the warnings a repeat's confirm dialog gives. Pure: data in, text out.
import type { CannotRepeatWhy, Handling, KnownRepeat, LeftOut } from "../../lineage/lineage.js";
import { leftOutCount } from "../../lineage/lineage.js";
import { countOf, escapeTruncated, firstLine, inlineCode, mentionUser, slackDateOfMs } from "./format.js";

const ERROR_MAX = 120;

/** mrkdwn: "repeated 5:26 PM by @alex", or "repeated in Workato 5:26 PM" for a repeat a person made there. */
function whoRepeated(latest: KnownRepeat): string {
  const at = latest.requestedBy?.at ?? latest.startedAt;
  const when = at === null ? "" : ` ${slackDateOfMs(at)}`;
  return latest.requestedBy
    ? `repeated${when} by ${mentionUser(latest.requestedBy.userId)}`
    : `repeated in Workato${when}`;
}

/** Plain text: why Workato will not repeat a job, as the person deciding what to do next needs it. */
export function cannotRepeatWords(why: CannotRepeatWhy): string {
  switch (why) {
    case "past_retention":
      return "past Workato's retention: its trigger data was erased";
    case "repeat_limit":
      return "repeated 100 times already, Workato's limit";
    case "not_master":
      return "a repeat, not an original job";
  }
}

/** The line a list shows under a failed master job; null for one never repeated. */
export function lineageLine(handling: Handling): string | null {
  switch (handling.kind) {
    case "never_repeated":
      return null;
    case "succeeded":
      return `:repeat: ${whoRepeated(handling.latest)} → :white_check_mark: succeeded (${inlineCode(handling.latest.newJobId)})`;
    case "running":
      return `:hourglass_flowing_sand: repeat running (${inlineCode(handling.latest.newJobId)}) — ${whoRepeated(handling.latest)}`;
    case "failed_again": {
      const error = handling.latest.error ? firstLine(handling.latest.error) : "";
      const reason = error === "" ? "" : `: ${escapeTruncated(error, ERROR_MAX)}`;
      return `:x: failed again (${countOf(handling.repeats, "repeat")}) — latest ${inlineCode(handling.latest.newJobId)}, ${whoRepeated(handling.latest)}${reason}`;
    }
    case "cannot_repeat":
      return `:no_entry_sign: can't be repeated: ${cannotRepeatWords(handling.why)}`;
    case "unknown":
      return ":grey_question: repeat state unknown";
  }
}

/**
 * Plain text: "3 already repeated and succeeded, 1 repeat still running, 2 whose repeat state is unknown, 4 resolved
 * by hand".
 */
export function leftOutReasons(leftOut: LeftOut): string {
  return leftOutReasonList(leftOut).join(", ");
}

/** Each reason jobs were left out, counted, in a fixed order; [] when none was. */
export function leftOutReasonList(leftOut: LeftOut): string[] {
  const parts: string[] = [];
  if (leftOut.succeeded.length > 0) parts.push(`${leftOut.succeeded.length} already repeated and succeeded`);
  if (leftOut.running.length > 0) {
    parts.push(
      leftOut.running.length === 1
        ? "1 repeat still running"
        : `${leftOut.running.length} repeats still running`,
    );
  }
  for (const [why, count] of cannotRepeatCounts(leftOut)) {
    parts.push(`${count} can't be repeated (${cannotRepeatWords(why)})`);
  }
  if (leftOut.unknown.length > 0) parts.push(`${leftOut.unknown.length} whose repeat state is unknown`);
  if (leftOut.resolved.length > 0) parts.push(`${leftOut.resolved.length} resolved by hand`);
  return parts;
}

/** How many jobs Workato cannot repeat, by why, in a fixed order. */
export function cannotRepeatCounts(leftOut: LeftOut): [CannotRepeatWhy, number][] {
  const counts = new Map<CannotRepeatWhy, number>([
    ["past_retention", 0],
    ["repeat_limit", 0],
    ["not_master", 0],
  ]);
  for (const job of leftOut.cannotRepeat) counts.set(job.why, (counts.get(job.why) ?? 0) + 1);
  return [...counts].filter(([, count]) => count > 0);
}

/** Plain text for a dialog or a private answer: "Left out: …." or "" when nothing was left out. */
export function leftOutSentence(leftOut: LeftOut): string {
  if (leftOutCount(leftOut) === 0) return "";
  return `Left out: ${leftOutReasons(leftOut)}.`;
}

/**
 * What a single job's Repeat dialog must say before anything happens, plain text; null when repeating it is what
 * the person expects (never repeated, or its repeats failed).
 */
export function repeatWarning(handling: Handling, masterId: string): string | null {
  switch (handling.kind) {
    case "succeeded":
      return `Job ${masterId} was already repeated and the repeat succeeded (${handling.latest.newJobId}). Repeating it again runs the customer's workflow a second time.`;
    case "running":
      return `A repeat of job ${masterId} is still running (${handling.latest.newJobId}). Repeating it now may run the customer's workflow twice.`;
    case "unknown":
      return `Workato could not say whether job ${masterId} was already repeated. When you confirm, I check again and repeat it only if no repeat of it is running or has succeeded.`;
    default:
      return null;
  }
}

/** A single job's dialog said it was already handled: the click may repeat it on purpose. */
export function warnsOfDuplicate(handling: Handling): boolean {
  return handling.kind === "succeeded" || handling.kind === "running";
}

/** The short form a compact list line ends with; "" for a job never repeated. */
export function lineageMark(handling: Handling): string {
  switch (handling.kind) {
    case "never_repeated":
      return "";
    case "succeeded":
      return " · :repeat: repeat succeeded";
    case "running":
      return " · :hourglass_flowing_sand: repeat running";
    case "failed_again":
      return ` · :x: failed again (${countOf(handling.repeats, "repeat")})`;
    case "cannot_repeat":
      return ` · :no_entry_sign: can't be repeated (${cannotRepeatWords(handling.why)})`;
    case "unknown":
      return " · repeat state unknown";
  }
}
