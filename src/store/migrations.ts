// Versioned schema migrations, applied in order at start-up; PRAGMA user_version records how far a file got.
import type { Database } from "better-sqlite3";

const MIGRATIONS: readonly string[] = [
  // 1: repeats, their jobs, button claims
  `
  CREATE TABLE repeats (
    id INTEGER PRIMARY KEY,
    user_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    thread_ts TEXT NOT NULL,
    customer TEXT NOT NULL,
    recipe_id INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    finished_at INTEGER
  );
  CREATE INDEX repeats_unfinished ON repeats (finished_at) WHERE finished_at IS NULL;
  CREATE INDEX repeats_by_channel ON repeats (channel, created_at);
  CREATE TABLE repeat_batches (
    id INTEGER PRIMARY KEY,
    sent_at INTEGER NOT NULL
  );
  CREATE TABLE repeat_jobs (
    repeat_id INTEGER NOT NULL REFERENCES repeats (id),
    job_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('waiting', 'in_flight', 'done')),
    batch_id INTEGER REFERENCES repeat_batches (id),
    outcome TEXT CHECK (outcome IN ('enqueued', 'failed', 'unknown')),
    new_job_id TEXT,
    type_id TEXT,
    message TEXT,
    batch_number INTEGER,
    PRIMARY KEY (repeat_id, job_id)
  );
  CREATE TABLE claims (
    key TEXT PRIMARY KEY,
    user_id TEXT NOT NULL,
    at INTEGER NOT NULL
  );
  `,
  // 2: watches, mutes, alert threads
  `
  CREATE TABLE watches (
    id INTEGER PRIMARY KEY,
    channel TEXT NOT NULL,
    customer TEXT NOT NULL,
    recipe_id INTEGER NOT NULL,
    mentions TEXT NOT NULL DEFAULT '[]',
    created_by TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    cursor_job_id TEXT,
    cursor_started_at TEXT,
    last_polled_at INTEGER,
    consecutive_auth_failures INTEGER NOT NULL DEFAULT 0,
    paused_reason TEXT,
    UNIQUE (channel, customer, recipe_id)
  );
  CREATE TABLE mutes (
    watch_id INTEGER NOT NULL REFERENCES watches (id) ON DELETE CASCADE,
    signature TEXT NOT NULL,
    until INTEGER NOT NULL,
    PRIMARY KEY (watch_id, signature)
  );
  CREATE TABLE alert_threads (
    watch_id INTEGER NOT NULL REFERENCES watches (id) ON DELETE CASCADE,
    signature TEXT NOT NULL,
    channel TEXT NOT NULL,
    ts TEXT NOT NULL,
    first_seen_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    count INTEGER NOT NULL,
    job_ids TEXT NOT NULL,
    PRIMARY KEY (watch_id, signature)
  );
  `,
  // 3: follow-ups of repeats (outcomes of the new jobs, what was reported), repeats found by master job
  `
  CREATE TABLE repeat_follow_ups (
    repeat_id INTEGER PRIMARY KEY REFERENCES repeats (id),
    started_at INTEGER NOT NULL,
    finished_at INTEGER,
    finish_reason TEXT CHECK (finish_reason IN ('settled', 'time_limit')),
    reported_counts TEXT
  );
  CREATE INDEX repeat_follow_ups_unfinished ON repeat_follow_ups (finished_at) WHERE finished_at IS NULL;
  CREATE TABLE repeat_job_outcomes (
    repeat_id INTEGER NOT NULL,
    job_id TEXT NOT NULL,
    new_job_id TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('running', 'succeeded', 'failed')),
    error TEXT,
    completed_at INTEGER,
    settled_at INTEGER,
    reported INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (repeat_id, job_id),
    FOREIGN KEY (repeat_id, job_id) REFERENCES repeat_jobs (repeat_id, job_id)
  );
  CREATE INDEX repeat_job_outcomes_by_new_job ON repeat_job_outcomes (repeat_id, new_job_id);
  CREATE INDEX repeat_jobs_by_job ON repeat_jobs (job_id);
  `,
  // 4: alerts that stay true: what a redraw needs on alert threads, whether they resolved, the watch's completion mark
  `
  ALTER TABLE watches ADD COLUMN cursor_completed_at TEXT;
  ALTER TABLE alert_threads ADD COLUMN first_line TEXT NOT NULL DEFAULT '';
  ALTER TABLE alert_threads ADD COLUMN jobs TEXT NOT NULL DEFAULT '[]';
  ALTER TABLE alert_threads ADD COLUMN mentioned INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE alert_threads ADD COLUMN resolved_at INTEGER;
  CREATE INDEX alert_threads_unresolved ON alert_threads (last_seen_at) WHERE resolved_at IS NULL;
  `,
  // recovery plans (repeat … failed since …): the since it was read with, again, and who stopped it
  `
  CREATE TABLE recovery_plans (
    repeat_id INTEGER PRIMARY KEY REFERENCES repeats (id),
    since INTEGER,
    again INTEGER NOT NULL DEFAULT 0,
    stopped_by TEXT,
    stopped_at INTEGER
  );
  `,
  // daily digests (time, zone, last day sent) per channel, and the log of alerted failures a digest counts
  `
  CREATE TABLE digests (
    channel TEXT PRIMARY KEY,
    time_of_day TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    set_by TEXT NOT NULL,
    set_at INTEGER NOT NULL,
    last_sent_day TEXT
  );
  CREATE TABLE watch_failures (
    watch_id INTEGER NOT NULL REFERENCES watches (id) ON DELETE CASCADE,
    job_id TEXT NOT NULL,
    master_job_id TEXT NOT NULL,
    signature TEXT NOT NULL,
    first_line TEXT NOT NULL,
    seen_at INTEGER NOT NULL,
    PRIMARY KEY (watch_id, job_id)
  );
  CREATE INDEX watch_failures_by_time ON watch_failures (seen_at);
  `,
  // repeat summaries: the message a repeat's follow-up edits in place as its new jobs finish
  `
  CREATE TABLE repeat_summaries (
    repeat_id INTEGER PRIMARY KEY REFERENCES repeats (id),
    ts TEXT NOT NULL
  );
  `,
  // results posted: a result counts as in its thread only once Slack accepted the reply; rows done before this
  // version were counted as posted when recorded, so they keep that
  `
  ALTER TABLE repeat_jobs ADD COLUMN posted INTEGER NOT NULL DEFAULT 0;
  UPDATE repeat_jobs SET posted = 1 WHERE state = 'done';
  `,
  // posted views: the messages that show stored state (alerts, their replies, stopped recipes), redrawn on change
  `
  CREATE TABLE posted_views (
    channel TEXT NOT NULL,
    ts TEXT NOT NULL,
    thread_ts TEXT,
    kind TEXT NOT NULL,
    customer TEXT NOT NULL,
    recipe_id INTEGER NOT NULL,
    watch_id INTEGER,
    job_ids TEXT NOT NULL,
    shows TEXT NOT NULL,
    posted_at INTEGER NOT NULL,
    PRIMARY KEY (channel, ts)
  );
  CREATE INDEX posted_views_by_recipe ON posted_views (customer, recipe_id, posted_at);
  CREATE INDEX posted_views_by_watch ON posted_views (watch_id, posted_at);
  `,
  // on call: who took each alert, hand resolutions and the jobs they cover, escalation steps called; each
  // watch's escalation steps
  `
  CREATE TABLE alert_states (
    channel TEXT NOT NULL,
    ts TEXT NOT NULL,
    watch_id INTEGER NOT NULL,
    taken_by TEXT,
    taken_at INTEGER,
    resolved_by TEXT,
    resolved_at INTEGER,
    resolved_reason TEXT,
    escalated_steps INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (channel, ts)
  );
  CREATE TABLE hand_resolved_jobs (
    channel TEXT NOT NULL,
    ts TEXT NOT NULL,
    customer TEXT NOT NULL,
    recipe_id INTEGER NOT NULL,
    master_job_id TEXT NOT NULL,
    PRIMARY KEY (channel, ts, master_job_id)
  );
  CREATE INDEX hand_resolved_by_recipe ON hand_resolved_jobs (customer, recipe_id, master_job_id);
  CREATE TABLE watch_escalations (
    watch_id INTEGER PRIMARY KEY,
    steps TEXT NOT NULL
  );
  `,
  // a watch's runbook: the page its alerts link to
  `
  ALTER TABLE watches ADD COLUMN runbook_url TEXT;
  `,
  // who muted each kind of error: the alert is redrawn from the store, saying who
  `
  ALTER TABLE mutes ADD COLUMN muted_by TEXT;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Applies the migrations this file has not seen yet, each in its own transaction. */
export function migrate(db: Database): void {
  const current = db.pragma("user_version", { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new Error(
      `The database was written by a newer version of workato-jobs (schema ${current}; this version knows ${SCHEMA_VERSION}).`,
    );
  }
  for (let version = current; version < SCHEMA_VERSION; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version] as string);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
