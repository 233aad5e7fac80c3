// Named leases on a real Postgres, as two replicas see them: one holds, the other waits; a crashed holder's lease
// passes on within TTL + renew interval, after the crashed one stopped acting; stop() hands over at the next attempt.
import { performance } from "node:perf_hooks";
import { describe, expect, it } from "vitest";
import { systemClock } from "../../src/clock.js";
import { createPostgresLease, createSingleProcessLease, type Lease } from "../../src/cluster/lease.js";
import { silentLogger, useClusterDatabase } from "./cluster-postgres.js";

// Scaled down from 10 s / 3 s / 2 s so the tests take seconds.
const TTL_MS = 1_000;
const RENEW_EVERY_MS = 200;
const FENCE_MARGIN_MS = 300;
// Timers, queries and the event loop: what a takeover may take beyond its bound.
const SLACK_MS = 150;

const db = useClusterDatabase();

function leaseFor(url: string, holder: string, extra: { releaseGapMs?: number } = {}): Lease {
  return createPostgresLease({
    pool: db.replicaPool(url),
    name: "watch-poller",
    holder,
    ttlMs: TTL_MS,
    renewEveryMs: RENEW_EVERY_MS,
    fenceMarginMs: FENCE_MARGIN_MS,
    clock: systemClock,
    logger: silentLogger,
    ...extra,
  });
}

function whenHeld(lease: Lease, held: boolean): Promise<number> {
  return new Promise((resolve) => {
    if (lease.isHeld() === held) resolve(performance.now());
    const off = lease.onChange((now) => {
      if (now !== held) return;
      off();
      resolve(performance.now());
    });
  });
}

describe("a lease on Postgres", () => {
  it("is held by one replica while the other waits, and both name the holder", async () => {
    const url = await db.newDatabase();
    const a = leaseFor(url, "replica-a");
    const b = leaseFor(url, "replica-b");
    await a.start();
    await b.start();
    expect(a.isHeld()).toBe(true);
    expect(b.isHeld()).toBe(false);
    // Renewals keep it with its holder.
    await new Promise((resolve) => setTimeout(resolve, TTL_MS * 1.5));
    expect([a.isHeld(), b.isHeld()]).toEqual([true, false]);
    expect(await b.holder()).toBe("replica-a");
    expect(await a.holder()).toBe("replica-a");
    await Promise.all([a.stop(), b.stop()]);
    expect(await b.holder()).toBeNull();
  });

  it("passes to another replica within TTL + renew interval when its holder cannot renew, after the holder stopped acting", async () => {
    const url = await db.newDatabase();
    const crashingPool = db.replicaPool(url);
    const a = createPostgresLease({
      pool: crashingPool,
      name: "repeat-dispatcher",
      holder: "replica-a",
      ttlMs: TTL_MS,
      renewEveryMs: RENEW_EVERY_MS,
      fenceMarginMs: FENCE_MARGIN_MS,
      clock: systemClock,
      logger: silentLogger,
    });
    const b = createPostgresLease({
      pool: db.replicaPool(url),
      name: "repeat-dispatcher",
      holder: "replica-b",
      ttlMs: TTL_MS,
      renewEveryMs: RENEW_EVERY_MS,
      fenceMarginMs: FENCE_MARGIN_MS,
      clock: systemClock,
      logger: silentLogger,
    });
    await a.start();
    await b.start();
    expect(a.isHeld()).toBe(true);
    const aStopped = whenHeld(a, false);
    const bTook = whenHeld(b, true);
    // The holder's database connection is gone, as after a kill -9: nothing renews and nothing releases.
    const crashedAt = performance.now();
    await crashingPool.end();
    const [aStoppedAt, bTookAt] = await Promise.all([aStopped, bTook]);
    expect(bTookAt - crashedAt).toBeLessThanOrEqual(TTL_MS + RENEW_EVERY_MS + SLACK_MS);
    // Fencing by time: the crashed holder gave up at least the fence margin before the other could take over.
    expect(bTookAt - aStoppedAt).toBeGreaterThanOrEqual(FENCE_MARGIN_MS - SLACK_MS);
    expect(await b.holder()).toBe("replica-b");
    await Promise.all([a.stop(), b.stop()]);
  });

  it("hands over at the other replica's next attempt when its holder stops (SIGTERM)", async () => {
    const url = await db.newDatabase();
    const a = leaseFor(url, "replica-a");
    const b = leaseFor(url, "replica-b");
    await a.start();
    await b.start();
    const bTook = whenHeld(b, true);
    const stoppedAt = performance.now();
    const stopping = a.stop();
    // It stops acting at once, before the release reaches the database.
    expect(a.isHeld()).toBe(false);
    await stopping;
    expect((await bTook) - stoppedAt).toBeLessThanOrEqual(RENEW_EVERY_MS + SLACK_MS);
    expect(await a.holder()).toBe("replica-b");
    await b.stop();
  });

  it("stays taken for the release gap after stop(), so a successor's first repeat keeps the 1 s gap", async () => {
    const url = await db.newDatabase();
    const a = leaseFor(url, "replica-a", { releaseGapMs: 500 });
    const b = leaseFor(url, "replica-b");
    await a.start();
    await b.start();
    const bTook = whenHeld(b, true);
    const stoppedAt = performance.now();
    await a.stop();
    const tookAfter = (await bTook) - stoppedAt;
    expect(tookAfter).toBeGreaterThanOrEqual(500);
    expect(tookAfter).toBeLessThanOrEqual(500 + RENEW_EVERY_MS + SLACK_MS);
    await b.stop();
  });

  it("refuses a renew cadence that could not keep the lease before its fence", () => {
    expect(() =>
      createPostgresLease({
        pool: db.replicaPool("postgres://unused/db"),
        name: "digest",
        holder: "replica-a",
        ttlMs: 1_000,
        renewEveryMs: 800,
        fenceMarginMs: 300,
        clock: systemClock,
        logger: silentLogger,
      }),
    ).toThrow(/cannot keep/);
  });
});

describe("the single-process lease (SQLite)", () => {
  it("is held from start until stop, and names its holder meanwhile", async () => {
    const lease = createSingleProcessLease("watch-poller", "only-replica");
    const changes: boolean[] = [];
    lease.onChange((held) => changes.push(held));
    expect(lease.isHeld()).toBe(false);
    await lease.start();
    expect(lease.isHeld()).toBe(true);
    expect(await lease.holder()).toBe("only-replica");
    await lease.stop();
    expect(await lease.holder()).toBeNull();
    expect(changes).toEqual([true, false]);
  });
});
