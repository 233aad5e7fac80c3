// Benchmark: `/workato-jobs repeat … failed since 3h` end to end (real app over HTTP, Workato simulator, fake Slack
// with Slack's rate limits on): N failed jobs in range over pages of 50, plus 100 already repeated and 200 older than
// `since`. Prints reading time and GETs, confirm → first request, the request spacing, 429s on both sides, the time
// until every result is in the thread, and the app's peak RSS: the app runs as its own process (src/main.ts via tsx).
// Usage: npm run bench:recover [-- N]   (default 1,000)
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { ALICE, CHANNEL, CUSTOMER, fakeServicesEnv, RECIPE, SIGNING_SECRET } from "../sim/app-harness.js";
import { startAppProcess } from "../sim/app-process.js";
import { listButtons, startFakeSlack } from "../sim/fake-slack/index.js";
import { isRepeatSummary } from "../sim/repeat-summary.js";
import { createSlackRequester } from "../sim/slack-requests.js";
import { startWorkatoSimulator } from "../sim/workato-simulator/index.js";

const jobCount = Number(process.argv[2] ?? 1000);
const HOUR = 3_600_000;

const sim = await startWorkatoSimulator({ pageSize: 50 });
sim.addCustomer({ id: CUSTOMER });
sim.addRecipe(CUSTOMER, { id: RECIPE, name: "Salesforce accounts to NetSuite" });
const slack = await startFakeSlack({ rateLimits: true });
const app = await startAppProcess({
  ...fakeServicesEnv(sim, slack),
  SQLITE_PATH: ":memory:",
  LOG_LEVEL: "warn",
});
const send = createSlackRequester({ appUrl: app.url, signingSecret: SIGNING_SECRET, fake: slack });
/** The app's resident memory now and at its peak (Linux /proc: VmRSS, VmHWM), in MB. */
function appRss(): { now: number; peak: number } {
  const status = readFileSync(`/proc/${app.child.pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { now: kb("VmRSS") / 1024, peak: kb("VmHWM") / 1024 };
}
const rssAtStart = appRss();
const now = Date.now();
sim.seedFailures({
  customer: CUSTOMER,
  recipeId: RECIPE,
  count: 200,
  from: new Date(now - 6 * HOUR),
  to: new Date(now - 4 * HOUR),
});
const { failures } = sim.seedFailures({
  customer: CUSTOMER,
  recipeId: RECIPE,
  count: jobCount + 100,
  from: new Date(now - 2 * HOUR),
  to: new Date(now - 60_000),
  repeated: { succeeded: 100 },
});
const eligible = failures.filter((job) => job.repeatCount === 0);
const lists = () => sim.requests.filter((request) => request.endpoint === "list").length;
const repeats = () => sim.requests.filter((request) => request.endpoint === "repeat");

// 1. The command, until the preview with its Repeat button is there.
const readStarted = performance.now();
const listsBefore = lists();
await send.slashCommand({
  text: `repeat ${CUSTOMER} ${RECIPE} failed since 3h`,
  user: ALICE,
  channel: CHANNEL,
});
const preview = await slack.waitFor(
  () =>
    slack
      .ephemerals(CHANNEL, ALICE.id)
      .find((message) => listButtons(message).some((button) => button.actionId.startsWith("repeat_confirm"))),
  { timeoutMs: 120_000 },
);
const readMs = performance.now() - readStarted;
const readGets = lists() - listsBefore;
const button = listButtons(preview).find((candidate) => candidate.actionId.startsWith("repeat_confirm"));

// 2. Confirm, then until every result is in the thread.
const confirmAt = performance.timeOrigin + performance.now();
await send.click({
  channel: CHANNEL,
  messageTs: preview.ts,
  button: { actionId: button?.actionId ?? "" },
  user: ALICE,
});
const parent = await slack.waitFor(() => slack.messages(CHANNEL)[0]);
const threadText = () =>
  slack
    .thread(CHANNEL, parent.ts)
    .map((reply) => `${reply.text}\n${JSON.stringify(reply.blocks)}`)
    .join("\n");
// A cheap probe: the simulator shares this process, and a busy event loop would bunch its arrival times.
await slack.waitFor(() => isRepeatSummary(slack.thread(CHANNEL, parent.ts).at(-1)?.text ?? ""), {
  timeoutMs: (jobCount / 25) * 1100 + 120_000,
  intervalMs: 500,
});
const doneAt = performance.timeOrigin + performance.now();
const thread = threadText();
const missing = eligible.filter((job) => !thread.includes(job.id)).length;

const sent = repeats();
const first = sent[0]?.at ?? confirmAt;
const last = sent.at(-1)?.at ?? first;
const workato429 = sim.requests.filter((request) => request.status === 429).length;

console.log(
  `failed jobs in range:   ${failures.length} (${failures.length - eligible.length} already repeated) + 200 older than since`,
);
console.log(`preview:                ${preview.text}`);
console.log(
  `reading:                ${(readMs / 1000).toFixed(2)} s, ${readGets} GETs (failed pages + lineage)`,
);
console.log(`confirm → first request: ${((first - confirmAt) / 1000).toFixed(3)} s (target ≤ 1.5)`);
console.log(
  `request spacing:        ${sent.length > 1 ? ((last - first) / 1000 / (sent.length - 1)).toFixed(4) : "-"} s (first → last ÷ (requests − 1), target ≤ 1.02), ${sent.length} requests`,
);
console.log(
  `jobs sent:              ${new Set(sent.flatMap((r) => (r.body as { job_ids: string[] }).job_ids)).size} of ${eligible.length} eligible`,
);
console.log(`Workato 429s:           ${workato429} (target 0)`);
console.log(`Slack 429s received:    ${slack.rateLimitedCount()}`);
console.log(
  `every result in thread: ${((doneAt - confirmAt) / 1000).toFixed(2)} s after confirm (${missing} missing), ${slack.thread(CHANNEL, parent.ts).length} replies`,
);
const rss = appRss();
console.log(
  `app RSS:                peak ${rss.peak.toFixed(0)} MB (${rssAtStart.now.toFixed(0)} MB after start, ${rss.now.toFixed(0)} MB at the end)`,
);

await app.stop();
await slack.close();
await sim.close();
