// What a person is told when the bot's own database cannot be used: nothing was changed, and what to do; and the
// private "still waiting" note a slow Workato answer first gets.

import type { SlackMessage } from "./elements.js";
import { context } from "./elements.js";
import { buildErrorMessage } from "./help-blocks.js";

/** A command the store could not serve: nothing it would have changed was changed. */
export function buildStoreUnreachableMessage(): SlackMessage {
  return buildErrorMessage(
    "I can't reach my database right now; nothing was changed.",
    "Try again in a minute.",
  );
}

/** A watch, mute, digest or confirmation the store could not record: never confirmed. */
export function buildNotSavedMessage(what: string): SlackMessage {
  return buildErrorMessage(
    `${what} not saved: the bot can't reach its database right now, so nothing was changed.`,
    "Try again in a minute.",
  );
}

/** The store file was deleted or replaced under the running bot: it takes no new work an operator has not restored. */
export function buildStoreGoneMessage(): SlackMessage {
  return buildErrorMessage(
    "The bot's database is gone (its file was deleted or replaced while the bot ran); it takes no new work, so nothing was changed.",
    "An operator must restore the database file or restart the bot on purpose; this is in the bot's log and /healthz.",
  );
}

/** Shown privately while Workato (or a write to the bot's database) has not answered; the answer replaces it. */
export function buildStillWaitingMessage(forWhat: "Workato" | "my database"): SlackMessage {
  const text = `Still waiting for ${forWhat}…`;
  return { text, blocks: [context(`:hourglass_flowing_sand: ${text}`)] };
}
