// The Store on SQLite (better-sqlite3): one file, WAL, synchronous commits, so that a write the bot relies on
// (above all "this repeat request is about to be sent") survives a crash of the process.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import type { JobRepeatResult } from "../workato/client.js";
import { migrate } from "./migrations.js";
import {
  type AlertThreadRow,
  alertThreadRow,
  doneResult,
  type RepeatJobRow,
  type RepeatRow,
  type RepeatSummarySqlRow,
  resultColumns,
  toAlertThread,
  toRepeat,
  toRepeatJob,
  toRepeatSummary,
  toWatch,
  type WatchRow,
  watchPollAssignments,
  watchUpsertValues,
} from "./sql-rows.js";
import { createSqliteAlertStates } from "./sqlite-alert-states.js";
import { createSqliteDigests } from "./sqlite-digests.js";
import { createSqliteFollowUps } from "./sqlite-follow-ups.js";
import { createSqliteRecoveryPlans } from "./sqlite-recovery-plans.js";
import { createSqliteViews } from "./sqlite-views.js";
import type { Store } from "./store.js";

export function openSqliteStore(path: string): Store {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  // NORMAL in WAL mode: a commit survives the process dying (kill -9, a crash), and the event loop is not held up
  // by an fsync per write. The one write that must survive the machine dying too is markInFlight (FULL below).
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  db.pragma("busy_timeout = 5000");
  migrate(db);

  const statements = {
    insertRepeat: db.prepare<[string, string, string, string, number, number], RepeatRow>(
      "INSERT INTO repeats (user_id, channel, thread_ts, customer, recipe_id, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING *",
    ),
    insertRepeatJob: db.prepare(
      "INSERT OR IGNORE INTO repeat_jobs (repeat_id, job_id, position, state) VALUES (?, ?, ?, 'waiting')",
    ),
    insertBatch: db.prepare<[number], { id: number }>(
      "INSERT INTO repeat_batches (sent_at) VALUES (?) RETURNING id",
    ),
    markInFlight: db.prepare(
      "UPDATE repeat_jobs SET state = 'in_flight', batch_id = ? WHERE repeat_id = ? AND job_id = ? AND state = 'waiting'",
    ),
    markWaiting: db.prepare(
      "UPDATE repeat_jobs SET state = 'waiting', batch_id = NULL WHERE repeat_id = ? AND job_id = ? AND state = 'in_flight'",
    ),
    recordResult: db.prepare(
      `UPDATE repeat_jobs SET state = 'done', outcome = ?, new_job_id = ?, type_id = ?, message = ?, batch_number = ?
       WHERE repeat_id = ? AND job_id = ? AND state != 'done'`,
    ),
    finishRepeat: db.prepare("UPDATE repeats SET finished_at = ? WHERE id = ?"),
    unfinished: db.prepare<[], RepeatRow>("SELECT * FROM repeats WHERE finished_at IS NULL ORDER BY id"),
    repeatJobs: db.prepare<[number], RepeatJobRow>(
      `SELECT j.*, b.sent_at FROM repeat_jobs j LEFT JOIN repeat_batches b ON b.id = j.batch_id
       WHERE j.repeat_id = ? ORDER BY j.position`,
    ),
    batchesReported: db.prepare<[number], { n: number | null }>(
      "SELECT MAX(batch_number) AS n FROM repeat_jobs WHERE repeat_id = ?",
    ),
    markPosted: db.prepare(
      "UPDATE repeat_jobs SET posted = 1 WHERE repeat_id = ? AND job_id = ? AND state = 'done'",
    ),
    unposted: db.prepare<[number], RepeatJobRow>(
      `SELECT j.*, NULL AS sent_at FROM repeat_jobs j WHERE j.repeat_id = ? AND j.state = 'done' AND j.posted = 0
       ORDER BY j.batch_number, j.position`,
    ),
    claim: db.prepare("INSERT OR IGNORE INTO claims (key, user_id, at) VALUES (?, ?, ?)"),
    claimHolder: db.prepare<[string], { user_id: string }>("SELECT user_id FROM claims WHERE key = ?"),
    release: db.prepare("DELETE FROM claims WHERE key = ?"),
    forgetClaims: db.prepare("DELETE FROM claims WHERE at < ?"),
    // The last value says whether the runbook given replaces the stored one (1) or the stored one stays (0).
    upsertWatch: db.prepare<
      [string, string, number, string, string, number, string | null, number],
      WatchRow
    >(
      `INSERT INTO watches (channel, customer, recipe_id, mentions, created_by, created_at, runbook_url)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (channel, customer, recipe_id) DO UPDATE SET mentions = excluded.mentions, paused_reason = NULL,
         consecutive_auth_failures = 0,
         runbook_url = CASE WHEN ? = 1 THEN excluded.runbook_url ELSE watches.runbook_url END
       RETURNING *`,
    ),
    removeWatch: db.prepare("DELETE FROM watches WHERE channel = ? AND customer = ? AND recipe_id = ?"),
    allWatches: db.prepare<[], WatchRow>("SELECT * FROM watches ORDER BY id"),
    channelWatches: db.prepare<[string], WatchRow>("SELECT * FROM watches WHERE channel = ? ORDER BY id"),
    watch: db.prepare<[number], WatchRow>("SELECT * FROM watches WHERE id = ?"),
    setMute: db.prepare(
      "INSERT INTO mutes (watch_id, signature, until, muted_by) VALUES (?, ?, ?, ?) ON CONFLICT (watch_id, signature) DO UPDATE SET until = excluded.until, muted_by = excluded.muted_by",
    ),
    mutedBy: db.prepare<[number, string], { muted_by: string | null }>(
      "SELECT muted_by FROM mutes WHERE watch_id = ? AND signature = ?",
    ),
    mutedUntil: db.prepare<[number, string], { until: number }>(
      "SELECT until FROM mutes WHERE watch_id = ? AND signature = ?",
    ),
    alertThread: db.prepare<[number, string], AlertThreadRow>(
      "SELECT * FROM alert_threads WHERE watch_id = ? AND signature = ?",
    ),
    saveAlertThread: db.prepare<[AlertThreadRow]>(
      `INSERT INTO alert_threads (watch_id, signature, channel, ts, first_seen_at, last_seen_at, count, job_ids,
         first_line, jobs, mentioned, resolved_at)
       VALUES (@watch_id, @signature, @channel, @ts, @first_seen_at, @last_seen_at, @count, @job_ids,
         @first_line, @jobs, @mentioned, @resolved_at)
       ON CONFLICT (watch_id, signature) DO UPDATE SET channel = excluded.channel, ts = excluded.ts,
         first_seen_at = excluded.first_seen_at, last_seen_at = excluded.last_seen_at, count = excluded.count,
         job_ids = excluded.job_ids, first_line = excluded.first_line, jobs = excluded.jobs,
         mentioned = excluded.mentioned, resolved_at = excluded.resolved_at`,
    ),
    mutes: db.prepare<[number], { signature: string; until: number }>(
      "SELECT signature, until FROM mutes WHERE watch_id = ? ORDER BY signature",
    ),
    allAlertThreads: db.prepare<[], AlertThreadRow>(
      "SELECT * FROM alert_threads ORDER BY first_seen_at, watch_id, signature",
    ),
    watchAlertThreads: db.prepare<[number], AlertThreadRow>(
      "SELECT * FROM alert_threads WHERE watch_id = ? ORDER BY first_seen_at, watch_id, signature",
    ),
    unresolvedAlertThreads: db.prepare<[number], AlertThreadRow>(
      "SELECT * FROM alert_threads WHERE resolved_at IS NULL AND last_seen_at >= ? ORDER BY first_seen_at, watch_id, signature",
    ),
    unresolvedWatchAlertThreads: db.prepare<[number, number], AlertThreadRow>(
      "SELECT * FROM alert_threads WHERE watch_id = ? AND resolved_at IS NULL AND last_seen_at >= ? ORDER BY first_seen_at, watch_id, signature",
    ),
  };

  const markInFlight = db.transaction(
    (items: readonly { repeatId: number; jobId: string }[], sentAt: number) => {
      const batch = statements.insertBatch.get(sentAt);
      if (!batch) throw new Error("could not record a repeat batch");
      for (const item of items) statements.markInFlight.run(batch.id, item.repeatId, item.jobId);
      return batch.id;
    },
  );

  return {
    ...createSqliteFollowUps(db),
    ...createSqliteDigests(db),
    ...createSqliteViews(db),
    ...createSqliteRecoveryPlans(db),
    ...createSqliteAlertStates(db),

    createRepeat: db.transaction((repeat, jobIds: readonly string[], at: number) => {
      const row = statements.insertRepeat.get(
        repeat.userId,
        repeat.channel,
        repeat.threadTs,
        repeat.customer,
        repeat.recipeId,
        at,
      );
      if (!row) throw new Error("could not record the repeat");
      for (const [position, jobId] of jobIds.entries())
        statements.insertRepeatJob.run(row.id, jobId, position);
      return toRepeat(row);
    }),

    markInFlight(items, sentAt) {
      // "About to be sent" must be on disk before the request leaves, whatever happens to the machine.
      db.pragma("synchronous = FULL");
      try {
        return markInFlight(items, sentAt);
      } finally {
        db.pragma("synchronous = NORMAL");
      }
    },

    recordResults: db.transaction(
      (repeatId: number, results: readonly JobRepeatResult[], batchNumber: number) => {
        for (const result of results) {
          const { outcome, newJobId, typeId, message } = resultColumns(result);
          statements.recordResult.run(
            outcome,
            newJobId,
            typeId,
            message,
            batchNumber,
            repeatId,
            result.jobId,
          );
        }
      },
    ),

    markWaiting: db.transaction((items: readonly { repeatId: number; jobId: string }[]) => {
      for (const item of items) statements.markWaiting.run(item.repeatId, item.jobId);
    }),

    finishRepeat(repeatId, finishedAt) {
      statements.finishRepeat.run(finishedAt, repeatId);
    },

    unfinishedRepeats() {
      return statements.unfinished.all().map(toRepeat);
    },

    repeatJobs(repeatId) {
      return statements.repeatJobs.all(repeatId).map(toRepeatJob);
    },

    batchesReported(repeatId) {
      return statements.batchesReported.get(repeatId)?.n ?? 0;
    },

    markResultsPosted: db.transaction((repeatId: number, jobIds: readonly string[]) => {
      for (const jobId of jobIds) statements.markPosted.run(repeatId, jobId);
    }),

    unpostedResults(repeatId) {
      return statements.unposted.all(repeatId).flatMap(doneResult);
    },

    recentRepeats(filter) {
      const where: string[] = [];
      const params: (string | number)[] = [];
      if (filter.channel !== undefined) {
        where.push("r.channel = ?");
        params.push(filter.channel);
      }
      if (filter.customer !== undefined) {
        where.push("r.customer = ?");
        params.push(filter.customer);
      }
      if (filter.recipeId !== undefined) {
        where.push("r.recipe_id = ?");
        params.push(filter.recipeId);
      }
      if (filter.userId !== undefined) {
        where.push("r.user_id = ?");
        params.push(filter.userId);
      }
      const rows = db
        .prepare<(string | number)[], RepeatSummarySqlRow>(
          `SELECT r.*, COUNT(j.job_id) AS total,
             SUM(j.outcome = 'enqueued') AS enqueued, SUM(j.outcome = 'failed') AS failed,
             SUM(j.outcome = 'unknown') AS unknown, SUM(j.state != 'done') AS waiting
           FROM repeats r LEFT JOIN repeat_jobs j ON j.repeat_id = r.id
           ${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""}
           GROUP BY r.id ORDER BY r.id DESC LIMIT ?`,
        )
        .all(...params, filter.limit);
      return rows.map(toRepeatSummary);
    },

    claim(key, userId, at) {
      const taken = statements.claim.run(key, userId, at).changes === 1;
      if (taken) return { ok: true };
      return { ok: false, claimedBy: statements.claimHolder.get(key)?.user_id ?? "someone" };
    },

    release(key) {
      statements.release.run(key);
    },

    forgetClaimsBefore(at) {
      statements.forgetClaims.run(at);
    },

    upsertWatch(watch, at) {
      const { values, replaceRunbook } = watchUpsertValues(watch, at);
      const row = statements.upsertWatch.get(...values, replaceRunbook ? 1 : 0);
      if (!row) throw new Error("could not save the watch");
      return toWatch(row);
    },

    removeWatch(channel, customer, recipeId) {
      return statements.removeWatch.run(channel, customer, recipeId).changes > 0;
    },

    watches(filter = {}) {
      const rows =
        filter.channel === undefined
          ? statements.allWatches.all()
          : statements.channelWatches.all(filter.channel);
      return rows.map(toWatch);
    },

    watch(id) {
      const row = statements.watch.get(id);
      return row ? toWatch(row) : undefined;
    },

    updateWatchPoll(id, update) {
      const assignments = watchPollAssignments(update);
      if (assignments.length === 0) return;
      const sets = assignments.map(({ column }) => `${column} = ?`).join(", ");
      db.prepare(`UPDATE watches SET ${sets} WHERE id = ?`).run(...assignments.map(({ value }) => value), id);
    },

    setMute(watchId, signature, until, mutedBy = null) {
      statements.setMute.run(watchId, signature, until, mutedBy);
    },

    mutedBy(watchId, signature) {
      return statements.mutedBy.get(watchId, signature)?.muted_by ?? null;
    },

    mutedUntil(watchId, signature) {
      return statements.mutedUntil.get(watchId, signature)?.until ?? null;
    },

    alertThread(watchId, signature) {
      const row = statements.alertThread.get(watchId, signature);
      return row ? toAlertThread(row) : undefined;
    },

    saveAlertThread(thread) {
      statements.saveAlertThread.run(alertThreadRow(thread));
    },

    mutes(watchId) {
      return statements.mutes.all(watchId);
    },

    alertThreads(filter) {
      const { watchId, unresolvedSince } = filter;
      const rows =
        unresolvedSince === undefined
          ? watchId === undefined
            ? statements.allAlertThreads.all()
            : statements.watchAlertThreads.all(watchId)
          : watchId === undefined
            ? statements.unresolvedAlertThreads.all(unresolvedSince)
            : statements.unresolvedWatchAlertThreads.all(watchId, unresolvedSince);
      return rows.map(toAlertThread);
    },

    close() {
      db.close();
    },
  };
}
