// Why a recipe is not running, in words: Workato's stop_cause codes as people read them, the one table every
// message uses (recipe lists, the recipe-stopped alert, App Home). Plain text.

const KNOWN_CAUSES: Readonly<Record<string, string>> = {
  trigger_errors_limit: "its trigger kept failing",
  action_quota_limit: "the task quota ran out",
  action_quota_exceeded: "the task quota ran out",
  connection_errors_limit: "a connection kept failing",
  connection_error: "a connection kept failing",
  disconnected: "a connection it uses was disconnected",
};

/**
 * "its trigger kept failing" for trigger_errors_limit; an unknown code is shown as its words ("some_new_cause" →
 * "some new cause"), once: text that is already words comes back as it is.
 */
export function stopCauseWords(cause: string): string {
  return Object.hasOwn(KNOWN_CAUSES, cause)
    ? (KNOWN_CAUSES[cause] as string)
    : cause.replaceAll("_", " ").replace(/\s+/g, " ").trim();
}

/** "stopped by Workato: its trigger kept failing" when Workato stopped it by itself; "stopped" when a person did. */
export function stoppedWords(stopCause: string | null): string {
  return stopCause === null || stopCause.trim() === ""
    ? "stopped"
    : `stopped by Workato: ${stopCauseWords(stopCause)}`;
}
