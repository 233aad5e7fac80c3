// The store's health on a real SQLite file: a failed call makes it unreachable until a write succeeds again, and a
// file deleted or replaced under the open store is noticed by the next check and refuses every write after it.
import { copyFileSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { manualClock } from "../../src/clock.js";
import { asyncSqliteStore } from "../../src/store/async-sqlite.js";
import { openSqliteStore } from "../../src/store/sqlite-store.js";
import { createStoreHealth, isStoreOutage, StoreGoneError } from "../../src/store/store-health.js";
import { faultyStore } from "../support/faulty-store.js";
import { silentLogger } from "../support/watch-harness.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function storeFile(): string {
  const dir = mkdtempSync(join(tmpdir(), "workato-jobs-health-"));
  dirs.push(dir);
  return join(dir, "workato-jobs.db");
}

const WATCH = { channel: "C1", customer: "23456", recipeId: 1, mentions: [], createdBy: "U1" };

describe("store health", () => {
  it("is unreachable from a failed write until the probe writes again", async () => {
    const faults = faultyStore(asyncSqliteStore(openSqliteStore(":memory:")));
    const clock = manualClock(1000);
    const health = createStoreHealth({ store: faults.store, clock, logger: silentLogger, replica: "r1" });
    faults.failWrites(true);
    await expect(health.store.upsertWatch(WATCH, 0)).rejects.toThrow("disk is full");
    expect(health.condition()).toMatchObject({ state: "unreachable", since: 1000 });
    // Reads that work do not prove the store can be written.
    await health.store.watches();
    expect(health.condition().state).toBe("unreachable");
    expect((await health.check()).state).toBe("unreachable");
    faults.failWrites(false);
    expect((await health.check()).state).toBe("ok");
  });

  it("notices a file replaced under the open store and refuses writes from then on", async () => {
    const path = storeFile();
    const health = createStoreHealth({
      store: asyncSqliteStore(openSqliteStore(path)),
      clock: manualClock(0),
      logger: silentLogger,
      replica: "r1",
      sqlitePath: path,
    });
    expect((await health.check()).state).toBe("ok");
    // A restore over the running bot: same name, another file.
    copyFileSync(path, `${path}.copy`);
    renameSync(`${path}.copy`, path);
    const condition = await health.check();
    expect(condition).toMatchObject({ state: "gone" });
    expect(condition.state === "gone" && condition.reason).toContain("was replaced by another file");
    await expect(health.store.upsertWatch(WATCH, 0)).rejects.toBeInstanceOf(StoreGoneError);
    expect(await health.store.watches()).toEqual([]);
  });
});

describe("a store outage, told from other errors", () => {
  const coded = (code: string, message = "failed") => Object.assign(new Error(message), { code });
  it.each([
    ["a refused connection", coded("ECONNREFUSED"), true],
    ["Postgres shutting down (57P01)", coded("57P01"), true],
    ["Postgres's disk full (53100)", coded("53100"), true],
    ["SQLite's disk full", coded("SQLITE_FULL"), true],
    ["a dropped connection", new Error("Connection terminated unexpectedly"), true],
    ["a gone store file", new StoreGoneError("not written"), true],
    ["a unique violation (23505)", coded("23505"), false],
    ["a SQLite constraint", coded("SQLITE_CONSTRAINT_UNIQUE"), false],
    ["an error of the bot's own", new Error("could not record the repeat"), false],
  ])("%s", (_name, error, outage) => {
    expect(isStoreOutage(error)).toBe(outage);
  });
});
