// One real PostgreSQL server for a cluster test file, a fresh migrated database per test (the cluster tables too), and pools
// (one per simulated replica) closed after each test.
import type { Pool } from "pg";
import { pino } from "pino";
import { afterAll, afterEach, beforeAll } from "vitest";
import { migratePostgres } from "../../src/store/postgres-migrations.js";
import { openPool } from "../../src/store/postgres-pool.js";
import { startTestPostgres, type TestPostgres } from "../support/postgres.js";

export const silentLogger = pino({ level: "silent" });

export function useClusterDatabase(): { newDatabase(): Promise<string>; replicaPool(url: string): Pool } {
  let server: TestPostgres | undefined;
  let noServer: unknown;
  const pools: Pool[] = [];
  beforeAll(async () => {
    // Kept and thrown by every test, so that a machine without PostgreSQL fails each one with the way to get it.
    try {
      server = await startTestPostgres();
    } catch (error) {
      noServer = error;
    }
  });
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((pool) => pool.end().catch(() => {})));
  });
  afterAll(async () => {
    await server?.stop();
  });
  function replicaPool(url: string): Pool {
    const pool = openPool({ connectionString: url, onConnectionError: () => {} });
    pools.push(pool);
    return pool;
  }
  return {
    async newDatabase() {
      if (!server) throw noServer;
      const url = await server.createDatabase();
      await migratePostgres(replicaPool(url));
      return url;
    },
    replicaPool,
  };
}
