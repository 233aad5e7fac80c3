// Benchmark: 50 open alerts in 5 channels (20 of them with a reply in their thread) and 20 job lists of their
// recipes (the lists the repeats were started from: 90 views), whose 500 jobs are repeated by the bot and settle at random within 10 s in the Workato simulator, while the fake Slack enforces
// chat.update's limit (50 at once, then 50 a minute). Prints how long each view took from an outcome known to it
// redrawn, chat.update calls and 429s, views left showing a Repeat for a job whose repeat succeeded (lost), and
// whether alert parents went first (lists, the least visible, last). Usage: npm run bench:redraw
import { performance } from "node:perf_hooks";
import { WebClient } from "@slack/web-api";
import { pino } from "pino";
import { listButtons, startFakeSlack } from "../sim/fake-slack/index.js";
import { startWorkatoSimulator } from "../sim/workato-simulator/index.js";
import { systemClock } from "../src/clock.js";
import { createLineageReader } from "../src/lineage/lineage-reader.js";
import { createOutcomeFollower } from "../src/lineage/outcome-follower.js";
import { createNames } from "../src/names/names.js";
import { createPoster } from "../src/slack/io/poster.js";
import { createJobListDrawer } from "../src/slack/jobs/job-list-views.js";
import { drawJobList } from "../src/slack/jobs/job-views.js";
import { createSlackAlertSink } from "../src/slack/watches/slack-alert-sink.js";
import { asyncSqliteStore } from "../src/store/async-sqlite.js";
import { openSqliteStore } from "../src/store/sqlite-store.js";
import type { RedrawReport, ViewChange } from "../src/views/redrawer.js";
import { createWatchPoller } from "../src/watch/poller.js";
import { createWorkatoClient } from "../src/workato/client.js";
import { parseCustomerRef } from "../src/workato/customer-ref.js";

const CUSTOMER = 23456;
const ALERTS = 50;
const WITH_REPLY = 20;
const LISTS = 20;
const CHANNELS = 5;
const SETTLE_MS = 10_000;
const FAIL_AGAIN_EVERY = 25;
const logger = pino({ level: "silent" });

const sim = await startWorkatoSimulator();
sim.addCustomer({ id: CUSTOMER });
const slack = await startFakeSlack();
// The app's own Slack client settings: Slack's Retry-After is waited out, then tried again.
const web = new WebClient("xoxb-test-token", {
  slackApiUrl: slack.apiUrl,
  retryConfig: { retries: 3, factor: 2, minTimeout: 200, maxTimeout: 5000 },
});
const poster = createPoster(web, logger);
const workato = createWorkatoClient({ baseUrl: sim.url, token: sim.token, clock: systemClock, logger });
const syncStore = openSqliteStore(":memory:");
const store = asyncSqliteStore(syncStore);

const reports: RedrawReport[] = [];
const lineage = createLineageReader({ workato, botRepeats: store, clock: systemClock, logger });
const names = createNames({ directory: { find: () => undefined }, workato });
const listDeps = { workato, names, lineage, poster };
const poller = createWatchPoller({
  store,
  workato,
  lineage,
  listDrawer: createJobListDrawer(listDeps, logger),
  alerts: createSlackAlertSink(poster),
  intervalSeconds: 3600,
  clock: systemClock,
  logger,
  scanRecipes: false,
  redraw: {
    onDrawn: (report) => {
      reports.push(report);
      timeOf(report);
    },
  },
});

