// The Jobs API client against the Workato simulator over real HTTP: paging, every error class, retries, pacing.
import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "../../sim/free-port.js";
import { startWorkatoSimulator, type WorkatoSimulator } from "../../sim/workato-simulator/index.js";
import { manualClock, systemClock } from "../../src/clock.js";
import {
  createWorkatoClient,
  type WorkatoClient,
  type WorkatoClientOptions,
} from "../../src/workato/client.js";
import { WorkatoApiError } from "../../src/workato/errors.js";
import { parseRetryAfter } from "../../src/workato/http.js";
import { customerRef as customer } from "../support/customer.js";

const CUSTOMER = 23456;
const RECIPE = 28904;

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function setUp(
  simOptions: Parameters<typeof startWorkatoSimulator>[0] = {},
  clientOptions: Partial<WorkatoClientOptions> = {},
): Promise<{ sim: WorkatoSimulator; client: WorkatoClient }> {
  const sim = await startWorkatoSimulator(simOptions);
  sim.addCustomer({ id: CUSTOMER, externalId: "acme/eu-1" });
  sim.addRecipe(CUSTOMER, { id: RECIPE, name: "Salesforce accounts to NetSuite" });
  const client = createWorkatoClient({
    baseUrl: sim.url,
    token: sim.token,
    retryBaseDelayMs: 20,
    clock: systemClock,
    ...clientOptions,
  });
  cleanups.push(async () => {
    await client.close();
    await sim.close();
  });
  return { sim, client };
}

async function caught(promise: Promise<unknown>): Promise<WorkatoApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof WorkatoApiError) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

describe("listing and reading jobs", () => {
  it("pages older and newer through offset_job_id and prev", async () => {
    const { sim, client } = await setUp({ pageSize: 5 });
    sim.addFailedJobs(CUSTOMER, RECIPE, 12);
    const newestFirst = sim.jobs(CUSTOMER, RECIPE).map((job) => job.id);

    const first = await client.listJobs(customer("23456"), RECIPE);
    expect(first.items.map((job) => job.id)).toEqual(newestFirst.slice(0, 5));
    expect(first.job_failed_count).toBe(12);

    const older = await client.listJobs(customer("23456"), RECIPE, { offsetJobId: newestFirst[4] as string });
    expect(older.items.map((job) => job.id)).toEqual(newestFirst.slice(5, 10));

    const backAgain = await client.listJobs(customer("23456"), RECIPE, {
      offsetJobId: newestFirst[5] as string,
      newer: true,
    });
    expect(backAgain.items.map((job) => job.id)).toEqual(newestFirst.slice(0, 5));
  });

  it("filters by status and reruns, and reaches external-ID customers with an encoded E path", async () => {
    const { sim, client } = await setUp();
    sim.addJob(CUSTOMER, RECIPE, { status: "succeeded" });
    const [failed] = sim.addFailedJobs(CUSTOMER, RECIPE, 1);

    const onlyFailed = await client.listJobs(customer("ext:acme/eu-1"), RECIPE, { status: "failed" });
    expect(onlyFailed.items.map((job) => job.id)).toEqual([failed?.id]);
    expect(sim.requests.at(-1)?.rawPath).toBe(`/api/managed_users/Eacme%2Feu-1/recipes/${RECIPE}/jobs`);
    expect(sim.requests.at(-1)?.query).toEqual({ status: "failed" });

    const reruns = await client.listJobs(customer("23456"), RECIPE, { rerunOnly: true });
    expect(reruns.items).toEqual([]);
  });

  it("reads a job's details with its steps, and the recipe's name once for many messages", async () => {
    const { sim, client } = await setUp({ recipeShape: "result-array" });
    const [job] = sim.addFailedJobs(CUSTOMER, RECIPE, 1);
    const details = await client.getJob(customer("23456"), RECIPE, job?.id as string);
    expect(details.status).toBe("failed");
    expect(details.error).toBe(job?.error);
    expect(details.lines.length).toBeGreaterThan(0);

    const names = await Promise.all([1, 2, 3].map(() => client.getRecipe(customer("23456"), RECIPE)));
    expect(names.map((recipe) => recipe.name)).toEqual(Array(3).fill("Salesforce accounts to NetSuite"));
    expect(sim.requests.filter((request) => request.endpoint === "recipe")).toHaveLength(1);
  });
});

