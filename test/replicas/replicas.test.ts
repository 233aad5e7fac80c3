// Two real bot processes on one real Postgres, behind no load balancer: each request goes to the replica the test
// picks, so commands, confirmations and clicks alternate between them. Repeats keep Workato's pacing and share
// requests across replicas, a double click split across them repeats once, a kill -9 of the leader mid-repeat loses
// and duplicates nothing, the other takes over within 15 s, and a watch alerts once per new failure.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ALICE, BOB, CUSTOMER, SIGNING_SECRET } from "../../sim/app-harness.js";
import { type AppProcess, startAppProcess } from "../../sim/app-process.js";
import { type FakeSlack, listButtons, startFakeSlack } from "../../sim/fake-slack/index.js";
import { repeatByCommand } from "../../sim/repeat-command.js";
import { isRepeatSummary } from "../../sim/repeat-summary.js";
import { createSlackRequester, type SlackRequester } from "../../sim/slack-requests.js";
import { startWorkatoSimulator, type WorkatoSimulator } from "../../sim/workato-simulator/index.js";
import { openPostgresStore } from "../../src/store/postgres-store.js";
import type { AsyncStore } from "../../src/store/store.js";
import { startTestPostgres, type TestPostgres } from "../support/postgres.js";

// One recipe per scenario, so each counts only its own requests at the simulator.
const PACED_RECIPE = 51001;
const SHARED_RECIPE = 51002;
const CLICKED_RECIPE = 51003;
const KILLED_RECIPE = 51004;
const WATCHED_RECIPE = 51005;
const ON_CALL_RECIPE = 51006;
const CHANNEL = "C0REPLICAS";
const WATCH_CHANNEL = "C0WATCHES";
const ON_CALL_CHANNEL = "C0ONCALLREPLICAS";
const FAILOVER_BOUND_MS = 15_000;

interface Replica {
  bot: AppProcess;
  send: SlackRequester;
}

let postgres: TestPostgres;
let sim: WorkatoSimulator;
let slack: FakeSlack;
let store: AsyncStore;
let a: Replica;
let b: Replica;
const started: AppProcess[] = [];

async function startReplica(name: string, databaseUrl: string): Promise<Replica> {
  const bot = await startAppProcess({
    SLACK_BOT_TOKEN: "xoxb-test-token",
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    WORKATO_API_TOKEN: sim.token,
    WORKATO_BASE_URL: sim.url,
    DATABASE_URL: databaseUrl,
    REPLICA_NAME: name,
    REPEAT_COALESCE_MS: "1000",
    WATCH_INTERVAL_SECONDS: "10",
    LOG_LEVEL: "info",
  });
  started.push(bot);
  return { bot, send: createSlackRequester({ appUrl: bot.url, signingSecret: SIGNING_SECRET, fake: slack }) };
}

beforeAll(async () => {
  postgres = await startTestPostgres();
  const databaseUrl = await postgres.createDatabase();
  sim = await startWorkatoSimulator();
  sim.addCustomer({ id: CUSTOMER });
  for (const recipe of [
    PACED_RECIPE,
    SHARED_RECIPE,
    CLICKED_RECIPE,
    KILLED_RECIPE,
    WATCHED_RECIPE,
    ON_CALL_RECIPE,
  ]) {
    sim.addRecipe(CUSTOMER, { id: recipe, name: `Recipe ${recipe}` });
  }
  slack = await startFakeSlack();
  // A first, so it takes every lease; B starts while A migrates nothing more and waits for its turn.
  a = await startReplica("a", databaseUrl);
  b = await startReplica("b", databaseUrl);
  store = await openPostgresStore({ connectionString: databaseUrl, onConnectionError: () => {} });
}, 60_000);

afterAll(async () => {
  await Promise.all(started.map((bot) => bot.stop()));
  await store?.close();
  await sim?.close();
  await slack?.close();
  await postgres?.stop();
}, 60_000);

const repeatRequests = (recipeId: number) =>
  sim.requests.filter((request) => request.endpoint === "repeat" && request.recipeId === recipeId);
const sentJobIds = (recipeId: number) =>
  repeatRequests(recipeId).flatMap((request) => (request.body as { job_ids: string[] }).job_ids);

async function finishedThread(channel: string, parentTs: string, timeoutMs = 20_000): Promise<string> {
  return slack.waitFor(
    () => {
      const text = slack
        .thread(channel, parentTs)
        .map((reply) => `${reply.text}\n${JSON.stringify(reply.blocks)}`)
        .join("\n");
      return isRepeatSummary(text) ? text : undefined;
    },
    { timeoutMs },
  );
}

async function leaderOf(replica: Replica, lease: string): Promise<boolean> {
  const text = await fetch(`${replica.bot.url}/metrics`).then((response) => response.text());
  return new RegExp(`^leader\\{[^}]*lease="${lease}"[^}]*\\} 1$`, "m").test(text);
}

