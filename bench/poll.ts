// Benchmark: the watch poller with N watches (default 1,000) over C customers (default 50) on the Workato simulator:
// the recipe-list scan (change detector) polls at once the recipes whose failed count moved, the sweep polls every
// watch regardless, the look-back window catches long-running jobs that fail behind the cursor, and a few recipes are
// stopped by Workato. Alerts go to the fake Slack through the real Poster; the store is SQLite. Prints GETs a minute
// per endpoint family, the delay from a failure appearing to its alert, failures alerted / injected, stopped-recipe
// alerts, 429s and peak RSS (of this one process, which also runs the simulator and the fake Slack). For the slowest
// failures it names the path whose poll alerted them (recipe-list scan or sweep); BENCH_STORY=1 adds, for each, the
// failed counts the scan read and every poll of its watch, to tell why the scan did not find it first.
// Usage: npm run bench:poll [-- WATCHES [INJECT_SECONDS [FAILURES [CUSTOMERS [INTERVAL_SECONDS]]]]]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { WebClient } from "@slack/web-api";
import { pino } from "pino";
import { startFakeSlack } from "../sim/fake-slack/index.js";
import { type SimEndpoint, startWorkatoSimulator } from "../sim/workato-simulator/index.js";
import { systemClock } from "../src/clock.js";
import { createPoster } from "../src/slack/io/poster.js";
import { createSlackAlertSink } from "../src/slack/watches/slack-alert-sink.js";
import { asyncSqliteStore } from "../src/store/async-sqlite.js";
import { openSqliteStore } from "../src/store/sqlite-store.js";
import { createWatchPoller, DEFAULT_LOOK_BACK, type PollTrigger } from "../src/watch/poller.js";
import { createWorkatoClient } from "../src/workato/client.js";

const watchCount = Number(process.argv[2] ?? 1000);
const injectSeconds = Number(process.argv[3] ?? 60);
const failureCount = Number(process.argv[4] ?? 300);
const customerCount = Number(process.argv[5] ?? 50);
const INTERVAL_SECONDS = Number(process.argv[6] ?? 180);
/** of the failures, this many are long-running jobs that fail behind the cursor (the look-back window's case) */
const LONG_RUNNING = Math.round(failureCount / 10);
const STOPPED_RECIPES = 5;
const FIRST_CUSTOMER = 30_000;
const FIRST_RECIPE = 100_000;
const ERRORS = [
  "NetSuite: Upsert customer failed: 400 Bad Request\nINVALID_KEY_OR_REF: Invalid subsidiary reference key 7",
  "Salesforce: request timed out after 30000 ms (job j-Abc123-xyz)",
  "Slack: channel_not_found for channel C0123456",
];

const sim = await startWorkatoSimulator();
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
const watched: { customer: number; recipeId: number }[] = [];
const watchOfRecipe = new Map<number, number>();
for (let c = 0; c < customerCount; c++) sim.addCustomer({ id: FIRST_CUSTOMER + c });
for (let n = 0; n < watchCount; n++) {
  const customer = FIRST_CUSTOMER + (n % customerCount);
  const recipeId = FIRST_RECIPE + n;
  sim.addRecipe(customer, { id: recipeId, name: `Recipe ${n}` });
  watched.push({ customer, recipeId });
  const watch = store.upsertWatch(
    { channel: `C${n % 50}`, customer: String(customer), recipeId, mentions: [], createdBy: "U0BENCH" },
    startedAt,
  );
  store.updateWatchPoll(watch.id, { lastPolledAt: startedAt });
  watchOfRecipe.set(recipeId, watch.id);
}
/**
 * As Workato dates them: a failure shows in the lists once it completed, so its completion is never later than its
 * appearance (the simulator's default puts it a few seconds after, which would put a watch's mark of the latest
 * completion seen ahead of a long-running job that completes right after).
 */
