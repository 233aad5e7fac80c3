// Runs the app as its own process (`src/main.ts` through tsx), as production does, for benchmarks and for tests
// that must kill it. Its JSON log lines are collected.
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { freePort } from "./free-port.js";

const REPO_ROOT = fileURLToPath(new URL("../", import.meta.url));

export interface AppProcess {
  readonly url: string;
  readonly logLines: string[];
  readonly child: ChildProcess;
  /** SIGTERM and wait for exit */
  stop(): Promise<void>;
}

export async function startAppProcess(
  env: Record<string, string>,
  nodeOptions: string[] = [],
): Promise<AppProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeOptions, "--import", "tsx", "src/main.ts"], {
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
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the app exited while starting:\n${logLines.join("\n")}`);
    const ready = await fetch(`${url}/healthz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the app did not become ready:\n${logLines.join("\n")}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    logLines,
    child,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
