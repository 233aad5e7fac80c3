// A named lease: work that must run once across replicas (poller, repeat dispatcher, digest) runs while its replica
// holds the lease. On Postgres, a row renewed by its holder, expiring by the database's clock; in one process, always held.
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Pool } from "pg";
import type { Logger } from "pino";
import type { Clock } from "../clock.js";
import { queryRows } from "../store/postgres-pool.js";
import { LEASES_TABLE } from "./cluster-schema.js";

export interface Lease {
  readonly name: string;
  /** Takes the lease if it is free, then keeps renewing or retrying; resolves after the first attempt. */
  start(): Promise<void>;
  /** Stops acting at once and frees the lease for the next replica (SIGTERM hand-over). */
  stop(): Promise<void>;
  /** True only while this replica may act: false from `expires_at − fence margin` on if renewing fails. */
  isHeld(): boolean;
  /** Who holds the lease now (any replica), null when nobody does: for logs and /metrics. */
  holder(): Promise<string | null>;
  /** Called with the new state each time isHeld() changes; returns the unsubscribe. */
  onChange(listener: (held: boolean) => void): () => void;
}

export interface PostgresLeaseOptions {
  pool: Pool;
  name: string;
  /** this replica's name in the leases table; see replicaId() */
  holder: string;
  /** how long a taken or renewed lease lasts without renewal; default 10 s */
  ttlMs?: number;
  /** how often the holder renews, and others try to take over; default 3 s */
  renewEveryMs?: number;
  /**
   * A holder that could not renew stops acting this long before its lease expires. Default 2 s: more than the
   * repeat gap (1,015 ms), so a dispatcher that lost its lease never sends a repeat within a second of its successor.
   */
  fenceMarginMs?: number;
  /**
   * On stop(), the lease stays taken this long before anyone else may take it. 0 (default) frees it at once; the
   * repeat dispatcher's lease wants REPEAT_MIN_INTERVAL_MS, so that its successor's first repeat keeps the gap.
   */
  releaseGapMs?: number;
  clock: Clock;
  logger: Logger;
}

const DEFAULT_TTL_MS = 10_000;
const DEFAULT_RENEW_EVERY_MS = 3_000;
const DEFAULT_FENCE_MARGIN_MS = 2_000;

// One atomic statement takes a free or expired lease, or renews our own; expiry is by the database's clock, so
// replicas whose clocks disagree still agree on who holds it. `now()` is read after the statement arrived.
const TAKE_OR_RENEW = `
  INSERT INTO ${LEASES_TABLE} AS lease (name, holder, expires_at)
  VALUES ($1, $2, now() + make_interval(secs => $3::float8))
  ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
  WHERE lease.expires_at < now() OR lease.holder = EXCLUDED.holder
  RETURNING holder`;

const RELEASE = `
  UPDATE ${LEASES_TABLE} SET expires_at = LEAST(expires_at, now() + make_interval(secs => $3::float8))
  WHERE name = $1 AND holder = $2`;

const CURRENT_HOLDER = `SELECT holder FROM ${LEASES_TABLE} WHERE name = $1 AND expires_at > now()`;

/**
 * A name for this replica that no other process shares: its readable name (REPLICA_NAME, DYNO or the host), pid and a
 * random part (pids repeat across dynos).
 */
export function replicaId(name: string = hostname()): string {
  return `${name}:${process.pid}:${randomBytes(3).toString("hex")}`;
}

export function createPostgresLease(options: PostgresLeaseOptions): Lease {
  const { pool, name, holder, clock } = options;
  const ttlMs = options.ttlMs ?? DEFAULT_TTL_MS;
  const renewEveryMs = options.renewEveryMs ?? DEFAULT_RENEW_EVERY_MS;
  const fenceMarginMs = options.fenceMarginMs ?? DEFAULT_FENCE_MARGIN_MS;
  const releaseGapMs = options.releaseGapMs ?? 0;
  if (renewEveryMs >= ttlMs - fenceMarginMs) {
    throw new Error(
      `lease ${name}: renewing every ${renewEveryMs} ms cannot keep a ${ttlMs} ms lease fenced ${fenceMarginMs} ms early`,
    );
  }
  const log = options.logger.child({ component: "lease", lease: name, holder });
  const listeners = new Set<(held: boolean) => void>();
  /** clock time until which this replica may act; -Infinity when it does not hold the lease */
  let actUntil = Number.NEGATIVE_INFINITY;
  let reported = false;
  let running = false;
  let renewTimer: NodeJS.Timeout | undefined;
  let fenceTimer: NodeJS.Timeout | undefined;
  let attempting: Promise<void> = Promise.resolve();

  const isHeld = () => clock.now() < actUntil;

  function report(): void {
    const held = isHeld();
    if (held === reported) return;
    reported = held;
    if (held) log.info("lease taken: this replica acts");
    else log.warn("lease not held: this replica stops acting");
    for (const listener of listeners) listener(held);
  }

  async function attempt(): Promise<void> {
    // The lease runs from some moment after this one, by the database's clock: deadlines counted from here are early.
    const askedAt = clock.now();
    try {
      const rows = await queryRows<{ holder: string }>(pool, TAKE_OR_RENEW, [name, holder, ttlMs / 1000]);
      if (!running) return;
      actUntil = rows.length > 0 ? askedAt + ttlMs - fenceMarginMs : Number.NEGATIVE_INFINITY;
    } catch (error) {
      // Keep the deadline we had: the lease may still be ours in the table, but we act only until it runs out.
      log.warn({ err: error }, "could not take or renew the lease");
    }
    if (!running) return;
    clearTimeout(fenceTimer);
    const left = actUntil - clock.now();
    // +1: a timer may fire a millisecond early by the clock, which would leave the lease reported held.
    if (left > 0) fenceTimer = setTimeout(report, left + 1);
    report();
  }

  function loop(): void {
    attempting = attempt().finally(() => {
      if (running) renewTimer = setTimeout(loop, renewEveryMs);
    });
  }

  return {
    name,
    async start() {
      if (running) return;
      running = true;
      loop();
      await attempting;
    },
    async stop() {
      if (!running) return;
      running = false;
      clearTimeout(renewTimer);
      clearTimeout(fenceTimer);
      actUntil = Number.NEGATIVE_INFINITY;
      report();
      // Released even if we did not think we held it: an attempt in flight may have just taken it.
      await attempting;
      try {
        const released = await pool.query(RELEASE, [name, holder, releaseGapMs / 1000]);
        if (released.rowCount) log.info({ releaseGapMs }, "lease released");
      } catch (error) {
        // Not fatal: the row expires by itself within the TTL, and we have already stopped acting.
        log.warn({ err: error }, "could not release the lease; it expires by itself");
      }
    },
    isHeld,
    async holder() {
      const rows = await queryRows<{ holder: string }>(pool, CURRENT_HOLDER, [name]);
      return rows[0]?.holder ?? null;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** The lease of a process that is the only one (SQLite): held from start() until stop(). */
export function createSingleProcessLease(name: string, holder: string): Lease {
  const listeners = new Set<(held: boolean) => void>();
  let held = false;
  const set = (next: boolean) => {
    if (next === held) return;
    held = next;
    for (const listener of listeners) listener(held);
  };
  return {
    name,
    async start() {
      set(true);
    },
    async stop() {
      set(false);
    },
    isHeld: () => held,
    async holder() {
      return held ? holder : null;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
