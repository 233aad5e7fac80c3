// Benchmark: two replicas (`node dist/main.js`) on one throwaway Postgres. A 1,000-job repeat asked for in five
// commands alternating between the replicas, then 20 people × 13 jobs of one recipe on alternating replicas within a
// second; then kill -9 of the leader (failover) and SIGTERM of the next one (hand-over). Prints the ratio to the
// physical limit (target ≤ 1.02), 429s (0), requests for the 20 × 13 (ideal 11), start → ready per replica, failover
// and hand-over times.
// Usage: npm run bench:replicas   (builds first; BENCH_ENTRY=source runs src/main.ts through tsx instead)
import { performance } from "node:perf_hooks";
import { CUSTOMER, fakeServicesEnv, SIGNING_SECRET } from "../sim/app-harness.js";
import { type AppProcess, startAppProcess } from "../sim/app-process.js";
import { startFakeSlack } from "../sim/fake-slack/index.js";
import { startPostgres } from "../sim/postgres-server.js";
import { repeatByCommand } from "../sim/repeat-command.js";
import { createSlackRequester, type SlackRequester } from "../sim/slack-requests.js";
import { MAX_JOBS_PER_REPEAT } from "../src/workato/limits.js";
import { type RemoteRequest, startRemoteSimulator } from "./support/remote-simulator.js";

const BIG_RECIPE = 61001;
const SHARED_RECIPE = 61002;
const SHARED_CUSTOMER = CUSTOMER + 1;
const BIG_JOBS = 1000;
/** the most job ids one command takes (MAX_JOB_IDS_PER_COMMAND) */
const IDS_PER_COMMAND = 200;
const PEOPLE = 20;
const JOBS_EACH = 13;
const CHANNEL = "C0BENCH";
const TARGET_RATIO = 1.02;
const entry = process.env.BENCH_ENTRY === "source" ? "source" : "built";

interface Replica {
  name: string;
  bot: AppProcess;
  send: SlackRequester;
}

const postgres = await startPostgres();
const databaseUrl = await postgres.createDatabase();
// In a process of its own, so the load of this one (fake Slack, five bots' posts) cannot skew its 1-per-second judge.
const sim = await startRemoteSimulator({ latencyMs: 0 });
const big = await sim.seed({ customer: CUSTOMER, recipe: BIG_RECIPE, name: "Big", failedJobs: BIG_JOBS });
const shared = await sim.seed({
  customer: SHARED_CUSTOMER,
  recipe: SHARED_RECIPE,
  name: "Shared",
  failedJobs: PEOPLE * JOBS_EACH,
});
const slack = await startFakeSlack();
const replicas: Replica[] = [];

async function startReplica(name: string): Promise<Replica> {
  const bot = await startAppProcess(
    {
      ...fakeServicesEnv(sim, slack),
      DATABASE_URL: databaseUrl,
      REPLICA_NAME: name,
      LOG_LEVEL: "warn",
    },
    [],
    { entry, pollMs: 10 },
  );
  const replica = {
    name,
    bot,
    send: createSlackRequester({ appUrl: bot.url, signingSecret: SIGNING_SECRET, fake: slack }),
  };
  replicas.push(replica);
  return replica;
}

async function leads(replica: Replica, lease: string): Promise<boolean> {
  const text = await fetch(`${replica.bot.url}/metrics`).then(
    (response) => response.text(),
    () => "",
  );
  return new RegExp(`^leader\\{[^}]*lease="${lease}"[^}]*\\} 1$`, "m").test(text);
}

