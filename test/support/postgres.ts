// A real PostgreSQL server for tests, and a fresh database on it per caller; how one is found or started lives in
// sim/postgres-server.ts, which benchmarks use too.
import { type PostgresServer, startPostgres } from "../../sim/postgres-server.js";

export type TestPostgres = PostgresServer;

export function startTestPostgres(): Promise<TestPostgres> {
  return startPostgres();
}
