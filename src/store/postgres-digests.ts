// DigestStore on Postgres: the same tables and queries as sqlite-digests.ts, answering as promises, safe for replicas
// (claiming a digest day is one conditional UPDATE; recording a failure twice is ON CONFLICT DO NOTHING).
import type { Pool } from "pg";
import { type DigestRow, toDigest, toWatchFailure, type WatchFailureRow } from "./digest-rows.js";
import type { DigestStore } from "./digest-store.js";
import { queryRows } from "./postgres-pool.js";
import type { Promised } from "./store.js";

export function createPostgresDigests(pool: Pool): Promised<DigestStore> {
  return {
    async saveDigest(schedule) {
      await pool.query(
        `INSERT INTO digests (channel, time_of_day, time_zone, set_by, set_at, last_sent_day)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (channel) DO UPDATE SET time_of_day = excluded.time_of_day, time_zone = excluded.time_zone,
           set_by = excluded.set_by, set_at = excluded.set_at, last_sent_day = excluded.last_sent_day`,
        [
          schedule.channel,
          schedule.timeOfDay,
          schedule.timeZone,
          schedule.setBy,
          schedule.setAt,
          schedule.lastSentDay,
        ],
      );
    },
    async removeDigest(channel) {
      return ((await pool.query("DELETE FROM digests WHERE channel = $1", [channel])).rowCount ?? 0) > 0;
    },
    async digestOf(channel) {
      const [row] = await queryRows<DigestRow>(pool, "SELECT * FROM digests WHERE channel = $1", [channel]);
      return row ? toDigest(row) : undefined;
    },
    async digests() {
      return (await queryRows<DigestRow>(pool, "SELECT * FROM digests ORDER BY channel")).map(toDigest);
    },
    async claimDigestDay(channel, day) {
      const claimed = await pool.query(
        "UPDATE digests SET last_sent_day = $1 WHERE channel = $2 AND (last_sent_day IS NULL OR last_sent_day < $1)",
        [day, channel],
      );
      return claimed.rowCount === 1;
    },
    async recordWatchFailures(failures) {
      if (failures.length === 0) return;
      await pool.query(
        `INSERT INTO watch_failures (watch_id, job_id, master_job_id, signature, first_line, seen_at)
         SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[])
         ON CONFLICT DO NOTHING`,
        [
          failures.map((failure) => failure.watchId),
          failures.map((failure) => failure.jobId),
          failures.map((failure) => failure.masterJobId),
          failures.map((failure) => failure.signature),
          failures.map((failure) => failure.firstLine),
          failures.map((failure) => failure.seenAt),
        ],
      );
    },
    async watchFailuresSince(watchIds, since) {
      if (watchIds.length === 0) return [];
      const found = await queryRows<WatchFailureRow>(
        pool,
        `SELECT * FROM watch_failures WHERE watch_id = ANY ($1::bigint[]) AND seen_at >= $2
         ORDER BY seen_at, job_id`,
        [[...watchIds], since],
      );
      return found.map(toWatchFailure);
    },
    async forgetWatchFailuresBefore(at) {
      await pool.query("DELETE FROM watch_failures WHERE seen_at < $1", [at]);
    },
  };
}