// ---- 50 alerts, 10 jobs each (20 of them 8 in the alert and 2 in a reply in its thread), in 5 channels.
const recipes: { recipeId: number; channel: string; jobs: string[] }[] = [];
for (let n = 0; n < ALERTS; n++) {
  const recipeId = 30_001 + n;
  const channel = `C0BENCH${n % CHANNELS}`;
  sim.addRecipe(CUSTOMER, { id: recipeId, name: `Recipe ${n}` });
  const watch = await store.upsertWatch(
    { channel, customer: String(CUSTOMER), recipeId, mentions: [], createdBy: "U0BENCH" },
    systemClock.now(),
  );
  await poller.pollOnce(watch.id);
  const withReply = n < WITH_REPLY;
  const jobs = sim.addFailedJobs(CUSTOMER, recipeId, withReply ? 8 : 10).map((job) => job.id);
  if ((await poller.pollOnce(watch.id)).kind !== "checked") throw new Error("no alert");
  if (withReply) {
    jobs.push(...sim.addFailedJobs(CUSTOMER, recipeId, 2).map((job) => job.id));
    await poller.pollOnce(watch.id);
  }
  recipes.push({ recipeId, channel, jobs });
}
// ---- 20 job lists (failed jobs of 20 of the recipes, 4 a channel), posted as the bot and registered as the list a
// repeat is started from is (slack/jobs/job-list-views.ts).
for (const { recipeId, channel, jobs } of recipes.slice(ALERTS - LISTS)) {
  const customer = parseCustomerRef(String(CUSTOMER));
  if (!customer.ok) throw new Error("bad customer");
  const request = { customer: customer.ref, recipeId, filter: { status: "failed" as const }, paging: {} };
  const drawn = await drawJobList(listDeps, request, "background", logger);
  if (!drawn.ok) throw new Error("no list");
  const posted = await poster.post(channel, drawn.message);
  if (!posted.ok) throw new Error(`list not posted: ${posted.error}`);
  await store.saveView({
    channel,
    ts: posted.ts,
    threadTs: null,
    customer: customer.ref.display,
    recipeId,
    jobIds: jobs,
    shows: { kind: "job_list", query: { status: "failed" } },
    postedAt: systemClock.now(),
  });
}
const views = await store.views({ postedSince: 0 });
const parents = views.filter((view) => view.shows.kind === "alert").length;
const lists = views.filter((view) => view.shows.kind === "job_list").length;
console.log(
  `views posted:             ${views.length} (${parents} alert parents, ${views.length - parents - lists} thread replies, ${lists} job lists) in ${CHANNELS} channels`,
);

// ---- Slack's limits from now on; every outcome the follower learns is timed from when it is known.
slack.enforceRateLimits(true);
const updatesBefore = slack.calls.filter((call) => call.method === "chat.update").length;
const pendingOutcomes = new Map<string, number[]>();
const keyOf = (view: { channel: string; ts: string }) => `${view.channel} ${view.ts}`;
const viewsOfJob = new Map<string, string[]>();
for (const view of views)
  for (const job of view.jobIds) viewsOfJob.set(job, [...(viewsOfJob.get(job) ?? []), keyOf(view)]);
const latencies: { kind: string; ms: number }[] = [];
let outcomesKnown = 0;
const timed = {
  changed(change: ViewChange) {
    if (change.kind === "jobs") {
      const at = performance.now();
      outcomesKnown += change.masterJobIds.length;
      for (const job of change.masterJobIds)
        for (const key of viewsOfJob.get(job) ?? [])
          pendingOutcomes.set(key, [...(pendingOutcomes.get(key) ?? []), at]);
    }
    poller.views.changed(change);
  },
};
const follower = createOutcomeFollower({
  workato,
  store,
  sink: { progress: () => {}, failedAgain: () => {}, finished: () => {} },
  views: timed,
  clock: systemClock,
  minRoundMs: 500,
  getsPerMinute: 600,
  logger,
});
reports.length = 0;
function timeOf(report: RedrawReport): void {
  if (typeof report.result === "object") return;
  const key = keyOf(report.view);
  const waiting = pendingOutcomes.get(key) ?? [];
  // Outcomes known before this draw started are shown by it; later ones wait for the next.
  const shown = waiting.filter((at) => at <= report.startedAtMs);
  pendingOutcomes.set(
    key,
    waiting.filter((at) => at > report.startedAtMs),
  );
  const doneAt = report.requestedAtMs + report.waitedMs;
  for (const at of shown) latencies.push({ kind: report.view.shows.kind, ms: doneAt - at });
}

