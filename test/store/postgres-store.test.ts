// The Store contract on Postgres, each test in its own database on a real server; plus what only a database shared
// by replicas can get wrong: migrating at start-up while other replicas do the same.
import { Client } from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POSTGRES_SCHEMA_VERSION } from "../../src/store/postgres-migrations.js";
import { openPostgresStore } from "../../src/store/postgres-store.js";
import type { AsyncStore } from "../../src/store/store.js";
import { startTestPostgres, type TestPostgres } from "../support/postgres.js";
import { describeAlertStateContract } from "./alert-state-contract.js";
import { describeDigestContract } from "./digest-contract.js";
import { describeFollowUpContract } from "./follow-up-contract.js";
import { describeStoreContract } from "./store-contract.js";
import { describeViewContract } from "./view-contract.js";

let server: TestPostgres | undefined;
let noServer: unknown;
const connectionErrors: Error[] = [];

beforeAll(async () => {
  // Kept and thrown by every test, so that a machine without PostgreSQL fails each one with the way to get it.
  try {
    server = await startTestPostgres();
  } catch (error) {
    noServer = error;
  }
});

afterAll(async () => {
  await server?.stop();
  expect(connectionErrors).toEqual([]);
});

async function newDatabase(): Promise<string> {
  if (!server) throw noServer;
  return server.createDatabase();
}

const open = (connectionString: string) =>
  openPostgresStore({ connectionString, onConnectionError: (error) => connectionErrors.push(error) });

describeStoreContract("Postgres store", async () => {
  const url = await newDatabase();
  return { open: () => open(url) };
});

describeFollowUpContract("Postgres store", async () => {
  const url = await newDatabase();
  return { open: () => open(url) };
});

describeAlertStateContract("Postgres store", async () => {
  const url = await newDatabase();
  return { open: () => open(url) };
});

describeDigestContract("Postgres store", async () => {
  const url = await newDatabase();
  return { open: () => open(url) };
});

describeViewContract("Postgres store", async () => {
  const url = await newDatabase();
  return { open: () => open(url) };
});

describe("Postgres store migrations", () => {
  async function appliedVersions(url: string): Promise<number[]> {
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ version: number }>(
        "SELECT version FROM schema_migrations ORDER BY version",
      );
      return rows.map((row) => row.version);
    } finally {
      await client.end();
    }
  }

  it("migrates an empty database once when several replicas start at the same moment", async () => {
    const url = await newDatabase();
    const stores = await Promise.all([open(url), open(url), open(url), open(url)]);
    try {
      expect(await appliedVersions(url)).toEqual(
        Array.from({ length: POSTGRES_SCHEMA_VERSION }, (_, index) => index + 1),
      );
      // Each replica works on the one schema.
      const repeat = await (stores[0] as AsyncStore).createRepeat(
        { userId: "U1", channel: "C1", threadTs: "1.1", customer: "Acme (1)", recipeId: 1 },
        ["j1"],
        1,
      );
      expect(await (stores[3] as AsyncStore).unfinishedRepeats()).toEqual([repeat]);
    } finally {
      await Promise.all(stores.map((store) => store.close()));
    }
  });

  it("starts again on a migrated database without migrating anything", async () => {
    const url = await newDatabase();
    await (await open(url)).close();
    const before = await appliedVersions(url);
    await (await open(url)).close();
    expect(await appliedVersions(url)).toEqual(before);
  });

  it("refuses a database written by a newer version of the bot, rather than guess at its schema", async () => {
    const url = await newDatabase();
    await (await open(url)).close();
    const client = new Client({ connectionString: url });
    await client.connect();
    await client.query("INSERT INTO schema_migrations (version) VALUES (99)");
    await client.end();
    await expect(open(url)).rejects.toThrow(/newer version of workato-jobs \(schema 99/);
  });
});
