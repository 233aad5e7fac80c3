// DigestStore on SQLite: each channel's digest schedule, and the log of alerted failures a digest counts.
import type { Database } from "better-sqlite3";
import { type DigestRow, toDigest, toWatchFailure, type WatchFailureRow } from "./digest-rows.js";
import type { DigestStore } from "./digest-store.js";

export function createSqliteDigests(db: Database): DigestStore {
  const statements = {
    save: db.prepare(
      `INSERT INTO digests (channel, time_of_day, time_zone, set_by, set_at, last_sent_day)
       VALUES (@channel, @time_of_day, @time_zone, @set_by, @set_at, @last_sent_day)
       ON CONFLICT (channel) DO UPDATE SET time_of_day = excluded.time_of_day, time_zone = excluded.time_zone,
         set_by = excluded.set_by, set_at = excluded.set_at, last_sent_day = excluded.last_sent_day`,
    ),
    remove: db.prepare("DELETE FROM digests WHERE channel = ?"),
    one: db.prepare<[string], DigestRow>("SELECT * FROM digests WHERE channel = ?"),
    all: db.prepare<[], DigestRow>("SELECT * FROM digests ORDER BY channel"),
    claim: db.prepare(
      "UPDATE digests SET last_sent_day = ? WHERE channel = ? AND (last_sent_day IS NULL OR last_sent_day < ?)",
    ),
    recordFailure: db.prepare(
      `INSERT OR IGNORE INTO watch_failures (watch_id, job_id, master_job_id, signature, first_line, seen_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    ),
    failuresSince: db.prepare<[string, number], WatchFailureRow>(
      `SELECT * FROM watch_failures WHERE watch_id IN (SELECT value FROM json_each(?)) AND seen_at >= ?
       ORDER BY seen_at, job_id`,
    ),
    forgetFailures: db.prepare("DELETE FROM watch_failures WHERE seen_at < ?"),
  };

  return {
    saveDigest(schedule) {
      statements.save.run({
        channel: schedule.channel,
        time_of_day: schedule.timeOfDay,
        time_zone: schedule.timeZone,
        set_by: schedule.setBy,
        set_at: schedule.setAt,
        last_sent_day: schedule.lastSentDay,
      });
    },
    removeDigest(channel) {
      return statements.remove.run(channel).changes > 0;
    },
    digestOf(channel) {
      const row = statements.one.get(channel);
      return row ? toDigest(row) : undefined;
    },
    digests() {
      return statements.all.all().map(toDigest);
    },
    claimDigestDay(channel, day) {
      return statements.claim.run(day, channel, day).changes === 1;
    },
    recordWatchFailures: db.transaction((failures) => {
      for (const failure of failures) {
        statements.recordFailure.run(
          failure.watchId,
          failure.jobId,
          failure.masterJobId,
          failure.signature,
          failure.firstLine,
          failure.seenAt,
        );
      }
    }),
    watchFailuresSince(watchIds, since) {
      if (watchIds.length === 0) return [];
      return statements.failuresSince.all(JSON.stringify(watchIds), since).map(toWatchFailure);
    },
    forgetWatchFailuresBefore(at) {
      statements.forgetFailures.run(at);
    },
  };
}
