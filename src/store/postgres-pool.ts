// The Postgres store's connection pool and its two ways to ask: one statement, or one transaction on one connection.
import { Pool, type PoolClient, TypeOverrides } from "pg";

export interface PostgresStoreOptions {
  /** postgres://… (DATABASE_URL) */
  connectionString: string;
  /** An idle pooled connection failed (the server restarted, the network dropped); the pool replaces it. */
  onConnectionError(error: Error): void;
  /** connections this replica may hold at once */
  maxConnections?: number;
}

const INT8_OID = 20;

export function openPool(options: PostgresStoreOptions): Pool {
  // Ids, epoch milliseconds and counts are BIGINT (int8), which pg hands over as strings; all of ours fit a double.
  const types = new TypeOverrides();
  types.setTypeParser(INT8_OID, Number);
  const pool = new Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    types,
  });
  // Without a listener, an idle connection's error would be an uncaught 'error' event and end the process.
  pool.on("error", options.onConnectionError);
  return pool;
}

export async function queryRows<Row extends object>(
  pool: Pool | PoolClient,
  sql: string,
  params: unknown[] = [],
): Promise<Row[]> {
  return (await pool.query<Row>(sql, params)).rows;
}

/** One transaction on one connection: committed before the promise resolves, rolled back if anything throws. */
export async function inTransaction<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    client.release();
    return result;
  } catch (error) {
    // Rolled back, the connection is pooled again; one that cannot even roll back is closed instead.
    await client.query("ROLLBACK").then(
      () => client.release(),
      (rollbackError: Error) => client.release(rollbackError),
    );
    throw error;
  }
}
