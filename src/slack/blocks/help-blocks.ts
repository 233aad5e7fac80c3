// The command grammar (commands/grammar.ts) as people read it: the help, usage-error and error messages built from it.
import { CUSTOMER_REF_USAGE } from "../../workato/customer-ref.js";
import { SLASH_COMMAND, SUBCOMMAND_NAMES, USAGE, WHAT_EACH_DOES } from "../commands/grammar.js";
import { context, header, type SlackMessage, section } from "./elements.js";
import { escapeMrkdwn, escapeTruncated, truncate } from "./format.js";
import { SLACK_LIMITS } from "./limits.js";

export { USAGE };

export const CUSTOMER_USAGE = `<customer> is ${CUSTOMER_REF_USAGE}, or the customer's name or the start of it (${SLASH_COMMAND} customers lists them).`;

// Usage lines hold <…> placeholders, which Slack would read as links or mentions unless escaped.
function usageCode(usageLine: string): string {
  return `\`${escapeMrkdwn(usageLine)}\``;
}

export function buildHelpMessage(): SlackMessage {
  const commands = SUBCOMMAND_NAMES.map(
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
