// When a daily digest is due: "HH:MM" in a time zone against the one clock's instant, as local days. Pure: no I/O.

export const DEFAULT_DIGEST_TIME_ZONE = "UTC";

/** "9:00", "09:00", "17:30" → "HH:MM"; null for anything else. */
export function parseTimeOfDay(text: string): string | null {
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(text.trim());
  if (!match) return null;
  return `${(match[1] as string).padStart(2, "0")}:${match[2] as string}`;
}

/** The zone's canonical IANA name ("utc" → "UTC", "europe/berlin" → "Europe/Berlin"), or null if unknown. */
export function canonicalTimeZone(text: string): string | null {
  if (text.length === 0 || text.length > 64) return null;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: text }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

export interface LocalTime {
  /** "YYYY-MM-DD" */
  day: string;
  /** minutes since local midnight */
  minutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The local day and time of an instant in a zone. */
export function localTime(at: number, timeZone: string): LocalTime {
  const parts = Object.fromEntries(
    formatterFor(timeZone)
      .formatToParts(at)
      .map((part) => [part.type, part.value]),
  );
  return {
    day: `${parts.year}-${parts.month}-${parts.day}`,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

/** "HH:MM" of an instant in a zone. */
export function timeOfDayAt(at: number, timeZone: string): string {
  const { minutes } = localTime(at, timeZone);
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}

function minutesOf(timeOfDay: string): number {
  const [hours, minutes] = timeOfDay.split(":").map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}

function addDays(day: string, days: number): string {
  const [year, month, date] = day.split("-").map(Number);
  return new Date(Date.UTC(year ?? 1970, (month ?? 1) - 1, (date ?? 1) + days)).toISOString().slice(0, 10);
}

/** The calendar day before "YYYY-MM-DD". */
export function dayBefore(day: string): string {
  return addDays(day, -1);
}

/** The calendar day after "YYYY-MM-DD". */
export function dayAfter(day: string): string {
  return addDays(day, 1);
}

/** The local day of the newest digest time at or before `at`: today once the time has come, yesterday before it. */
export function latestDueDay(at: number, timeOfDay: string, timeZone: string): string {
  const now = localTime(at, timeZone);
  return now.minutes >= minutesOf(timeOfDay) ? now.day : dayBefore(now.day);
}

/**
 * Whether a digest is due: its newest time has come and that day was not taken yet. A bot that was down at the time
 * sends it late when it is back (once, however long it was down); it never sends a day twice.
 */
export function dueDay(
  schedule: { timeOfDay: string; timeZone: string; lastSentDay: string | null },
  at: number,
): string | null {
  const day = latestDueDay(at, schedule.timeOfDay, schedule.timeZone);
  return schedule.lastSentDay === null || schedule.lastSentDay < day ? day : null;
}

/** "09:00 UTC", "17:30 Europe/Berlin": how a digest's time is stated everywhere. */
export function describeDigestTime(schedule: { timeOfDay: string; timeZone: string }): string {
  return `${schedule.timeOfDay} ${schedule.timeZone}`;
}
