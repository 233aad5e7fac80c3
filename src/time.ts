// Reading the times Workato writes (ISO 8601 text) as epoch ms, for domain code and block builders alike.

/** Epoch ms of an ISO time; null when it is missing, blank or unreadable. */
export function parseIsoTime(iso: string | null | undefined): number | null {
  if (iso === null || iso === undefined || iso.trim() === "") return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}
