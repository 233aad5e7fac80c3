// The rows of the digest tables (same names in SQLite and Postgres) and their mapping to records.
import type { DigestSchedule, WatchFailureRecord } from "./digest-store.js";

export interface DigestRow {
  channel: string;
  time_of_day: string;
  time_zone: string;
  set_by: string;
  set_at: number;
  last_sent_day: string | null;
}

export interface WatchFailureRow {
  watch_id: number;
  job_id: string;
  master_job_id: string;
  signature: string;
  first_line: string;
  seen_at: number;
}

export function toDigest(row: DigestRow): DigestSchedule {
  return {
    channel: row.channel,
    timeOfDay: row.time_of_day,
    timeZone: row.time_zone,
    setBy: row.set_by,
    setAt: Number(row.set_at),
    lastSentDay: row.last_sent_day,
  };
}

export function toWatchFailure(row: WatchFailureRow): WatchFailureRecord {
  return {
    watchId: Number(row.watch_id),
    jobId: row.job_id,
    masterJobId: row.master_job_id,
    signature: row.signature,
    firstLine: row.first_line,
    seenAt: Number(row.seen_at),
  };
}