const completedNow = () => ({ completedAt: new Date() });
const pick = () =>
  watched[Math.floor(Math.random() * watched.length)] ?? { customer: FIRST_CUSTOMER, recipeId: FIRST_RECIPE };

// Long-running jobs start now and fail later, after another failure of their recipe moved the cursor past them.
const longRunning = Array.from({ length: LONG_RUNNING }, () => {
  const where = pick();
  return { ...where, job: sim.addJob(where.customer, where.recipeId, { status: "pending" }) };
});

// When each failure (or stop) appeared, and when an alert (or thread reply) first named it.
const appeared = new Map<string, number>();
/** each failure's recipe, and which path's poll posted its alert */
const recipeOf = new Map<string, number>();
const foundBy = new Map<string, PollTrigger>();
/** per watch: the poll under way (what asked for it) and every poll's start and end, for the slowest failures' story */
const pollingVia = new Map<number, PollTrigger>();
const pollHistory = new Map<number, string[]>();
/** per recipe: the failed counts the scan read, and when */
const scanSeen = new Map<number, { at: number; failed: number }[]>();
const alertedAt = new Map<string, number>();
const alertedTwice = new Set<string>();
slack.onChange((message, kind) => {
  if (kind !== "posted") return;
  const content = `${message.text} ${JSON.stringify(message.blocks)}`;
  const named = new Set<string>();
  for (const match of content.matchAll(/j-[A-Za-z0-9]{8}-[A-Za-z0-9]{6}/g)) named.add(match[0]);
  for (const match of content.matchAll(/Workato stopped \*?Recipe (\d+)/g)) named.add(`stop:${match[1]}`);
  for (const id of named) {
    if (!appeared.has(id)) continue;
    if (alertedAt.has(id)) alertedTwice.add(id);
    else {
      alertedAt.set(id, performance.now());
      const watchId = watchOfRecipe.get(recipeOf.get(id) ?? -1);
      const via = watchId === undefined ? undefined : pollingVia.get(watchId);
      if (via) foundBy.set(id, via);
    }
  }
});

let benchStart = performance.now();
const sinceStart = () => ((performance.now() - benchStart) / 1000).toFixed(1);
const poller = createWatchPoller({
  store: asyncSqliteStore(store),
  workato: {
    ...workato,
    async listRecipes(customer, query, callOptions) {
      const recipes = await workato.listRecipes(customer, query, callOptions);
      for (const recipe of recipes) {
        const seen = scanSeen.get(recipe.id) ?? [];
        if (seen.at(-1)?.failed !== recipe.jobFailedCount)
          seen.push({ at: performance.now(), failed: recipe.jobFailedCount });
        scanSeen.set(recipe.id, seen);
      }
      return recipes;
    },
  },
  onPoll(event) {
    const history = pollHistory.get(event.watchId) ?? [];
    if (event.phase === "started") {
      pollingVia.set(event.watchId, event.via);
      history.push(`${sinceStart()} s ${event.via} poll started`);
    } else {
      const { outcome } = event;
      const said =
        outcome.kind === "checked"
          ? `${outcome.newFailures} new, ${outcome.alerted} alerted, ${outcome.followedUp} followed up`
          : JSON.stringify(outcome);
      history.push(`${sinceStart()} s ${event.via} poll ended: ${said}`);
    }
    pollHistory.set(event.watchId, history);
  },
  alerts: createSlackAlertSink(poster),
  intervalSeconds: INTERVAL_SECONDS,
  clock: systemClock,
  logger,
});
const requestsBefore = sim.requests.length;
benchStart = performance.now();
poller.start();

