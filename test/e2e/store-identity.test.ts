// The store is the one it was: the real app says loudly when it creates a new empty store (unless told this is its
// first start), says nothing on a restart over its own store, and does not start on a Postgres database that answers
// but has lost its tables.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type Harness, startHarness } from "../../sim/app-harness.js";
import { startTestPostgres, type TestPostgres } from "../support/postgres.js";

const NEW_STORE = "created a new empty store at";
const started: Harness[] = [];
const dirs: string[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((harness) => harness.close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function run(env: Record<string, string>): Promise<Harness> {
  const harness = await startHarness({ env });
  started.push(harness);
  return harness;
}

async function stop(harness: Harness): Promise<void> {
  started.splice(started.indexOf(harness), 1);
  await harness.close();
}

const logged = (harness: Harness) => harness.logLines.join("\n");

describe("a SQLite store", () => {
  it("is created with an error in the log, then opened again on restart without one", async () => {
    const dir = mkdtempSync(join(tmpdir(), "workato-jobs-store-"));
    dirs.push(dir);
    const env = { SQLITE_PATH: join(dir, "data", "workato-jobs.db") };
    const first = await run(env);
    const line = first.logLines.find((entry) => entry.includes(NEW_STORE));
    expect(line).toBeDefined();
    expect(JSON.parse(line ?? "{}")).toMatchObject({ level: 50 });
    await stop(first);

    const again = await run(env);
    expect(logged(again)).not.toContain(NEW_STORE);
  });

  it("is created quietly on a first start the operator declared", async () => {
    const dir = mkdtempSync(join(tmpdir(), "workato-jobs-store-"));
    dirs.push(dir);
    const harness = await run({ SQLITE_PATH: join(dir, "workato-jobs.db"), STORE_FIRST_START: "true" });
    expect(logged(harness)).not.toContain(NEW_STORE);
    expect(logged(harness)).toContain("(first start)");
  });
});

describe("a Postgres store", () => {
  let server: TestPostgres | undefined;
  let noServer: unknown;
  beforeAll(async () => {
    try {
      server = await startTestPostgres();
    } catch (error) {
      noServer = error;
    }
  });
  afterAll(async () => {
    await server?.stop();
  });

  async function newDatabase(): Promise<string> {
    if (!server) throw noServer;
    return server.createDatabase();
  }

  it("that lost its tables stops the start, naming them, instead of starting afresh", async () => {
    const url = await newDatabase();
    const first = await run({ DATABASE_URL: url });
    expect(logged(first)).toContain(NEW_STORE);
    await stop(first);

    const again = await run({ DATABASE_URL: url });
    expect(logged(again)).not.toContain(NEW_STORE);
    await stop(again);

    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      await client.query("DROP TABLE repeat_jobs, watches CASCADE");
    } finally {
      await client.end();
    }
    await expect(run({ DATABASE_URL: url })).rejects.toThrow(
      /has lost the bot's tables \((repeat_jobs, watches|watches, repeat_jobs)\)/,
    );
  });
});