describe("the recipe cache", () => {
  it("reuses a recipe for 10 minutes, or as long as a caller allows", async () => {
    const clock = manualClock(Date.UTC(2026, 2, 1, 9));
    const { sim, client } = await setUp({}, { clock });
    const lookups = () => sim.requests.filter((request) => request.endpoint === "recipe").length;
    await client.getRecipe(customer("23456"), RECIPE);
    clock.advance(9 * 60_000);
    await client.getRecipe(customer("23456"), RECIPE);
    expect(lookups()).toBe(1);

    clock.advance(2 * 60_000);
    // A caller content with a day-old name (the watch poller) is answered from the cache...
    await client.getRecipe(customer("23456"), RECIPE, { maxAgeMs: 24 * 3_600_000 });
    expect(lookups()).toBe(1);
    // ...while one with the default asks Workato again.
    await client.getRecipe(customer("23456"), RECIPE);
    expect(lookups()).toBe(2);
  });
});

describe("errors", () => {
  it("a wrong token is an auth error that explains the role and never repeats the token", async () => {
    const { client } = await setUp({ token: "right-token" }, { token: "wrong-secret-token" });
    const error = await caught(client.listJobs(customer("23456"), RECIPE));
    expect(error.code).toBe("auth");
    expect(error.status).toBe(401);
    expect(error.message).toMatch(/List.*Get details/);
    expect(`${error.message} ${JSON.stringify(error)} ${error.stack}`).not.toContain("wrong-secret-token");
  });

  it("a role without jobs access is an auth error (403)", async () => {
    const { sim, client } = await setUp();
    sim.denyJobsAccess(true);
    const error = await caught(client.listJobs(customer("23456"), RECIPE));
    expect([error.code, error.status]).toEqual(["auth", 403]);
  });

  it("an unknown customer or job is not_found", async () => {
    const { client } = await setUp();
    expect((await caught(client.listJobs(customer("99999"), RECIPE))).code).toBe("not_found");
    expect((await caught(client.getJob(customer("23456"), RECIPE, "j-nope"))).code).toBe("not_found");
  });

  it("a 400 is invalid_request carrying Workato's message", async () => {
    const { client } = await setUp();
    const error = await caught(client.listJobs(customer("23456"), RECIPE, { offsetJobId: "j-not-here" }));
    expect(error.code).toBe("invalid_request");
    expect(error.details.workatoMessage).toMatch(/offset_job_id/);
    expect(error.message).toContain(error.details.workatoMessage);
  });

  it("a persistent 5xx is server_error after the retries", async () => {
    const { sim, client } = await setUp({}, { maxGetRetries: 2 });
    sim.addFault({
      endpoint: "list",
      effect: { type: "status", status: 502, body: "<html>Bad gateway</html>" },
    });
    const error = await caught(client.listJobs(customer("23456"), RECIPE));
    expect([error.code, error.status]).toEqual(["server_error", 502]);
    expect(sim.requests.filter((request) => request.endpoint === "list")).toHaveLength(3);
  });

  it("an answer that is not the documented JSON is malformed_response", async () => {
    const { sim, client } = await setUp({}, { maxGetRetries: 0 });
    sim.addFault({ endpoint: "list", times: 1, effect: { type: "malformed", body: '{"items": [' } });
    expect((await caught(client.listJobs(customer("23456"), RECIPE))).code).toBe("malformed_response");
    sim.addFault({ endpoint: "list", times: 1, effect: { type: "malformed", body: '{"items": "nope"}' } });
    expect((await caught(client.listJobs(customer("23456"), RECIPE))).code).toBe("malformed_response");
  });

  it("no answer within the headers timeout is a timeout", async () => {
    const { sim, client } = await setUp({}, { maxGetRetries: 0, timeouts: { headersMs: 200 } });
    sim.addFault({ endpoint: "list", effect: { type: "hang", ms: 2000 } });
    expect((await caught(client.listJobs(customer("23456"), RECIPE))).code).toBe("timeout");
  });

  it("nothing listening is a network error that certainly sent nothing", async () => {
    const port = await freePort();
    const client = createWorkatoClient({
      baseUrl: `http://127.0.0.1:${port}`,
      token: "t",
      maxGetRetries: 0,
      clock: systemClock,
    });
    cleanups.push(() => client.close());
    const error = await caught(client.listJobs(customer("23456"), RECIPE));
    expect([error.code, error.details.delivery]).toEqual(["network", "not_sent"]);
  });
});

