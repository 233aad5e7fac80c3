// Benchmark: how fast the app acknowledges Slack while Workato is slow and a 1,000-job repeat is running, and how
// well simultaneous repeats of one recipe share requests.
// Usage: npm run bench:ack
import { performance } from "node:perf_hooks";
import { MAX_JOBS_PER_REPEAT } from "../src/workato/limits.js";
import { ALICE, CHANNEL, CUSTOMER, RECIPE, startHarness } from "../test/support/app-harness.js";

const WORKATO_LATENCY_MS = 2000;
const REPEAT_JOBS = 1000;
const IDS_PER_COMMAND = 100;
const CONCURRENT_COMMANDS = 50;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

async function ackLatencyDuringBulkRepeat(): Promise<void> {
  const harness = await startHarness({
    simulator: { latencyMs: WORKATO_LATENCY_MS },
    env: { LOG_LEVEL: "warn", REPEAT_COALESCE_MS: "1000" },
  });
  const jobIds = harness.sim.addFailedJobs(CUSTOMER, RECIPE, REPEAT_JOBS).map((job) => job.id);

  // The 1,000-job repeat, as ten commands of 100 ids (the most one command takes).
  const repeatStarted = performance.now();
  for (let i = 0; i < REPEAT_JOBS; i += IDS_PER_COMMAND) {
    await harness.send.slashCommand({
      text: `repeat ${CUSTOMER} ${RECIPE} ${jobIds.slice(i, i + IDS_PER_COMMAND).join(" ")}`,
      user: ALICE,
      channel: CHANNEL,
    });
  }
  await new Promise((resolve) => setTimeout(resolve, 3000));

  const acks = await Promise.all(
    Array.from({ length: CONCURRENT_COMMANDS }, (_, i) =>
      harness.send.slashCommand({
        text: `list ${CUSTOMER} ${RECIPE} failed`,
        user: { id: `U0LIST${i}` },
        channel: CHANNEL,
      }),
    ),
  );
  const ms = acks.map((ack) => ack.ms).sort((a, b) => a - b);

  await harness.slack.waitFor(
    () => harness.sim.jobs(CUSTOMER, RECIPE).filter((job) => job.repeatCount > 0).length === REPEAT_JOBS,
    { timeoutMs: 120_000 },
  );
  const repeatRequests = harness.sim.requests.filter((request) => request.endpoint === "repeat");
  const lastStart = (repeatRequests.at(-1)?.at ?? 0) - performance.timeOrigin;
  await harness.app.deps.background.settled();
  const wall = (performance.now() - repeatStarted) / 1000;
  const limit = Math.ceil(REPEAT_JOBS / MAX_JOBS_PER_REPEAT) - 1;

  console.log(
    `ack of ${CONCURRENT_COMMANDS} concurrent /workato-jobs list (Workato answering in ${WORKATO_LATENCY_MS} ms, ${REPEAT_JOBS}-job repeat running):`,
  );
  console.log(`  statuses:           ${[...new Set(acks.map((ack) => ack.status))].join(",")}`);
  console.log(
    `  p50 / p99 / max:    ${percentile(ms, 50).toFixed(1)} / ${percentile(ms, 99).toFixed(1)} / ${ms.at(-1)?.toFixed(1)} ms (target p99 <= 50 ms; Slack's limit 3000 ms)`,
  );
  console.log(`the ${REPEAT_JOBS}-job repeat:`);
  console.log(
    `  requests / 429s:    ${repeatRequests.length} / ${repeatRequests.filter((request) => request.status === 429).length} (ideal ${limit + 1})`,
  );
  console.log(
    `  last request start: ${((lastStart - repeatStarted) / 1000).toFixed(2)} s after the first command (limit ${limit} s, ratio ${((lastStart - repeatStarted) / 1000 / limit).toFixed(3)})`,
  );
  console.log(
    `  wall time:          ${wall.toFixed(2)} s until every result was posted (limit ${limit} s + one ${WORKATO_LATENCY_MS} ms answer; ratio to ${limit} s: ${(wall / limit).toFixed(3)})`,
  );
  await harness.close();
}

async function sharingBetweenPeople(): Promise<void> {
  const harness = await startHarness({ env: { LOG_LEVEL: "warn", REPEAT_COALESCE_MS: "1000" } });
  const people = 20;
  const each = 13;
  const jobIds = harness.sim.addFailedJobs(CUSTOMER, RECIPE, people * each).map((job) => job.id);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: people }, async (_, i) => {
      // Spread over one second, as people clicking at nearly the same time.
      await new Promise((resolve) => setTimeout(resolve, (i * 1000) / people));
      await harness.send.slashCommand({
        text: `repeat ${CUSTOMER} ${RECIPE} ${jobIds.slice(i * each, (i + 1) * each).join(" ")}`,
        user: { id: `U0PERSON${i}` },
        channel: CHANNEL,
      });
    }),
  );
  await harness.slack.waitFor(
    () => harness.sim.jobs(CUSTOMER, RECIPE).filter((job) => job.repeatCount > 0).length === people * each,
    { timeoutMs: 60_000 },
  );
  await harness.app.deps.background.settled();
  const requests = harness.sim.requests.filter((request) => request.endpoint === "repeat");
  console.log(`${people} people each repeating ${each} jobs of one recipe within one second:`);
  console.log(
    `  requests:           ${requests.length} (ideal ceil(${people * each}/25) = ${Math.ceil((people * each) / 25)}), 429s: ${requests.filter((request) => request.status === 429).length}`,
  );
  console.log(
    `  sizes:              ${requests.map((request) => (request.body as { job_ids: string[] }).job_ids.length).join(" ")}`,
  );
  console.log(`  all results posted: ${((performance.now() - started) / 1000).toFixed(2)} s`);
  await harness.close();
}

await ackLatencyDuringBulkRepeat();
await sharingBetweenPeople();
