// Runs the app as its own process, as production does, for benchmarks and for tests that must kill it: either the
// built entry (`node dist/main.js`, what `npm start` runs; needs `npm run build`) or `src/main.ts` through tsx.
// Its JSON log lines are collected.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { freePort } from "./free-port.js";

const REPO_ROOT = fileURLToPath(new URL("../", import.meta.url));
const BUILT_ENTRY = "dist/main.js";

export interface AppProcess {
  readonly url: string;
  readonly logLines: string[];
  readonly child: ChildProcess;
  /** from spawning the process to the first 200 from /healthz, in ms */
  readonly readyMs: number;
  /** SIGTERM and wait for exit */
  stop(): Promise<void>;
}

export interface AppProcessOptions {
  /** "source" (default): src/main.ts through tsx, so tests see uncommitted code; "built": dist/main.js */
  entry?: "source" | "built";
  /** how often /healthz is asked while starting; default 100 ms */
  pollMs?: number;
}

export async function startAppProcess(
  env: Record<string, string>,
  nodeOptions: string[] = [],
  options: AppProcessOptions = {},
): Promise<AppProcess> {
  const entry = options.entry ?? "source";
  if (entry === "built" && !existsSync(new URL(`../${BUILT_ENTRY}`, import.meta.url))) {
    throw new Error(`${BUILT_ENTRY} is missing: run npm run build first`);
  }
  const args = entry === "built" ? [BUILT_ENTRY] : ["--import", "tsx", "src/main.ts"];
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeOptions, ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? "", ...env, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logLines: string[] = [];
  const collect = (chunk: Buffer) => logLines.push(...chunk.toString("utf8").split("\n").filter(Boolean));
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const url = `http://127.0.0.1:${port}`;
  const deadline = started + 20_000;
  let readyMs: number;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the app exited while starting:\n${logLines.join("\n")}`);
    const ready = await fetch(`${url}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) {
      readyMs = performance.now() - started;
      break;
    }
    if (performance.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the app did not become ready:\n${logLines.join("\n")}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 100));
  }
  return {
    url,
    logLines,
    child,
    readyMs,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
