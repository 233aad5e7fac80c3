// The `<when>` of `repeat … failed since <when>`: a span back from now (30m, 2h, 3d), today, or an ISO 8601
// date-time with an offset or Z. Pure: the caller passes the time, and the time zone that "today" starts in.

export type SinceParse = { ok: true; since: number } | { ok: false; problem: string };

export const SINCE_EXAMPLES =
  "`since 30m`, `since 2h`, `since 3d`, `since today` or `since 2025-03-04T02:00Z`";

const SPAN = /^(\d{1,4})(m|h|d)$/i;
const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
/** Workato keeps jobs 90 days at most: a span further back can only mean a typo. */
const MAX_SPAN_MS = 90 * UNIT_MS.d;
// A date and a time, seconds and fractions optional, then Z or ±hh:mm: a time without a zone is ambiguous.
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * `text` as the epoch ms it names. `timeZone` (an IANA name, e.g. from Slack's users.info) says where "today"
 * began; UTC when absent or unknown.
 */
export function parseSince(text: string, now: number, timeZone?: string): SinceParse {
  const word = text.trim();
  const span = SPAN.exec(word);
  if (span) {
    const unit = (span[2] as string).toLowerCase() as keyof typeof UNIT_MS;
    const ms = Number(span[1]) * UNIT_MS[unit];
    if (ms === 0) return refuse(`"${word}" is no time at all.`);
    if (ms > MAX_SPAN_MS)
      return refuse(`"${word}" is further back than Workato keeps jobs (90 days at most).`);
    return { ok: true, since: now - ms };
  }
  if (word.toLowerCase() === "today") return { ok: true, since: startOfDay(now, timeZone) };
  if (ISO_WITH_ZONE.test(word)) {
    const since = Date.parse(word.replace(/([+-]\d{2})(\d{2})$/, "$1:$2"));
    if (Number.isNaN(since) || !isRealDate(word))
      return refuse(`"${shortened(word)}" is not a date and time that exists.`);
    if (since > now) return refuse(`${new Date(since).toISOString()} is in the future.`);
    return { ok: true, since };
  }
  if (/^\d{4}-\d{2}-\d{2}(T[\d:.]+)?$/.test(word)) {
    return refuse(`"${shortened(word)}" has no time zone: add Z for UTC or an offset such as +02:00.`);
  }
  return refuse(`"${shortened(word)}" is not a time I can read.`);
}

/** Date.parse rolls 2025-02-30 over into March; a typed date must exist as written. */
function isRealDate(iso: string): boolean {
  const [year, month, day] = iso.slice(0, 10).split("-").map(Number) as [number, number, number];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth;
}

function refuse(problem: string): SinceParse {
  return { ok: false, problem: `${problem} Use ${SINCE_EXAMPLES}.` };
}

function shortened(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** Midnight of `now`'s day in `timeZone` (UTC when absent or unknown), as epoch ms. */
export function startOfDay(now: number, timeZone?: string): number {
  const offset = zoneOffsetMs(now, timeZone);
  const local = now + offset;
  const localMidnight = local - (((local % UNIT_MS.d) + UNIT_MS.d) % UNIT_MS.d);
  // The offset at midnight can differ from now's (a DST change in the night); one correction settles it.
  return localMidnight - zoneOffsetMs(localMidnight - offset, timeZone);
}

/** How far `timeZone`'s wall clock is ahead of UTC at `at`; 0 for UTC or a zone Intl does not know. */
function zoneOffsetMs(at: number, timeZone: string | undefined): number {
  if (timeZone === undefined || timeZone === "" || timeZone === "UTC") return 0;
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    }).formatToParts(at);
  } catch {
    return 0;
  }
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wall = Date.UTC(
    part("year"),
    part("month") - 1,
    part("day"),
    part("hour"),
    part("minute"),
    part("second"),
  );
  return wall - (at - (at % 1000));
}