// ---- The bot repeats every job: recorded and answered as the runner does, its new jobs settling within 10 s.
const succeeded = new Set<string>();
const benchStart = performance.now();
for (const { recipeId, channel, jobs } of recipes) {
  const now = systemClock.now();
  const repeat = syncStore.createRepeat(
    { userId: "U0BENCH", channel, threadTs: "1.1", customer: String(CUSTOMER), recipeId },
    jobs,
    now,
  );
  syncStore.markInFlight(
    jobs.map((jobId) => ({ repeatId: repeat.id, jobId })),
    now,
  );
  const results = jobs.map((jobId, index) => {
    const outcome = index % FAIL_AGAIN_EVERY === 3 ? "failed" : "succeeded";
    if (outcome === "succeeded") succeeded.add(jobId);
    const newJob = sim.repeatInWorkatoUi(jobId, { outcome, afterMs: Math.random() * SETTLE_MS });
    return { jobId, outcome: "enqueued" as const, newJobId: newJob.id };
  });
  syncStore.recordResults(repeat.id, results, 1);
  await follower.follow(repeat.id);
}
follower.start();
const settledBy = benchStart + SETTLE_MS;
while ((await store.unfinishedFollowUps()).length > 0)
  await new Promise((resolve) => setTimeout(resolve, 100));
const followedAt = performance.now();
await poller.views.idle();
const doneAt = performance.now();
await follower.stop();

// ---- What the channel shows now.
let lost = 0;
for (const view of views) {
  const message = slack.message(view.channel, view.ts);
  const offers = message ? listButtons(message).filter((button) => button.text.startsWith("Repeat")) : [];
  if (offers.some((button) => [...succeeded].some((id) => button.value?.includes(id)))) lost++;
}
const drawn = reports.filter((report) => report.result === "redrawn");
// An inversion: a thread reply started while an alert parent was already waiting.
let inversions = 0;
for (const reply of drawn.filter((report) => report.view.shows.kind !== "alert"))
  for (const parent of drawn.filter((report) => report.view.shows.kind === "alert"))
    if (parent.requestedAtMs < reply.startedAtMs && parent.startedAtMs > reply.startedAtMs) inversions++;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};
const line = (label: string, values: number[]) =>
  console.log(
    `${label.padEnd(26)}p50 ${(percentile(values, 50) / 1000).toFixed(2)} s · p95 ${(percentile(values, 95) / 1000).toFixed(2)} s · max ${(Math.max(0, ...values) / 1000).toFixed(2)} s (${values.length} outcome×view pairs)`,
  );
const updates = slack.calls.filter((call) => call.method === "chat.update").slice(updatesBefore);
const repeated = recipes.reduce((sum, recipe) => sum + recipe.jobs.length, 0);
console.log(
  `jobs repeated:            ${repeated} (${succeeded.size} succeed, the rest fail again) within ${SETTLE_MS / 1000} s; ${outcomesKnown} job changes told to the views`,
);
console.log(
  `follow-up ended:          ${((followedAt - benchStart) / 1000).toFixed(1)} s after the first repeat (last settle by ${((settledBy - benchStart) / 1000).toFixed(0)} s); views idle ${((doneAt - followedAt) / 1000).toFixed(1)} s later`,
);
line(
  "outcome known → redrawn:",
  latencies.map((sample) => sample.ms),
);
line(
  "  alert parents:",
  latencies.filter((sample) => sample.kind === "alert").map((sample) => sample.ms),
);
line(
  "  thread replies:",
  latencies.filter((sample) => sample.kind === "alert_follow_up").map((sample) => sample.ms),
);
line(
  "  job lists:",
  latencies.filter((sample) => sample.kind === "job_list").map((sample) => sample.ms),
);
console.log(
  `chat.update calls:        ${updates.filter((call) => call.ok).length} accepted, ${slack.rateLimitedCount("chat.update")} answered 429 (${drawn.length} redraws, ${reports.filter((report) => report.result === "unchanged").length} skipped as unchanged)`,
);
console.log(
  `views lost:               ${lost} still offer Repeat for a job whose repeat succeeded (target 0)`,
);
console.log(
  `alert parents first:      ${inversions === 0 ? "yes" : "no"} (${inversions} replies drawn while a parent waited)`,
);

await workato.close();
await slack.close();
await sim.close();
syncStore.close();
