// Benchmark: the watch poller with N watches (default 1,000) on the Workato simulator, failures injected at random, alerts
// posted to the fake Slack through the real Poster and stored in SQLite. Prints the request rate the poller used, the
// delay from a failure appearing to its alert against the physical limit (one round of all watches at 800 requests a
// minute), and peak RSS (of this one process, which also runs the simulator and the fake Slack).
// Usage: npm run bench:poll [-- WATCHES [INJECT_SECONDS [FAILURES]]]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { WebClient } from "@slack/web-api";
import { pino } from "pino";
import { startFakeSlack } from "../sim/fake-slack/index.js";
import { startWorkatoSimulator } from "../sim/workato-simulator/index.js";
import { systemClock } from "../src/clock.js";
import { createPoster } from "../src/slack/io/poster.js";
import { createSlackAlertSink } from "../src/slack/watches/slack-alert-sink.js";
import { openSqliteStore } from "../src/store/sqlite-store.js";
import { POLLER_REQUESTS_PER_MINUTE, planPolls } from "../src/watch/poll-budget.js";
import { createWatchPoller } from "../src/watch/poller.js";
import { createWorkatoClient } from "../src/workato/client.js";

const watchCount = Number(process.argv[2] ?? 1000);
const injectSeconds = Number(process.argv[3] ?? 60);
const failureCount = Number(process.argv[4] ?? 300);
const INTERVAL_SECONDS = 60;
const CUSTOMER = 23456;
const FIRST_RECIPE = 100_000;
const ERRORS = [
  "NetSuite: Upsert customer failed: 400 Bad Request\nINVALID_KEY_OR_REF: Invalid subsidiary reference key 7",
  "Salesforce: request timed out after 30000 ms (job j-Abc123-xyz)",
  "Slack: channel_not_found for channel C0123456",
];

const sim = await startWorkatoSimulator();
sim.addCustomer({ id: CUSTOMER });
const slack = await startFakeSlack();
const logger = pino({ level: "silent" });
const poster = createPoster(
  new WebClient("xoxb-test-token", { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } }),
  logger,
);
const workato = createWorkatoClient({ baseUrl: sim.url, token: sim.token, logger, clock: systemClock });
const dir = mkdtempSync(join(tmpdir(), "bench-poll-"));
const store = openSqliteStore(join(dir, "bench.db"));

// Every watch already had its first poll (no failures yet), so every failure from now on is news.
const startedAt = systemClock.now();
for (let n = 0; n < watchCount; n++) {
  const recipeId = FIRST_RECIPE + n;
  sim.addRecipe(CUSTOMER, { id: recipeId, name: `Recipe ${n}` });
  const watch = store.upsertWatch(
    { channel: `C${n % 50}`, customer: String(CUSTOMER), recipeId, mentions: [], createdBy: "U0BENCH" },
    startedAt,
  );
  store.updateWatchPoll(watch.id, { lastPolledAt: startedAt });
}

// When each failure appeared, and when an alert (or thread reply) first named it.
const appeared = new Map<string, number>();
const alertedAt = new Map<string, number>();
slack.onChange((message, kind) => {
  if (kind !== "posted") return;
  const content = JSON.stringify(message.blocks);
  for (const match of content.matchAll(/j-[A-Za-z0-9]{8}-[A-Za-z0-9]{6}/g)) {
    const jobId = match[0];
    if (appeared.has(jobId) && !alertedAt.has(jobId)) alertedAt.set(jobId, performance.now());
  }
});

const poller = createWatchPoller({
  store,
  workato,
  alerts: createSlackAlertSink(poster),
  intervalSeconds: INTERVAL_SECONDS,
  clock: systemClock,
  logger,
});
const plan = planPolls({ watches: watchCount, targetIntervalSeconds: INTERVAL_SECONDS });
const benchStart = performance.now();
const requestsBefore = sim.requests.length;
poller.start();

