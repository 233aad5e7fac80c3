// Durable state of daily digests: each channel's schedule with the last day it was sent, and the log of watched
// failures (one row per alerted job) that a digest counts over its 24 hours.

/** A channel's daily digest. */
export interface DigestSchedule {
  channel: string;
  /** "HH:MM", 24-hour, in `timeZone` */
  timeOfDay: string;
  /** an IANA time zone ("UTC", "Europe/Berlin") */
  timeZone: string;
  setBy: string;
  setAt: number;
  /** the local day ("YYYY-MM-DD" in `timeZone`) of the newest digest taken for sending; null before the first */
  lastSentDay: string | null;
}

/** One failed job of a watch, as alerted (in a new alert or in an alert's thread). */
export interface WatchFailureRecord {
  watchId: number;
  jobId: string;
  /** the job a repeat takes for this one (a repeat's original) */
  masterJobId: string;
  signature: string;
  /** the error's first line as Workato wrote it */
  firstLine: string;
  /** when the bot alerted it (ms epoch) */
  seenAt: number;
}

export interface DigestStore {
  /** Creates or replaces the channel's digest (time, zone, who, last day) as given. */
  saveDigest(schedule: DigestSchedule): void;
  removeDigest(channel: string): boolean;
  digestOf(channel: string): DigestSchedule | undefined;
  digests(): DigestSchedule[];
  /**
   * Takes `day` for sending the channel's digest: true when this call moved lastSentDay forward to it, false when
   * that day (or a later one) was already taken. One statement decides, so two replicas cannot both send a day.
   */
  claimDigestDay(channel: string, day: string): boolean;
  /** Records alerted failures; a job already recorded for the watch is kept as it was. */
  recordWatchFailures(failures: readonly WatchFailureRecord[]): void;
  /** Failures of these watches alerted at or after `since`, oldest first. */
  watchFailuresSince(watchIds: readonly number[], since: number): WatchFailureRecord[];
  /** The log is only read 24 hours back: older rows are dropped. */
  forgetWatchFailuresBefore(at: number): void;
}
