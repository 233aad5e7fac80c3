// The Store contract on SQLite, each test on its own temporary file; plus what only a SQLite file can get wrong.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { openSqliteStore } from "../../src/store/sqlite-store.js";
import { describeAlertStateContract } from "./alert-state-contract.js";
import { describeDigestContract } from "./digest-contract.js";
import { describeFollowUpContract } from "./follow-up-contract.js";
import { describeStoreContract } from "./store-contract.js";
import { describeViewContract } from "./view-contract.js";

const dir = mkdtempSync(join(tmpdir(), "workato-jobs-store-"));
let files = 0;
const newFile = () => join(dir, `store-${++files}.db`);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeStoreContract("SQLite store", () => {
  const path = newFile();
  return { open: () => openSqliteStore(path) };
});

describeFollowUpContract("SQLite store", () => {
  const path = newFile();
  return { open: () => openSqliteStore(path) };
});

describeAlertStateContract("SQLite store", () => {
  const path = newFile();
  return { open: () => openSqliteStore(path) };
});

describeDigestContract("SQLite store", () => {
  const path = newFile();
  return { open: () => openSqliteStore(path) };
});

describeViewContract("SQLite store", () => {
  const path = newFile();
  return { open: () => openSqliteStore(path) };
});

describe("SQLite store files", () => {
  it("creates the folder of a new file", () => {
    const path = join(dir, "nested", "deeper", "bot.db");
    const store = openSqliteStore(path);
    store.close();
    expect(openSqliteStore(path).unfinishedRepeats()).toEqual([]);
  });

  it("refuses a file written by a newer version of the bot, rather than guess at its schema", () => {
    const path = newFile();
    openSqliteStore(path).close();
    const db = new Database(path);
    db.pragma("user_version = 99");
    db.close();
    expect(() => openSqliteStore(path)).toThrow(/newer version of workato-jobs \(schema 99/);
  });
});
