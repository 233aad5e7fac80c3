// /metrics over real HTTP: the Prometheus text a dashboard reads, fed by real Workato and Slack traffic against the fakes.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { LogLevel, WebClient } from "@slack/web-api";
import { afterEach, describe, expect, it } from "vitest";
import { startFakeSlack } from "../sim/fake-slack/index.js";
import { freePort } from "../sim/free-port.js";
import { startWorkatoSimulator } from "../sim/workato-simulator/index.js";
import { systemClock } from "../src/clock.js";
import { meteredBudget } from "../src/metrics/metered-budget.js";
import { createMetrics, type Metrics } from "../src/metrics/metrics.js";
import { createMetricsHandler, type MetricsHandlerOptions } from "../src/metrics/metrics-route.js";
import { observeSlackRateLimits, slackMethodOf } from "../src/metrics/slack-rate-limits.js";
import { observeWorkatoRequests, workatoEndpointOf } from "../src/metrics/workato-requests.js";
import { createLocalBudget } from "../src/workato/budget.js";
import { createWorkatoClient } from "../src/workato/client.js";
import { customerRef } from "./support/customer.js";

const CUSTOMER = 23456;
const RECIPE = 28904;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** GET /metrics from a real node:http server running the handler. */
async function serve(metrics: Metrics, options: MetricsHandlerOptions = {}): Promise<string> {
  const server: Server = createServer(createMetricsHandler(metrics, options));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
}

async function scrape(metrics: Metrics): Promise<string> {
  const response = await fetch(await serve(metrics));
  expect(response.status).toBe(200);
  return response.text();
}

