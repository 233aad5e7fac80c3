// Starts bench/support/simulator-process.ts and talks to its control server.
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const REPO_ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface RemoteRequest {
  endpoint: string;
  /** arrival, ms since the epoch as the simulator's process saw it */
  at: number;
  status: number;
  body: unknown;
}

export interface RemoteSimulator {
  url: string;
  token: string;
  seed(seed: { customer: number; recipe: number; name: string; failedJobs: number }): Promise<string[]>;
  requests(): Promise<RemoteRequest[]>;
  close(): Promise<void>;
}

export async function startRemoteSimulator(options: { latencyMs: number }): Promise<RemoteSimulator> {
  const child = spawn(process.execPath, ["--import", "tsx", "bench/support/simulator-process.ts"], {
    cwd: REPO_ROOT,
    env: { ...process.env, SIM_LATENCY_MS: String(options.latencyMs) },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const firstLine = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once("line", resolve);
    child.once("exit", () => reject(new Error("the simulator process exited before it was ready")));
  });
  const { url, token, controlUrl } = JSON.parse(firstLine) as {
    url: string;
    token: string;
    controlUrl: string;
  };
  return {
    url,
    token,
    async seed(seed) {
      const response = await fetch(`${controlUrl}/seed`, { method: "POST", body: JSON.stringify(seed) });
      return (await response.json()) as string[];
    },
    async requests() {
      return (await (await fetch(`${controlUrl}/requests`)).json()) as RemoteRequest[];
    },
    async close() {
      child.kill("SIGTERM");
      await exited;
    },
  };
}