// Failures at random moments over injectSeconds, each in a random watched recipe.
const injections = Array.from({ length: failureCount }, () => Math.random() * injectSeconds * 1000).sort(
  (a, b) => a - b,
);
for (const at of injections) {
  const wait = benchStart + at - performance.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  const recipeId = FIRST_RECIPE + Math.floor(Math.random() * watchCount);
  const error = ERRORS[Math.floor(Math.random() * ERRORS.length)] ?? null;
  const job = sim.addJob(CUSTOMER, recipeId, { status: "failed", error });
  appeared.set(job.id, performance.now());
}

// Everything injected should be alerted within one more round; give it a little slack beyond that.
const deadline = performance.now() + plan.intervalSeconds * 1000 * 1.2;
while (alertedAt.size < appeared.size && performance.now() < deadline) {
  await new Promise((resolve) => setTimeout(resolve, 200));
}
await poller.stop();

const pollerRequests = sim.requests.slice(requestsBefore);
const delays = [...alertedAt.entries()]
  .map(([jobId, at]) => (at - (appeared.get(jobId) ?? at)) / 1000)
  .sort((a, b) => a - b);
const percentile = (p: number) =>
  delays[Math.min(delays.length - 1, Math.floor((p / 100) * delays.length))] ?? NaN;
// The physical limit: every watch listed once at 800 requests a minute.
const cycle = (watchCount * 60) / POLLER_REQUESTS_PER_MINUTE;
const rssMb = process.resourceUsage().maxRSS / 1024;
const posts = slack.calls.filter((call) => call.method === "chat.postMessage");

console.log(`watches:              ${watchCount} (target interval ${INTERVAL_SECONDS} s)`);
console.log(
  `physical limit:       ${cycle.toFixed(1)} s a round (${watchCount} watches ÷ ${POLLER_REQUESTS_PER_MINUTE} requests/min); poller reports ${poller.effectiveIntervalSeconds().toFixed(1)} s`,
);
// The budget paces each limit family apart: job lists share the jobs family's 1,000 a minute, recipe reads have their own.
const arrivals = pollerRequests.filter((request) => request.endpoint === "list").map((request) => request.at);
const spanSeconds = ((arrivals.at(-1) ?? 0) - (arrivals[0] ?? 0)) / 1000;
let busiestMinute = 0;
for (let first = 0, last = 0; last < arrivals.length; last++) {
  while ((arrivals[last] ?? 0) - (arrivals[first] ?? 0) >= 60_000) first++;
  busiestMinute = Math.max(busiestMinute, last - first + 1);
}
console.log(
  `job lists/min used:   ${((arrivals.length / spanSeconds) * 60).toFixed(0)} on average over ${spanSeconds.toFixed(0)} s; busiest 60 s: ${busiestMinute} (background share ${POLLER_REQUESTS_PER_MINUTE}; Workato's limit 1,000)`,
);
const recipeLookups = pollerRequests.filter((request) => request.endpoint === "recipe").length;
console.log(
  `requests by kind:     ${arrivals.length} job lists, ${recipeLookups} recipe-name lookups (their own limit family; once per watch a day, here every alert is its recipe's first)`,
);
console.log(`429s received:        ${pollerRequests.filter((request) => request.status === 429).length}`);
console.log(`failures injected:    ${appeared.size} over ${injectSeconds} s; alerted ${alertedAt.size}`);
console.log(`Slack messages:       ${posts.length} (alerts and thread replies)`);
console.log(
  `delay to alert:       p50 ${percentile(50).toFixed(1)} s, p95 ${percentile(95).toFixed(1)} s, max ${(delays.at(-1) ?? NaN).toFixed(1)} s`,
);
console.log(
  `vs physical limit:    p50/(round/2) = ${(percentile(50) / (cycle / 2)).toFixed(2)}, p95/(0.95 × round) = ${(percentile(95) / (0.95 * cycle)).toFixed(2)} (a failure waits for its watch's turn: uniform over one round)`,
);
console.log(`peak RSS:             ${rssMb.toFixed(0)} MB (bot, simulator and fake Slack in one process)`);

store.close();
await workato.close();
await slack.close();
await sim.close();
rmSync(dir, { recursive: true, force: true });