/** Waits until one of `candidates` holds `lease`; returns it and the time since `since`. */
async function untilOneLeads(
  candidates: Replica[],
  lease: string,
  since: number,
): Promise<{ leader: Replica; ms: number }> {
  for (;;) {
    for (const candidate of candidates) {
      if (await leads(candidate, lease)) return { leader: candidate, ms: performance.now() - since };
    }
    if (performance.now() - since > 30_000) throw new Error(`nobody took ${lease} within 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const jobIdsOf = (request: RemoteRequest) => (request.body as { job_ids?: string[] }).job_ids ?? [];

/** The repeat requests that carried these jobs, in arrival order. */
async function repeatRequests(jobIds: readonly string[]): Promise<RemoteRequest[]> {
  const ours = new Set(jobIds);
  return (await sim.requests()).filter(
    (request) => request.endpoint === "repeat" && jobIdsOf(request).some((id) => ours.has(id)),
  );
}

async function untilRepeated(jobIds: readonly string[]): Promise<RemoteRequest[]> {
  const deadline = performance.now() + 120_000;
  for (;;) {
    const requests = await repeatRequests(jobIds);
    const sent = requests.filter((request) => request.status === 200).flatMap(jobIdsOf);
    if (sent.length >= jobIds.length) return requests;
    if (performance.now() > deadline)
      throw new Error(`only ${sent.length} of ${jobIds.length} jobs repeated`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function repeatCommand(replica: Replica, user: string, customer: number, recipeId: number, jobIds: string[]) {
  return repeatByCommand(
    { send: replica.send, slack },
    { text: `repeat ${customer} ${recipeId} ${jobIds.join(" ")}`, user: { id: user }, channel: CHANNEL },
  );
}

try {
  const a = await startReplica("a");
  const b = await startReplica("b");
  await untilOneLeads([a], "repeat-dispatcher", performance.now());

  // 1. 1,000 jobs of one recipe, in five commands alternating between the replicas: 40 full requests a second apart.
  await Promise.all(
    Array.from({ length: BIG_JOBS / IDS_PER_COMMAND }, (_, part) =>
      repeatCommand(
        replicas[part % 2] as Replica,
        `U0BIG${part}`,
        CUSTOMER,
        BIG_RECIPE,
        big.slice(part * IDS_PER_COMMAND, (part + 1) * IDS_PER_COMMAND),
      ),
    ),
  );
  // Every command confirmed: the whole repeat is asked for. Request arrivals are the simulator's epoch clock.
  const askedAt = Date.now();
  const bigRequests = await untilRepeated(big);
  const bigSeconds = ((bigRequests.at(-1)?.at ?? Number.NaN) - askedAt) / 1000;
  const spanSeconds = ((bigRequests.at(-1)?.at ?? Number.NaN) - (bigRequests[0]?.at ?? Number.NaN)) / 1000;
  const physicalSeconds = Math.ceil(BIG_JOBS / MAX_JOBS_PER_REPEAT) - 1;
  const ratio = spanSeconds / physicalSeconds;

  // 2. 20 people × 13 jobs of one recipe, alternating replicas, all within a second: ideally 11 shared requests.
  await Promise.all(
    Array.from({ length: PEOPLE }, (_, person) =>
      repeatCommand(
        replicas[person % 2] as Replica,
        `U0PERSON${person}`,
        SHARED_CUSTOMER,
        SHARED_RECIPE,
        shared.slice(person * JOBS_EACH, (person + 1) * JOBS_EACH),
      ),
    ),
  );
  const sharedRequests = (await untilRepeated(shared)).length;
  const refused = (await sim.requests()).filter((request) => request.status === 429);
  const tooMany = refused.length;
  const gaps = bigRequests.slice(1).map((request, i) => request.at - (bigRequests[i]?.at ?? 0));

  // 3. Failover: kill -9 of the leader (A); B or C takes the dispatcher's lease. 4. Hand-over: SIGTERM of that one.
  const c = await startReplica("c");
  a.bot.child.kill("SIGKILL");
  const killedAt = performance.now();
  const failover = await untilOneLeads([b, c], "repeat-dispatcher", killedAt);
  const failoverMs = failover.ms;
  failover.leader.bot.child.kill("SIGTERM");
  const terminatedAt = performance.now();
  const next = failover.leader === b ? c : b;
  const handOverMs = (await untilOneLeads([next], "repeat-dispatcher", terminatedAt)).ms;

  console.log(`entry:                     ${entry === "built" ? "node dist/main.js" : "tsx src/main.ts"}`);
  for (const replica of replicas) {
    console.log(`start → ready (${replica.name}):       ${replica.bot.readyMs.toFixed(0)} ms`);
  }
  console.log(
    `1,000 jobs, 5 commands a/b: ${bigRequests.length} requests, last ${bigSeconds.toFixed(2)} s after the last confirmation (first to last ${spanSeconds.toFixed(2)} s); physical limit ${physicalSeconds} s`,
  );
  console.log(
    `ratio to physical limit:   ${ratio.toFixed(3)} (first to last request; target ≤ ${TARGET_RATIO}); ` +
      `${(bigSeconds / physicalSeconds).toFixed(3)} counted from the last confirmation`,
  );
  console.log(`smallest gap:              ${Math.min(...gaps).toFixed(1)} ms between repeat requests`);
  console.log(
    `429s from Workato:         ${tooMany} (target 0)${refused.map((request) => ` ${request.endpoint}`).join("")}`,
  );
  console.log(
    `20 people × 13 jobs:       ${sharedRequests} requests (ideal ${Math.ceil((PEOPLE * JOBS_EACH) / MAX_JOBS_PER_REPEAT)})`,
  );
  console.log(`failover after kill -9:    ${(failoverMs / 1000).toFixed(2)} s (bound 15 s)`);
  console.log(`hand-over after SIGTERM:   ${(handOverMs / 1000).toFixed(2)} s`);
  if (ratio > TARGET_RATIO || tooMany > 0 || failoverMs > 15_000) process.exitCode = 1;
} catch (error) {
  // What the replicas said is what explains a failed run.
  for (const replica of replicas)
    console.error(`--- ${replica.name}:\n${replica.bot.logLines.slice(-15).join("\n")}`);
  throw error;
} finally {
  await Promise.all(replicas.map((replica) => replica.bot.stop()));
  await slack.close();
  await sim.close();
  await postgres.stop();
}