describe("two replicas on one Postgres", () => {
  it("serve commands on either replica, a repeat typed on one and confirmed on the other, paced a second apart", async () => {
    expect(await leaderOf(a, "repeat-dispatcher")).toBe(true);
    expect(await leaderOf(b, "repeat-dispatcher")).toBe(false);
    // A watch made on B, for the alert scenario below; B answers while A polls.
    await b.send.slashCommand({
      text: `watch ${CUSTOMER} ${WATCHED_RECIPE}`,
      user: ALICE,
      channel: WATCH_CHANNEL,
    });
    await slack.waitFor(() => slack.messages(WATCH_CHANNEL)[0]);

    const jobs = sim.addFailedJobs(CUSTOMER, PACED_RECIPE, 60).map((job) => job.id);
    const seen = slack.ephemerals(CHANNEL, ALICE.id).length;
    await a.send.slashCommand({
      text: `repeat ${CUSTOMER} ${PACED_RECIPE} ${jobs.join(" ")}`,
      user: ALICE,
      channel: CHANNEL,
    });
    const confirmation = await slack.waitFor(() => slack.ephemerals(CHANNEL, ALICE.id)[seen]);
    const confirm = listButtons(confirmation).find((button) => button.actionId.startsWith("repeat_confirm"));
    // The confirmation shown by A is confirmed through B: the token waits in Postgres, not in A's memory.
    await b.send.click({
      channel: CHANNEL,
      messageTs: confirmation.ts,
      button: { actionId: confirm?.actionId ?? "" },
      user: ALICE,
    });
    const parent = await slack.waitFor(() => slack.messages(CHANNEL).at(-1));
    const thread = await finishedThread(CHANNEL, parent.ts);
    expect(thread).toContain("60 enqueued, 0 refused, 0 unknown");

    const requests = repeatRequests(PACED_RECIPE);
    expect(requests.map((request) => request.status)).toEqual([200, 200, 200]);
    const gaps = requests.slice(1).map((request, i) => request.at - (requests[i]?.at ?? 0));
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(1000);
  });

  it("shares one request between two people repeating 10 jobs each within a second on different replicas", async () => {
    const jobs = sim.addFailedJobs(CUSTOMER, SHARED_RECIPE, 20).map((job) => job.id);
    const before = slack.messages(CHANNEL).length;
    await Promise.all([
      repeatByCommand(
        { send: a.send, slack },
        {
          text: `repeat ${CUSTOMER} ${SHARED_RECIPE} ${jobs.slice(0, 10).join(" ")}`,
          user: ALICE,
          channel: CHANNEL,
        },
      ),
      repeatByCommand(
        { send: b.send, slack },
        {
          text: `repeat ${CUSTOMER} ${SHARED_RECIPE} ${jobs.slice(10).join(" ")}`,
          user: BOB,
          channel: CHANNEL,
        },
      ),
    ]);
    const parents = await slack.waitFor(() => {
      const messages = slack.messages(CHANNEL).slice(before);
      return messages.length === 2 ? messages : undefined;
    });
    await Promise.all(parents.map((parent) => finishedThread(CHANNEL, parent.ts)));
    expect(
      repeatRequests(SHARED_RECIPE).map((request) => (request.body as { job_ids: string[] }).job_ids.length),
    ).toEqual([20]);
  });

  it("repeats once when a button's double click and Slack's redelivery reach both replicas", async () => {
    const jobs = sim.addFailedJobs(CUSTOMER, CLICKED_RECIPE, 3);
    const before = slack.messages(CHANNEL).length;
    await a.send.slashCommand({
      text: `list ${CUSTOMER} ${CLICKED_RECIPE} failed`,
      user: BOB,
      channel: CHANNEL,
    });
    const list = await slack.waitFor(() => slack.messages(CHANNEL)[before]);
    const told = () =>
      slack.ephemerals(CHANNEL, BOB.id).filter((message) => /already asked/.test(message.text));
    const click = { channel: CHANNEL, messageTs: list.ts, button: { text: "Repeat 3 failed" }, user: BOB };
    const answers = await Promise.all([
      a.send.click(click),
      b.send.click(click),
      b.send.click(click, { retryNum: 1 }),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200]);
    await finishedThread(CHANNEL, list.ts);
    await slack.waitFor(() => told().length === 2);
    expect(jobs.map((job) => sim.job(job.id)?.repeatCount)).toEqual([1, 1, 1]);
    expect(repeatRequests(CLICKED_RECIPE)).toHaveLength(1);
  });

  it("gives an alert to one of two people clicking I'm on it on different replicas; take over and release on the other", async () => {
    await b.send.slashCommand({
      text: `watch ${CUSTOMER} ${ON_CALL_RECIPE}`,
      user: ALICE,
      channel: ON_CALL_CHANNEL,
    });
    await slack.waitFor(() => slack.messages(ON_CALL_CHANNEL)[0]);
    await vi.waitFor(
      async () => {
        const [watch] = await store.watches({ channel: ON_CALL_CHANNEL });
        if (!watch?.lastPolledAt) throw new Error("the watch has not been polled yet");
      },
      { timeout: 10_000, interval: 50 },
    );
    sim.addFailedJobs(CUSTOMER, ON_CALL_RECIPE, 1);
    const alert = await slack.waitFor(() => slack.messages(ON_CALL_CHANNEL)[1], { timeoutMs: 15_000 });
    const shows = (text: string) => {
      const message = slack.message(ON_CALL_CHANNEL, alert.ts);
      return message && JSON.stringify(message.blocks).includes(text) ? message : undefined;
    };
    const clickOn = (replica: Replica, user: typeof ALICE, messageTs: string, text: string) =>
      replica.send.click({ channel: ON_CALL_CHANNEL, messageTs, button: { text }, user });

    await Promise.all([clickOn(a, BOB, alert.ts, "I'm on it"), clickOn(b, ALICE, alert.ts, "I'm on it")]);
    const taken = await slack.waitFor(() => shows("is on it since"));
    const holder = JSON.stringify(taken.blocks).includes(`<@${BOB.id}> is on it`) ? BOB : ALICE;
    const other = holder === BOB ? ALICE : BOB;
    const told = await slack.waitFor(() =>
      slack
        .ephemerals(ON_CALL_CHANNEL, other.id)
        .find((message) => message.text.includes("is on this alert")),
    );
    expect(told.text).toContain(`<@${holder.id}>`);

    // Taken over through the replica the other person did not click on first.
    await clickOn(other === BOB ? b : a, other, told.ts, "Take over");
    await slack.waitFor(() => shows(`<@${other.id}> is on it since`));
    await clickOn(other === BOB ? a : b, other, alert.ts, "Release");
    const released = await slack.waitFor(() => {
      const message = slack.message(ON_CALL_CHANNEL, alert.ts);
      return message && listButtons(message).some((button) => button.text === "I'm on it")
        ? message
        : undefined;
    });
    expect(JSON.stringify(released.blocks)).not.toContain("is on it since");
    expect(await store.alertState(ON_CALL_CHANNEL, alert.ts)).toMatchObject({ takenBy: null });
  }, 40_000);

  it("carries a repeat on after kill -9 of the leader mid-request: every job once, taken over within 15 s", async () => {
    const jobs = sim.addFailedJobs(CUSTOMER, KILLED_RECIPE, 200);
    const before = slack.messages(CHANNEL).length;
    // Typed on B, sent by A (the dispatcher).
    await repeatByCommand(
      { send: b.send, slack },
      {
        text: `repeat ${CUSTOMER} ${KILLED_RECIPE} ${jobs.map((job) => job.id).join(" ")}`,
        user: ALICE,
        channel: CHANNEL,
      },
    );
    const parent = await slack.waitFor(() => slack.messages(CHANNEL)[before]);
    await slack.waitFor(() => (repeatRequests(KILLED_RECIPE).length === 2 ? true : undefined));
    // The third request is processed by Workato but never answered: in flight when A dies.
    sim.addFault({
      endpoint: "repeat",
      times: 1,
      afterProcessing: true,
      effect: { type: "hang", ms: 60_000 },
    });
    await slack.waitFor(() => (repeatRequests(KILLED_RECIPE).length === 3 ? true : undefined), {
      timeoutMs: 5000,
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    a.bot.child.kill("SIGKILL");
    const killedAt = performance.now();
    await a.bot.stop();

    // B takes both of A's leases over (they expire about together), each within the bound.
    for (const lease of ["repeat-dispatcher", "watch-poller"]) {
      while (!(await leaderOf(b, lease))) {
        if (performance.now() - killedAt > FAILOVER_BOUND_MS)
          throw new Error(`B did not take ${lease} over in 15 s`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    expect(performance.now() - killedAt).toBeLessThan(FAILOVER_BOUND_MS);

    const thread = await finishedThread(CHANNEL, parent.ts, 30_000);
    expect(thread).toContain("200 enqueued, 0 refused, 0 unknown");
    expect(jobs.map((job) => sim.job(job.id)?.repeatCount)).toEqual(Array(200).fill(1));
    // The hung request's 25 jobs were reconciled, not sent again: 200 ids sent in all, none twice.
    const sent = sentJobIds(KILLED_RECIPE);
    expect(sent).toHaveLength(200);
    expect(new Set(sent).size).toBe(200);
    expect(b.bot.logLines.join("\n")).toMatch(/"reconciled":25,"notRun":0/);
  }, 60_000);

  it("alerts once per new failure of a watched recipe, whichever replica polls", async () => {
    const [watch] = await store.watches({ channel: WATCH_CHANNEL });
    if (!watch) throw new Error("the watch made on B is not in the store");
    expect(watch.lastPolledAt).not.toBeNull();
    const [fresh] = sim.addFailedJobs(CUSTOMER, WATCHED_RECIPE, 1);
    const alerts = () =>
      slack
        .messages(WATCH_CHANNEL)
        .filter((message) => JSON.stringify(message.blocks).includes(fresh?.id ?? "?"));
    await slack.waitFor(() => (alerts().length > 0 ? true : undefined), { timeoutMs: 15_000 });
    // Another poll round passes (10 s): the same failure is not alerted again.
    await new Promise((resolve) => setTimeout(resolve, 10_500));
    expect(alerts()).toHaveLength(1);
  }, 40_000);
});
