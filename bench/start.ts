// Benchmark: how long `node dist/main.js` takes from spawn to a 200 from /healthz, against the fake Slack and the
// Workato simulator, over several cold starts (each with a fresh SQLite file). Target: ≤ 1.5 s.
// Usage: npm run bench:start   (builds first; BENCH_RUNS=n for more runs)
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fakeServicesEnv } from "../sim/app-harness.js";
import { startAppProcess } from "../sim/app-process.js";
import { startFakeSlack } from "../sim/fake-slack/index.js";
import { startWorkatoSimulator } from "../sim/workato-simulator/index.js";

const TARGET_MS = 1500;
const RUNS = Number(process.env.BENCH_RUNS ?? 7);

const sim = await startWorkatoSimulator();
const slack = await startFakeSlack();
const dataDir = mkdtempSync(join(tmpdir(), "workato-jobs-bench-start-"));
const figures: number[] = [];
try {
  for (let run = 1; run <= RUNS; run++) {
    const app = await startAppProcess(
      {
        ...fakeServicesEnv(sim, slack),
        SQLITE_PATH: join(dataDir, `run-${run}.db`),
        LOG_LEVEL: "warn",
      },
      process.env.BENCH_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [],
      { entry: "built", pollMs: 10 },
    );
    figures.push(app.readyMs);
    console.log(`run ${run}: spawn → /healthz 200 in ${app.readyMs.toFixed(0)} ms`);
    await app.stop();
  }
} finally {
  await slack.close();
  await sim.close();
  rmSync(dataDir, { recursive: true, force: true });
}

const sorted = [...figures].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
const worst = sorted[sorted.length - 1] ?? Number.NaN;
console.log(
  `start → ready over ${RUNS} runs: median ${median.toFixed(0)} ms, best ${(sorted[0] ?? Number.NaN).toFixed(0)} ms, ` +
    `worst ${worst.toFixed(0)} ms (target ≤ ${TARGET_MS} ms: ${worst <= TARGET_MS ? "met" : "MISSED"})`,
);
if (worst > TARGET_MS) process.exitCode = 1;