type Event = { at: number; run: () => void };
const events: Event[] = [];
for (let n = 0; n < failureCount - LONG_RUNNING; n++) {
  events.push({
    at: Math.random() * injectSeconds * 1000,
    run: () => {
      const { customer, recipeId } = pick();
      const error = ERRORS[Math.floor(Math.random() * ERRORS.length)] ?? null;
      const job = sim.addJob(customer, recipeId, { status: "failed", error, ...completedNow() });
      appeared.set(job.id, performance.now());
      recipeOf.set(job.id, recipeId);
    },
  });
}
for (const long of longRunning) {
  const at = Math.random() * (injectSeconds - 10) * 1000;
  events.push({
    at,
    run: () => {
      const moved = sim.addJob(long.customer, long.recipeId, {
        status: "failed",
        error: ERRORS[1] ?? null,
        ...completedNow(),
      });
      appeared.set(moved.id, performance.now());
      recipeOf.set(moved.id, long.recipeId);
    },
  });
  events.push({
    at: at + 8000,
    run: () => {
      long.job.status = "failed";
      long.job.error = "Salesforce: Bulk query timed out after 3600 s";
      // It completes as it fails, after the failure that moved the cursor past its start.
      long.job.completedAt = completedNow().completedAt;
      appeared.set(long.job.id, performance.now());
      recipeOf.set(long.job.id, long.recipeId);
    },
  });
}
for (let n = 0; n < STOPPED_RECIPES; n++) {
  const index = n * Math.floor(watchCount / STOPPED_RECIPES);
  const where = watched[index];
  if (!where) continue;
  events.push({
    at: Math.random() * injectSeconds * 1000,
    run: () => {
      sim.stopRecipeByWorkato(where.customer, where.recipeId);
      appeared.set(`stop:${index}`, performance.now());
    },
  });
}
events.sort((a, b) => a.at - b.at);
for (const event of events) {
  const wait = benchStart + event.at - performance.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
  event.run();
}

// The sweep is the guarantee: everything should be alerted within one of its rounds at the latest.
const sweepSeconds = await poller.effectiveIntervalSeconds();
const deadline = performance.now() + sweepSeconds * 1000 * 1.2;
while (alertedAt.size < appeared.size && performance.now() < deadline) {
  await new Promise((resolve) => setTimeout(resolve, 200));
}
await poller.stop();
const benchSeconds = (performance.now() - benchStart) / 1000;

const requests = sim.requests.slice(requestsBefore);
const delaysOf = (ids: string[]) =>
  ids
    .filter((id) => alertedAt.has(id))
    .map((id) => ((alertedAt.get(id) ?? 0) - (appeared.get(id) ?? 0)) / 1000)
    .sort((a, b) => a - b);
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
const failureIds = [...appeared.keys()].filter((id) => !id.startsWith("stop:"));
const stopIds = [...appeared.keys()].filter((id) => id.startsWith("stop:"));
const delays = delaysOf(failureIds);
const longDelays = delaysOf(longRunning.map((long) => long.job.id));
const stopDelays = delaysOf(stopIds);

function perMinute(endpoints: SimEndpoint[], rerunOnly?: boolean) {
  const arrivals = requests
    .filter((request) => endpoints.includes(request.endpoint as SimEndpoint))
    .filter((request) => rerunOnly === undefined || (request.query.rerun_only === "true") === rerunOnly)
    .map((request) => request.at);
  let busiest = 0;
  for (let first = 0, last = 0; last < arrivals.length; last++) {
    while ((arrivals[last] ?? 0) - (arrivals[first] ?? 0) >= 60_000) first++;
    busiest = Math.max(busiest, last - first + 1);
  }
  return { total: arrivals.length, average: (arrivals.length / benchSeconds) * 60, busiest };
}
const show = (label: string, figures: ReturnType<typeof perMinute>, limit: string) =>
  console.log(
    `${label.padEnd(34)} ${figures.total} in all, ${figures.average.toFixed(0)}/min on average, busiest 60 s ${figures.busiest} (${limit})`,
  );

