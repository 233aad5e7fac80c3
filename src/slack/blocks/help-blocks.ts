// The command grammar as people read it, and the help, usage-error and error messages built from it.
import { CUSTOMER_REF_USAGE } from "../../workato/customer-ref.js";
import { USAGE } from "../command-parser.js";
import { context, header, type SlackMessage, section } from "./elements.js";
import { escapeMrkdwn, escapeTruncated, truncate } from "./format.js";
import { SLACK_LIMITS } from "./limits.js";

export { USAGE };

export const CUSTOMER_USAGE = `<customer> is ${CUSTOMER_REF_USAGE}.`;

const WHAT_EACH_DOES: Readonly<Record<keyof typeof USAGE, string>> = {
  help: "this message",
  list: "the recipe's latest jobs, newest first; optionally only one status, or only reruns",
  show: "one job: its error in full and how long each step took",
  repeat: "runs the recipe again for these master jobs, after a confirmation; progress is posted in a thread",
  history: "recent repeats in this channel: who, when, how many, and how they ended",
  watch: "posts failure alerts for this recipe to this channel, mentioning these people or groups",
  unwatch: "stops this channel's alerts for the recipe",
  watches: "this channel's watches: state, mutes, and how often each is actually polled",
};

// Usage lines hold <…> placeholders, which Slack would read as links or mentions unless escaped.
function usageCode(usageLine: string): string {
  return `\`${escapeMrkdwn(usageLine)}\``;
}

export function buildHelpMessage(): SlackMessage {
  const commands = (Object.keys(USAGE) as (keyof typeof USAGE)[]).map(
    (command) => `${usageCode(USAGE[command])}\n      ${WHAT_EACH_DOES[command]}`,
  );
  return {
    text: `Workato jobs commands: ${escapeMrkdwn(Object.values(USAGE).join(" · "))}`,
    blocks: [header("Workato jobs"), section(commands.join("\n")), context(escapeMrkdwn(CUSTOMER_USAGE))],
  };
}

/** For a command that could not be understood; `problem` is plain text, shown escaped. */
export function buildUsageError(problem: string, usageLine: string): SlackMessage {
  const shownProblem = escapeTruncated(problem, 1000);
  return {
    text: `${shownProblem} Usage: ${escapeMrkdwn(usageLine)}`,
    blocks: [
      section(`:warning: ${shownProblem}`),
      section(`*Usage:* ${usageCode(usageLine)}`),
      context(`${usageCode(USAGE.help)} lists every command. ${escapeMrkdwn(CUSTOMER_USAGE)}`),
    ],
  };
}

/** For a Workato call that failed (sent ephemerally); both texts are plain and shown escaped. */
export function buildErrorMessage(whatHappened: string, whatToDo?: string): SlackMessage {
  const happened = escapeTruncated(whatHappened, SLACK_LIMITS.sectionText - 20);
  const blocks = [section(`:x: ${happened}`)];
  if (whatToDo !== undefined && whatToDo.trim() !== "") {
    blocks.push(section(escapeTruncated(whatToDo, SLACK_LIMITS.sectionText)));
  }
  return { text: truncate(happened, 1000), blocks };
}