describe("retries", () => {
  it("a GET answered 429 waits for Retry-After and then succeeds", async () => {
    const { sim, client } = await setUp();
    sim.addFault({
      endpoint: "get",
      times: 1,
      effect: { type: "status", status: 429, retryAfterSeconds: 1 },
    });
    const [job] = sim.addFailedJobs(CUSTOMER, RECIPE, 1);
    const details = await client.getJob(customer("23456"), RECIPE, job?.id as string);
    expect(details.id).toBe(job?.id);
    const gets = sim.requests.filter((request) => request.endpoint === "get");
    expect(gets.map((request) => request.status)).toEqual([429, 200]);
    expect((gets[1]?.at ?? 0) - (gets[0]?.at ?? 0)).toBeGreaterThanOrEqual(990);
  });

  it("reads Retry-After as seconds or as a date measured from the caller's clock", () => {
    const now = Date.UTC(2026, 2, 1, 9);
    expect(parseRetryAfter("2", now)).toBe(2000);
    expect(parseRetryAfter("Sun, 01 Mar 2026 09:00:05 GMT", now)).toBe(5000);
    expect(parseRetryAfter("Sun, 01 Mar 2026 08:59:00 GMT", now)).toBe(0);
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it("a GET reset mid-way is retried", async () => {
    const { sim, client } = await setUp();
    sim.addFault({ endpoint: "list", times: 1, effect: { type: "reset" } });
    const list = await client.listJobs(customer("23456"), RECIPE);
    expect(list.items).toEqual([]);
    expect(sim.requests.filter((request) => request.endpoint === "list")).toHaveLength(2);
  });
});

describe("pacing", () => {
  it("spreads other calls at least 61 ms apart so a minute never exceeds 1,000", async () => {
    const { sim, client } = await setUp();
    await Promise.all(Array.from({ length: 12 }, () => client.listJobs(customer("23456"), RECIPE)));
    const starts = sim.requests.map((request) => request.at);
    for (let i = 1; i < starts.length; i++) {
      expect((starts[i] ?? 0) - (starts[i - 1] ?? 0)).toBeGreaterThanOrEqual(55);
    }
  });

  it("two clients with the same token share one limiter", async () => {
    const { sim, client } = await setUp();
    const twin = createWorkatoClient({ baseUrl: sim.url, token: sim.token, clock: systemClock });
    cleanups.push(() => twin.close());
    await Promise.all([
      ...Array.from({ length: 5 }, () => client.listJobs(customer("23456"), RECIPE)),
      ...Array.from({ length: 5 }, () => twin.listJobs(customer("23456"), RECIPE)),
    ]);
    const starts = sim.requests.map((request) => request.at).sort((a, b) => a - b);
    expect((starts.at(-1) ?? 0) - (starts[0] ?? 0)).toBeGreaterThanOrEqual(9 * 55);
  });
});
