// Why a recipe is not running, in words: Workato's stop_cause codes as people read them. Plain text.

const KNOWN_CAUSES: Readonly<Record<string, string>> = {
  trigger_errors_limit: "trigger errors",
  action_quota_exceeded: "the task quota ran out",
  connection_error: "a connection error",
};

/** "trigger errors" for trigger_errors_limit; an unknown code is shown as its words ("some_new_cause" → "some new cause"). */
export function stopCauseWords(cause: string): string {
  return KNOWN_CAUSES[cause] ?? cause.replaceAll("_", " ").trim();
}

/** "stopped by Workato: trigger errors" when Workato stopped it by itself; "stopped" when a person did. */
export function stoppedWords(stopCause: string | null): string {
  return stopCause === null || stopCause.trim() === ""
    ? "stopped"
    : `stopped by Workato: ${stopCauseWords(stopCause)}`;
}
