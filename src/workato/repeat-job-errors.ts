// Why Workato did not repeat one job of a repeat_jobs request, in words for the on-call reader: its error type_ids
// that people meet, and Workato's own message for the rest. Plain text; the Slack side escapes what it quotes.

const KNOWN_REPEAT_JOB_ERRORS: ReadonlyMap<string, string> = new Map([
  ["err.item.not_found", "job not found (wrong id, or another recipe/customer)"],
  ["err.job.repeat.invalid_id", "not a master job — repeat the original job instead"],
  [
    "err.job.repeat.trigger_data_unavailable.expired",
    "trigger data erased by the retention policy; it can no longer be repeated",
  ],
]);

/** `quote` shows Workato's own message (e.g. escaped and shortened for Slack) when the type_id is not a known one. */
export function describeRepeatJobError(
  typeId: string | null,
  message: string,
  quote: (workatoMessage: string) => string = (text) => text,
): string {
  const known = typeId === null ? undefined : KNOWN_REPEAT_JOB_ERRORS.get(typeId);
  if (known) return known;
  const reason = message.trim();
  return reason === "" ? "Workato refused without a reason" : `Workato refused: ${quote(reason)}`;
}
