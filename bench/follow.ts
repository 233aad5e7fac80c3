// Benchmark: follow a 1,000-job repeat whose new jobs settle at random over 2 minutes in the Workato simulator, and
// print the GETs the follow-up spent, how late the end was reported after the last job settled, and 429s.
// Usage: npm run bench:follow [-- N [settleSeconds]]
import { performance } from "node:perf_hooks";
import { startWorkatoSimulator } from "../sim/workato-simulator/index.js";
import { systemClock } from "../src/clock.js";
import { createOutcomeFollower } from "../src/lineage/outcome-follower.js";
import type { FollowUpEnd } from "../src/lineage/outcome-sink.js";
import { openSqliteStore } from "../src/store/sqlite-store.js";
import { createWorkatoClient } from "../src/workato/client.js";
import { parseCustomerRef } from "../src/workato/customer-ref.js";
import { MAX_JOBS_PER_REPEAT } from "../src/workato/limits.js";

const jobCount = Number(process.argv[2] ?? 1000);
const settleMs = Number(process.argv[3] ?? 120) * 1000;
const FAIL_AGAIN_EVERY = 33;
const CUSTOMER = 23456;
const RECIPE = 28904;

/** A repeatable spread of delays: the same master always settles after the same time. */
function unitOf(text: string): number {
  let hash = 2166136261;
  for (const char of text) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
  return hash / 2 ** 32;
}

let lastSettleAt = 0;
const sim = await startWorkatoSimulator({
  settleRepeats: {
    afterMs: (masterJobId) => {
      const afterMs = Math.round(unitOf(masterJobId) * settleMs);
      lastSettleAt = Math.max(lastSettleAt, performance.now() + afterMs);
      return afterMs;
    },
    outcome: (masterJobId) => (unitOf(`${masterJobId}!`) * FAIL_AGAIN_EVERY < 1 ? "failed" : "succeeded"),
  },
});
sim.addCustomer({ id: CUSTOMER });
sim.addRecipe(CUSTOMER, { id: RECIPE, name: "Orders" });
const jobIds = sim.addFailedJobs(CUSTOMER, RECIPE, jobCount).map((job) => job.id);
const workato = createWorkatoClient({ baseUrl: sim.url, token: sim.token, clock: systemClock });
const store = openSqliteStore(":memory:");
const parsed = parseCustomerRef(String(CUSTOMER));
if (!parsed.ok) throw new Error(parsed.message);
const customer = parsed.ref;

// The repeat as the runner records it: created, each batch marked in flight, sent, its results recorded.
const repeat = store.createRepeat(
  { userId: "U_BENCH", channel: "C_BENCH", threadTs: "1.1", customer: customer.display, recipeId: RECIPE },
  jobIds,
  systemClock.now(),
);
const sendStartedAt = performance.now();
for (let start = 0, batch = 1; start < jobIds.length; start += MAX_JOBS_PER_REPEAT, batch++) {
  const chunk = jobIds.slice(start, start + MAX_JOBS_PER_REPEAT);
  store.markInFlight(
    chunk.map((jobId) => ({ repeatId: repeat.id, jobId })),
    systemClock.now(),
  );
  const sent = await workato.repeatAtNextSlot(() => ({ customer, recipeId: RECIPE, jobIds: chunk }), {
    priority: "background",
  });
  if (sent?.attempt.kind !== "answered") throw new Error(`batch ${batch} was not answered`);
  store.recordResults(repeat.id, sent.attempt.results, batch);
}
const sentSeconds = (performance.now() - sendStartedAt) / 1000;
const requestsBeforeFollowing = sim.requests.length;

let progressReports = 0;
let failedAgainReported = 0;
const ended = new Promise<{ end: FollowUpEnd; at: number }>((resolve) => {
  const follower = createOutcomeFollower({
    workato,
    store,
    clock: systemClock,
    sink: {
      progress: () => {
        progressReports++;
      },
      failedAgain: (_repeat, jobs) => {
        failedAgainReported += jobs.length;
      },
      finished: (_repeat, end) => {
        resolve({ end, at: performance.now() });
        void follower.stop();
      },
    },
  });
  void follower.follow(repeat.id).then(() => follower.start());
});
const followStartedAt = performance.now();
const { end, at } = await ended;

const followRequests = sim.requests.slice(requestsBeforeFollowing);
const followGets = followRequests.filter((request) => request.endpoint === "list");
const followSeconds = (at - followStartedAt) / 1000;
const pageSize = 50;
console.log(`jobs followed:            ${end.counts.total} (sent in ${sentSeconds.toFixed(1)} s)`);
console.log(
  `outcomes:                 ${end.counts.succeeded} succeeded · ${end.counts.failed} failed again · ${end.counts.running} running (${end.reason})`,
);
console.log(`failed again reported:    ${failedAgainReported}; summary edits: ${progressReports}`);
console.log(
  `GETs on follow-ups:       ${followGets.length} over ${followSeconds.toFixed(1)} s (${((followGets.length / followSeconds) * 60).toFixed(0)}/min; one full pass = ${Math.ceil(jobCount / pageSize)} pages)`,
);
console.log(
  `last settle → reported:   ${((at - lastSettleAt) / 1000).toFixed(2)} s (settling window ${settleMs / 1000} s)`,
);
console.log(
  `429s received:            ${sim.requests.filter((request) => request.status === 429).length} (target 0)`,
);

await workato.close();
await sim.close();
store.close();