/** The value of the sample `name` whose labels include `labels`; undefined when there is none. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split("\n")) {
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = new Map(
      [...(match[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([key, value]) => found.get(key) === value)) return Number(match[3]);
  }
  return undefined;
}

describe("GET /metrics", () => {
  it("answers Prometheus text with what was recorded, by name and label", async () => {
    const metrics = createMetrics({ replica: "web.1" });
    metrics.workatoRequest("list_jobs", 200);
    metrics.workatoRequest("list_jobs", 200);
    metrics.workatoRequest("repeat_jobs", 429);
    metrics.workatoRequest("get_job", "timeout");
    metrics.limiterWait("repeat", "interactive", 0.8);
    metrics.limiterWait("repeat", "interactive", 1.2);
    metrics.repeatJobs("enqueued", 24);
    metrics.repeatJobs("failed");
    metrics.repeatJobs("succeeded", 20);
    metrics.repeatQueueDepth(36);
    metrics.watchPollLag(2.5);
    metrics.slackCall("chat.postMessage", "ok");
    metrics.slackCall("chat.update", "message_not_found");
    metrics.slackRateLimited("chat.postMessage");
    metrics.leader("poller", true);
    metrics.leader("repeat-dispatcher", false);

    const response = await fetch(await serve(metrics));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();

    expect(text).toContain("# TYPE workato_requests_total counter");
    expect(sample(text, "workato_requests_total", { endpoint: "list_jobs", status: "200" })).toBe(2);
    expect(sample(text, "workato_requests_total", { endpoint: "repeat_jobs", status: "429" })).toBe(1);
    expect(sample(text, "workato_requests_total", { endpoint: "get_job", status: "timeout" })).toBe(1);
    expect(sample(text, "workato_rate_limited_total", { endpoint: "repeat_jobs" })).toBe(1);
    expect(sample(text, "workato_rate_limited_total", { endpoint: "list_jobs" })).toBe(0);
    expect(text).toContain("# TYPE workato_limiter_wait_seconds histogram");
    expect(
      sample(text, "workato_limiter_wait_seconds_bucket", {
        family: "repeat",
        priority: "interactive",
        le: "1",
      }),
    ).toBe(1);
    expect(sample(text, "workato_limiter_wait_seconds_count", { family: "repeat" })).toBe(2);
    expect(sample(text, "workato_limiter_wait_seconds_sum", { family: "repeat" })).toBeCloseTo(2);
    expect(sample(text, "repeat_jobs_total", { outcome: "enqueued" })).toBe(24);
    expect(sample(text, "repeat_jobs_total", { outcome: "failed" })).toBe(1);
    expect(sample(text, "repeat_jobs_total", { outcome: "succeeded" })).toBe(20);
    expect(sample(text, "repeat_jobs_total", { outcome: "failed_again" })).toBe(0);
    expect(sample(text, "repeat_queue_depth")).toBe(36);
    expect(sample(text, "watch_poll_lag_seconds_bucket", { le: "5" })).toBe(1);
    expect(sample(text, "watch_poll_lag_seconds_bucket", { le: "1" })).toBe(0);
    expect(
      sample(text, "slack_api_calls_total", { method: "chat.update", outcome: "message_not_found" }),
    ).toBe(1);
    expect(sample(text, "slack_api_calls_total", { method: "chat.postMessage", outcome: "ok" })).toBe(1);
    expect(sample(text, "slack_rate_limited_total", { method: "chat.postMessage" })).toBe(1);
    expect(sample(text, "leader", { lease: "poller", replica: "web.1" })).toBe(1);
    expect(sample(text, "leader", { lease: "repeat-dispatcher", replica: "web.1" })).toBe(0);
    // prom-client's process metrics, on the same registry
    expect(sample(text, "process_cpu_user_seconds_total")).toBeGreaterThanOrEqual(0);
    expect(text).toContain("nodejs_eventloop_lag_seconds");
  });

  it("keeps the counts of two apps in one process apart", async () => {
    const first = createMetrics({ replica: "a", processMetrics: false });
    const second = createMetrics({ replica: "b", processMetrics: false });
    first.workatoRequest("get_recipe", 200);
    first.workatoRequest("get_recipe", 200);
    second.workatoRequest("get_recipe", 200);
    first.leader("poller", true);

    const firstText = await scrape(first);
    const secondText = await scrape(second);
    expect(sample(firstText, "workato_requests_total", { endpoint: "get_recipe" })).toBe(2);
    expect(sample(secondText, "workato_requests_total", { endpoint: "get_recipe" })).toBe(1);
    expect(sample(secondText, "leader")).toBeUndefined();
    expect(secondText).not.toContain("process_cpu_user_seconds_total");
  });

  it("keeps label values bounded: odd error texts and an endless stream of names become other", async () => {
    const metrics = createMetrics({ replica: "web.1", processMetrics: false });
    metrics.slackCall("chat.postMessage", "An API error occurred: channel C0123 is gone");
    for (let n = 0; n < 80; n++) metrics.slackCall(`method${n}`, "ok");
    metrics.workatoRequest("list_jobs", 999);

    const text = await scrape(metrics);
    expect(sample(text, "slack_api_calls_total", { method: "chat.postMessage", outcome: "other" })).toBe(1);
    expect(text).not.toContain("C0123");
    const methods = new Set(
      [...text.matchAll(/^slack_api_calls_total\{method="([^"]+)"/gm)].map((m) => m[1]),
    );
    expect(methods.size).toBeLessThanOrEqual(51);
    expect(sample(text, "slack_api_calls_total", { method: "other", outcome: "ok" })).toBe(31);
    expect(sample(text, "workato_requests_total", { endpoint: "list_jobs", status: "other" })).toBe(1);
  });

  it("asks for the bearer token when one is set, and answers HEAD without a body", async () => {
    const metrics = createMetrics({ replica: "web.1", processMetrics: false });
    const url = await serve(metrics, { bearerToken: "scrape-secret" });
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: "Bearer wrong" } })).status).toBe(401);
    const ok = await fetch(url, { headers: { authorization: "Bearer scrape-secret" } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("repeat_queue_depth 0");
    const head = await fetch(url, { method: "HEAD", headers: { authorization: "Bearer scrape-secret" } });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    expect((await fetch(url, { method: "POST" })).status).toBe(405);
  });
});

describe("Workato traffic", () => {
  it("names every endpoint the bot calls from its method and path", () => {
    const recipe = "/api/managed_users/E-acme%2Feu-1/recipes/28904";
    expect(workatoEndpointOf("GET", `${recipe}/jobs?status=failed`)).toBe("list_jobs");
    expect(workatoEndpointOf("GET", `${recipe}/jobs/j-1`)).toBe("get_job");
    expect(workatoEndpointOf("GET", recipe)).toBe("get_recipe");
    expect(workatoEndpointOf("GET", "/api/managed_users/23456/recipes?page=2")).toBe("list_recipes");
    expect(workatoEndpointOf("POST", `${recipe}/repeat_jobs`)).toBe("repeat_jobs");
    expect(workatoEndpointOf("GET", "/api/managed_users?per_page=100")).toBe("customers");
    expect(workatoEndpointOf("GET", "/api/managed_users/23456")).toBe("customers");
    expect(workatoEndpointOf("PUT", `${recipe}/start`)).toBe("recipe_start");
    expect(workatoEndpointOf("PUT", `${recipe}/stop`)).toBe("recipe_stop");
    expect(workatoEndpointOf("DELETE", recipe)).toBeNull();
    expect(workatoEndpointOf("GET", "/api/users/me")).toBeNull();
  });

  it("counts each request the client really sends, 429s and retries included, and the time waited for the limiter", async () => {
    const sim = await startWorkatoSimulator();
    sim.addCustomer({ id: CUSTOMER, externalId: "acme/eu-1" });
    sim.addRecipe(CUSTOMER, { id: RECIPE, name: "Salesforce accounts to NetSuite" });
    sim.addFailedJobs(CUSTOMER, RECIPE, 3);
    const metrics = createMetrics({ replica: "web.1", processMetrics: false });
    cleanups.push(observeWorkatoRequests(sim.url, metrics));
    const client = createWorkatoClient({
      baseUrl: sim.url,
      token: sim.token,
      retryBaseDelayMs: 20,
      budget: meteredBudget(createLocalBudget(), metrics),
      clock: systemClock,
    });
    cleanups.push(async () => {
      await client.close();
      await sim.close();
    });
    sim.addFault({
      endpoint: "list",
      times: 1,
      effect: { type: "status", status: 429, retryAfterSeconds: 0 },
    });

    const customer = customerRef("23456");
    const list = await client.listJobs(customer, RECIPE);
    const [job] = list.items;
    if (!job) throw new Error("expected jobs in the list");
    await client.getJob(customer, RECIPE, job.id);
    await client.getRecipe(customer, RECIPE, { priority: "background" });

    const text = await scrape(metrics);
    expect(sample(text, "workato_requests_total", { endpoint: "list_jobs", status: "429" })).toBe(1);
    expect(sample(text, "workato_requests_total", { endpoint: "list_jobs", status: "200" })).toBe(1);
    expect(sample(text, "workato_rate_limited_total", { endpoint: "list_jobs" })).toBe(1);
    expect(sample(text, "workato_requests_total", { endpoint: "get_job", status: "200" })).toBe(1);
    expect(sample(text, "workato_requests_total", { endpoint: "get_recipe", status: "200" })).toBe(1);
    // every attempt asks the limiter: the list twice (429, then its retry), the job once
    expect(
      sample(text, "workato_limiter_wait_seconds_count", { family: "jobs", priority: "interactive" }),
    ).toBe(3);
    expect(
      sample(text, "workato_limiter_wait_seconds_count", { family: "recipes", priority: "background" }),
    ).toBe(1);
  });

  it("counts a request that got no answer as timeout or network, and ignores other origins", async () => {
    const sim = await startWorkatoSimulator();
    sim.addCustomer({ id: CUSTOMER });
    sim.addRecipe(CUSTOMER, { id: RECIPE, name: "Orders" });
    const metrics = createMetrics({ replica: "web.1", processMetrics: false });
    cleanups.push(observeWorkatoRequests(sim.url, metrics));
    const client = createWorkatoClient({
      baseUrl: sim.url,
      token: sim.token,
      maxGetRetries: 0,
      timeouts: { headersMs: 100 },
      clock: systemClock,
    });
    const closedPort = await freePort();
    const unreachable = createWorkatoClient({
      baseUrl: `http://127.0.0.1:${closedPort}`,
      token: "t",
      maxGetRetries: 0,
      clock: systemClock,
    });
    cleanups.push(async () => {
      await client.close();
      await unreachable.close();
      await sim.close();
    });
    sim.addFault({ endpoint: "list", times: 1, effect: { type: "hang", ms: 1000 } });
    sim.addFault({ endpoint: "get", times: 1, effect: { type: "reset" } });

    const customer = customerRef(String(CUSTOMER));
    await expect(client.listJobs(customer, RECIPE)).rejects.toMatchObject({ code: "timeout" });
    await expect(client.getJob(customer, RECIPE, "j-1")).rejects.toMatchObject({ code: "network" });
    await expect(unreachable.listJobs(customer, RECIPE)).rejects.toMatchObject({ code: "network" });

    const text = await scrape(metrics);
    expect(sample(text, "workato_requests_total", { endpoint: "list_jobs", status: "timeout" })).toBe(1);
    expect(sample(text, "workato_requests_total", { endpoint: "get_job", status: "network" })).toBe(1);
    // the unreachable host is another origin: only the simulator's two requests were counted
    expect(
      sample(text, "workato_requests_total", { endpoint: "list_jobs", status: "network" }),
    ).toBeUndefined();
  });
});

describe("Slack traffic", () => {
  it("counts the 429s Slack's client waits out, by method", async () => {
    const slack = await startFakeSlack({ rateLimits: { postMessage: { burst: 1, perSecond: 1 } } });
    cleanups.push(() => slack.close());
    const client = new WebClient("xoxb-test-token", {
      slackApiUrl: slack.apiUrl,
      retryConfig: { retries: 3, factor: 1, minTimeout: 10, maxTimeout: 10 },
      logLevel: LogLevel.ERROR,
    });
    const metrics = createMetrics({ replica: "web.1", processMetrics: false });
    cleanups.push(observeSlackRateLimits(client, metrics));

    await client.chat.postMessage({ channel: "C1", text: "first" });
    await client.chat.postMessage({ channel: "C1", text: "second" });

    expect(slack.messages("C1")).toHaveLength(2);
    const text = await scrape(metrics);
    expect(sample(text, "slack_rate_limited_total", { method: "chat.postMessage" })).toBe(1);
    expect(slackMethodOf("https://slack.com/api/chat.update")).toBe("chat.update");
  });
});
