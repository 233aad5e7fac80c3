// Benchmark: repeat N failed jobs (default 1,000) through the client and scheduler against the Workato simulator,
// and compare the wall time with the physical limit of 25 jobs per request, one request per second.
// Usage: npm run bench:repeat [-- N]
import { performance } from "node:perf_hooks";
import { startWorkatoSimulator } from "../sim/workato-simulator/index.js";
import { systemClock } from "../src/clock.js";
import { createRepeatScheduler } from "../src/repeat/repeat-scheduler.js";
import { createWorkatoClient } from "../src/workato/client.js";
import { parseCustomerRef } from "../src/workato/customer-ref.js";
import { MAX_JOBS_PER_REPEAT } from "../src/workato/limits.js";

const jobCount = Number(process.argv[2] ?? 1000);
const CUSTOMER = 23456;
const RECIPE = 28904;

const sim = await startWorkatoSimulator();
sim.addCustomer({ id: CUSTOMER });
sim.addRecipe(CUSTOMER, { id: RECIPE, name: "Orders" });
const jobIds = sim.addFailedJobs(CUSTOMER, RECIPE, jobCount).map((job) => job.id);
const client = createWorkatoClient({ baseUrl: sim.url, token: sim.token, clock: systemClock });
const scheduler = createRepeatScheduler({ client, clock: systemClock });
const customer = parseCustomerRef(String(CUSTOMER));
if (!customer.ok) throw new Error(customer.message);

const startedAt = performance.now();
const results = await scheduler.repeat({ customer: customer.ref, recipeId: RECIPE, jobIds });
const wallSeconds = (performance.now() - startedAt) / 1000;

const repeatRequests = sim.requests.filter((request) => request.endpoint === "repeat");
const enqueued = results.filter((result) => result.outcome === "enqueued").length;
const physicalLimitSeconds = Math.ceil(jobCount / MAX_JOBS_PER_REPEAT) - 1;
const gaps = repeatRequests.slice(1).map((request, i) => request.at - (repeatRequests[i]?.at ?? 0));

console.log(`jobs repeated:        ${enqueued} of ${jobCount} enqueued`);
console.log(
  `requests sent:        ${repeatRequests.length} (ideal ${Math.ceil(jobCount / MAX_JOBS_PER_REPEAT)})`,
);
console.log(`429s received:        ${repeatRequests.filter((request) => request.status === 429).length}`);
console.log(
  `smallest gap:         ${gaps.length ? Math.min(...gaps).toFixed(1) : "-"} ms between request starts`,
);
console.log(`wall time:            ${wallSeconds.toFixed(2)} s`);
console.log(`physical limit:       ${physicalLimitSeconds} s ((ceil(N/25) - 1) x 1 s)`);
console.log(
  `ratio:                ${physicalLimitSeconds > 0 ? (wallSeconds / physicalLimitSeconds).toFixed(3) : "-"} (target <= 1.03)`,
);

await client.close();
await sim.close();