console.log(
  `watches:                           ${watchCount} over ${customerCount} customers; sweep ${sweepSeconds.toFixed(0)} s (asked ${INTERVAL_SECONDS} s); look-back ${DEFAULT_LOOK_BACK.windowMs / 60_000} min, ≤ ${DEFAULT_LOOK_BACK.maxPages} extra pages`,
);
console.log(
  `run:                               ${benchSeconds.toFixed(0)} s (${injectSeconds} s of injections)`,
);
show("jobs family GETs (list + details):", perMinute(["list", "get"]), "target ≤ 800/min; Workato 1,000");
show("  of which failed-job lists:", perMinute(["list"], false), "sweep, triggered polls, look-back pages");
show("  of which rerun_only (lineage):", perMinute(["list"], true), "alert redraws and resolution re-checks");
show("recipes family GETs (lists):", perMinute(["recipes"]), "background 1,600/min; Workato 2,000");
show("recipe-name GETs:", perMinute(["recipe"]), "one per watch a day");
console.log(
  `429s received:                     ${requests.filter((request) => request.status === 429).length}`,
);
console.log(
  `failures alerted / injected:       ${delays.length} / ${failureIds.length} (${longRunning.length} long-running, alerted ${longDelays.length}); alerted twice: ${alertedTwice.size}`,
);
console.log(
  `failure → alert:                   p50 ${percentile(delays, 50).toFixed(1)} s, p95 ${percentile(delays, 95).toFixed(1)} s, max ${(delays.at(-1) ?? Number.NaN).toFixed(1)} s (target p95 ≤ 10 s, max ≤ 30 s)`,
);
const PATH_NAMES: Record<PollTrigger, string> = {
  scan: "recipe-list scan",
  again: "recipe-list scan (after the poll under way)",
  sweep: "sweep",
  direct: "a direct poll",
};
const byPath = new Map<string, number>();
for (const id of failureIds) {
  const via = foundBy.get(id);
  const path = via ? PATH_NAMES[via] : alertedAt.has(id) ? "unknown" : "not alerted";
  byPath.set(path, (byPath.get(path) ?? 0) + 1);
}
console.log(
  `  found by:                        ${[...byPath].map(([path, count]) => `${path} ${count}`).join(", ")}`,
);
const delayOf = (id: string) => ((alertedAt.get(id) ?? performance.now()) - (appeared.get(id) ?? 0)) / 1000;
const slowest = [...failureIds].sort((a, b) => delayOf(b) - delayOf(a)).slice(0, 3);
for (const id of slowest) {
  const via = foundBy.get(id);
  const recipeId = recipeOf.get(id) ?? -1;
  const from = appeared.get(id) ?? 0;
  const when = (at: number) => ((at - benchStart) / 1000).toFixed(1);
  console.log(
    `  slow: ${id} recipe ${recipeId}, appeared at ${when(from)} s, ${alertedAt.has(id) ? `alerted after ${delayOf(id).toFixed(1)} s, found by the ${via ? PATH_NAMES[via] : "unknown"}` : "never alerted"}`,
  );
  if (process.env.BENCH_STORY) {
    const seen = (scanSeen.get(recipeId) ?? []).map((s) => `${when(s.at)} s failed=${s.failed}`).join("; ");
    console.log(`    scan read: ${seen}`);
    for (const line of pollHistory.get(watchOfRecipe.get(recipeId) ?? -1) ?? []) console.log(`    ${line}`);
  }
}
console.log(
  `  long-running, behind the cursor: p50 ${percentile(longDelays, 50).toFixed(1)} s, max ${(longDelays.at(-1) ?? Number.NaN).toFixed(1)} s`,
);
console.log(
  `recipe-stopped alerts:             ${stopDelays.length} / ${stopIds.length}, delay max ${(stopDelays.at(-1) ?? Number.NaN).toFixed(1)} s`,
);
console.log(
  `Slack messages posted:             ${slack.calls.filter((call) => call.method === "chat.postMessage").length}`,
);
console.log(
  `peak RSS:                          ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (bot, simulator and fake Slack in one process)`,
);

store.close();
await workato.close();
await slack.close();
await sim.close();
rmSync(dir, { recursive: true, force: true });
