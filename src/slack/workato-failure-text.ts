// Words a Workato failure for the person in Slack: what happened, and what they can do about it.
import { WorkatoApiError } from "../workato/errors.js";

export interface FailureText {
  whatHappened: string;
  whatToDo?: string;
}

export function describeWorkatoFailure(error: unknown, doing: string): FailureText {
  if (!(error instanceof WorkatoApiError)) {
    return {
      whatHappened: `Something went wrong on the bot's side while ${doing}.`,
      whatToDo: "It has been logged. Try again; if it keeps happening, tell the team that runs this bot.",
    };
  }
  // The error's own message already names the cause and the fix (see workato/errors.ts).
  return { whatHappened: `Could not finish ${doing}. ${error.message}` };
}
