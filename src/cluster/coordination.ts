// How this replica coordinates with the others: its named leases (watch poller, repeat dispatcher, digest), the
// Workato budget every replica shares, where typed repeats wait for their confirmation, and the "repeat recorded"
// wake-up. On Postgres all of it goes through the database; in one process (SQLite), the same shapes, held locally.
import type { Pool } from "pg";
import type { Logger } from "pino";
import { type Clock, systemClock } from "../clock.js";
import type { MetricsRecorder } from "../metrics/metrics.js";
import { createPendingRepeats, type PendingRepeats } from "../repeat/pending-repeats.js";
import { openPool } from "../store/postgres-pool.js";
import type { WorkatoBudget } from "../workato/budget.js";
import { REPEAT_MIN_INTERVAL_MS } from "../workato/limits.js";
import { createPostgresLease, createSingleProcessLease, type Lease, replicaId } from "./lease.js";
import { createRepeatAnnouncements, type RepeatAnnouncements } from "./repeat-announcements.js";
import { openSharedBudget } from "./shared-budget.js";
import { createSharedPendingRepeats } from "./shared-pending-repeats.js";

export const LEASE_NAMES = {
  poller: "watch-poller",
  dispatcher: "repeat-dispatcher",
  digest: "digest",
} as const;

export interface Coordination {
  /** this replica's name in the leases table and its logs */
  readonly holder: string;
  readonly leases: { readonly [K in keyof typeof LEASE_NAMES]: Lease };
  /** the budget the Workato client asks; `local` unless replicas share one */
  readonly budget: WorkatoBudget;
  readonly pendingRepeats: PendingRepeats;
  /** absent in one process, where the dispatcher is woken directly */
  readonly announcements?: Pick<RepeatAnnouncements, "announce" | "onAnnounced">;
  /** Tries to take every lease (resolves after the first attempts); each then runs while held. */
  start(): Promise<void>;
  /** Releases the leases that are left (the dispatcher's is released first, by the caller) and closes the pool. */
  stop(): Promise<void>;
}

export interface CoordinationOptions {
  /** postgres://… (DATABASE_URL, already migrated by the store); undefined for one process on SQLite */
  databaseUrl: string | undefined;
  /** REPLICA_NAME / DYNO / host name: the readable part of this replica's holder name */
  replicaName: string;
  /** this process's own budget: SQLite's, and the repeat family's on Postgres (one dispatcher sends repeats) */
  local: WorkatoBudget;
  /** the app's clock, for pending repeats' expiry; leases and the budget keep the system clock (real timers) */
  clock: Clock;
  logger: Logger;
  metrics?: Pick<MetricsRecorder, "leader">;
}

/**
 * Lease timings: a holder that dies is replaced within TTL + one attempt (11 s, under the 15 s promised); a holder
 * renews every second, so a SIGTERM hand-over (the row released) is taken up within about a second.
 */
const LEASE_TTL_MS = 10_000;
const LEASE_ATTEMPT_EVERY_MS = 1_000;
const LEASE_FENCE_MARGIN_MS = 2_000;
/** leases, the budget's counters, pending repeats, LISTEN: a few connections beside the store's pool */
const COORDINATION_CONNECTIONS = 4;

export async function openCoordination(options: CoordinationOptions): Promise<Coordination> {
  const holder = replicaId(options.replicaName);
  const log = options.logger.child({ component: "coordination", replica: holder });
  if (!options.databaseUrl) return singleProcess(holder, options);

  const pool = openPool({
    connectionString: options.databaseUrl,
    onConnectionError: (error) => log.warn({ err: error }, "a pooled coordination connection failed"),
    maxConnections: COORDINATION_CONNECTIONS,
  });
  try {
    return await onPostgres(pool, holder, options);
  } catch (error) {
    await pool.end();
    throw error;
  }
}

async function onPostgres(pool: Pool, holder: string, options: CoordinationOptions): Promise<Coordination> {
  // rate-limiter-flexible dates its windows by Date.now(): the system clock, whatever clock the app was given.
  const budget = await openSharedBudget({
    pool,
    clock: systemClock,
    logger: options.logger,
    repeatBudget: options.local,
  });
  const lease = (name: string, releaseGapMs = 0) =>
    createPostgresLease({
      pool,
      name,
      holder,
      ttlMs: LEASE_TTL_MS,
      renewEveryMs: LEASE_ATTEMPT_EVERY_MS,
      fenceMarginMs: LEASE_FENCE_MARGIN_MS,
      // The successor's first repeat request keeps a full gap after this holder's last.
      releaseGapMs,
      clock: systemClock,
      logger: options.logger,
    });
  const leases = {
    poller: lease(LEASE_NAMES.poller),
    dispatcher: lease(LEASE_NAMES.dispatcher, REPEAT_MIN_INTERVAL_MS),
    digest: lease(LEASE_NAMES.digest),
  };
  const announcements = createRepeatAnnouncements(pool, options.logger);
  const reportLeadership = reportLeases(leases, options.metrics);
  return {
    holder,
    leases,
    budget,
    pendingRepeats: createSharedPendingRepeats(pool, options.clock),
    announcements,
    async start() {
      await Promise.all(Object.values(leases).map((each) => each.start()));
    },
    async stop() {
      await Promise.all(Object.values(leases).map((each) => each.stop()));
      reportLeadership();
      await announcements.close();
      await pool.end();
    },
  };
}

function singleProcess(holder: string, options: CoordinationOptions): Coordination {
  const leases = {
    poller: createSingleProcessLease(LEASE_NAMES.poller, holder),
    dispatcher: createSingleProcessLease(LEASE_NAMES.dispatcher, holder),
    digest: createSingleProcessLease(LEASE_NAMES.digest, holder),
  };
  const reportLeadership = reportLeases(leases, options.metrics);
  return {
    holder,
    leases,
    budget: options.local,
    pendingRepeats: createPendingRepeats(options.clock),
    async start() {
      await Promise.all(Object.values(leases).map((each) => each.start()));
    },
    async stop() {
      await Promise.all(Object.values(leases).map((each) => each.stop()));
      reportLeadership();
    },
  };
}

/** `leader{lease,replica}` follows every lease from now on (0 until taken); returns the unsubscribe. */
function reportLeases(leases: Record<string, Lease>, metrics: CoordinationOptions["metrics"]): () => void {
  if (!metrics) return () => {};
  const offs = Object.values(leases).map((each) => {
    metrics.leader(each.name, each.isHeld());
    return each.onChange((held) => metrics.leader(each.name, held));
  });
  return () => {
    for (const off of offs) off();
  };
}
