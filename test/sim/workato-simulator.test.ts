// Behaviour of the Workato Jobs API simulator itself, exercised over real HTTP as the bot's client would see it.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { SimJob } from "../../sim/workato-simulator/index.js";
import {
  BASE,
  CUSTOMER,
  call,
  ids,
  type ListBody,
  list,
  RECIPE,
  repeat,
  sleep,
  startSim as start,
} from "./workato-http.js";

const listFixture = JSON.parse(
  readFileSync(new URL("../../sim/doc-samples/list-jobs.json", import.meta.url), "utf8"),
) as {
  items: Record<string, unknown>[];
};
const detailsFixture = JSON.parse(
  readFileSync(new URL("../../sim/doc-samples/job-details.json", import.meta.url), "utf8"),
) as Record<string, unknown>;

describe("listing jobs", () => {
  it("answers items with exactly the keys of the doc's sample, newest first", async () => {
    const sim = await start();
    const older = sim.addJob(CUSTOMER, RECIPE);
    const newer = sim.addJob(CUSTOMER, RECIPE, { status: "failed" });
    const reply = await call(sim, `${BASE}/jobs`);
    expect(reply.headers.get("content-type")).toMatch(/^application\/json/);
    const body = reply.body as ListBody;
    const sampleKeys = Object.keys(listFixture.items[0] ?? {});
    for (const item of body.items) expect(Object.keys(item)).toEqual(sampleKeys);
    expect(ids(body.items)).toEqual([newer.id, older.id]);
    expect(body.items[0]).toMatchObject({ status: "failed", is_error: true, master_job_id: newer.id });
    expect(body.items[0]?.started_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00$/);
  });

  it("pages to older jobs and back to newer ones, returning the same page", async () => {
    const sim = await start({ pageSize: 3 });
    for (let n = 0; n < 10; n++) sim.addJob(CUSTOMER, RECIPE);
    const all = sim.jobs(CUSTOMER, RECIPE).map((job) => job.id);

    const first = await list(sim);
    expect(ids(first.items)).toEqual(all.slice(0, 3));
    const second = await list(sim, `?offset_job_id=${all[2]}`);
    expect(ids(second.items)).toEqual(all.slice(3, 6));
    const back = await list(sim, `?offset_job_id=${all[3]}&prev=true`);
    expect(ids(back.items)).toEqual(all.slice(0, 3));
    const last = await list(sim, `?offset_job_id=${all[8]}`);
    expect(ids(last.items)).toEqual(all.slice(9));
    const newerThanSecond = await list(sim, `?offset_job_id=${all[6]}&prev=true`);
    expect(ids(newerThanSecond.items)).toEqual(all.slice(3, 6));
  });

  it("refuses an offset job that is not a job of the recipe with a 400", async () => {
    const sim = await start();
    sim.addJob(CUSTOMER, RECIPE);
    const reply = await call(sim, `${BASE}/jobs?offset_job_id=j-AAAAAAAA-AAAAAA`);
    expect(reply.status).toBe(400);
  });

  it("filters by status and rerun_only, counting the whole recipe and the filtered scope", async () => {
    const sim = await start();
    const [failedJob] = sim.addFailedJobs(CUSTOMER, RECIPE, 3);
    sim.addJob(CUSTOMER, RECIPE, { status: "succeeded" });
    sim.addJob(CUSTOMER, RECIPE, { status: "succeeded" });
    const rerun = sim.addJob(CUSTOMER, RECIPE, { status: "pending", masterJobId: failedJob?.id });

    const failedOnly = await list(sim, "?status=failed");
    expect(failedOnly.items.map((item) => item.status)).toEqual(["failed", "failed", "failed"]);
    expect(failedOnly).toMatchObject({
      job_succeeded_count: 2,
      job_failed_count: 3,
      job_count: 6,
      job_scope_count: 3,
    });

    const rerunsOnly = await list(sim, "?rerun_only=true");
    expect(ids(rerunsOnly.items)).toEqual([rerun.id]);
    expect(rerunsOnly.job_scope_count).toBe(1);
    expect((await list(sim)).job_scope_count).toBe(6);
    expect((await call(sim, `${BASE}/jobs?status=broken`)).status).toBe(400);
  });
});

describe("job details and recipes", () => {
  it("answers a job with at least the keys of the doc's sample and plausible lines", async () => {
    const sim = await start();
    const job = sim.addJob(CUSTOMER, RECIPE, { status: "failed" });
    const reply = await call(sim, `${BASE}/jobs/${job.id}`);
    expect(reply.status).toBe(200);
    const body = reply.body as Record<string, unknown> & { lines: unknown[] };
    expect(Object.keys(body)).toEqual(expect.arrayContaining(Object.keys(detailsFixture)));
    expect(body).toMatchObject({
      id: job.id,
      handle: job.id,
      is_error: true,
      is_repeat: false,
      error: job.error,
    });
    expect(body.lines.length).toBeGreaterThanOrEqual(2);
    expect(body.lines.length).toBeLessThanOrEqual(4);
    expect(String(body.error).split("\n").length).toBeGreaterThan(1);
  });

  it("hands out ids in Workato's format", async () => {
    const sim = await start();
    const jobs = sim.addFailedJobs(CUSTOMER, RECIPE, 50);
    for (const job of jobs) expect(job.id).toMatch(/^j-[A-Za-z0-9]{8}-[A-Za-z0-9]{6}$/);
    expect(new Set(ids(jobs)).size).toBe(50);
  });

  it("answers get recipe bare or wrapped in a result array", async () => {
    const bare = await start();
    expect((await call(bare, BASE)).body).toMatchObject({
      id: RECIPE,
      name: "Salesforce accounts to NetSuite",
    });
    const wrapped = await start({ recipeShape: "result-array" });
    expect((await call(wrapped, BASE)).body).toMatchObject({ result: [{ id: RECIPE }] });
  });

  it("reaches a customer by URL-encoded external id, %2F included", async () => {
    const sim = await start();
    const job = sim.addJob(CUSTOMER, RECIPE);
    const body = (await call(sim, `/api/managed_users/Eacme%2Feu-1/recipes/${RECIPE}/jobs`)).body as ListBody;
    expect(ids(body.items)).toEqual([job.id]);
    expect(sim.requests.at(-1)).toMatchObject({ customer: "Eacme/eu-1", recipeId: RECIPE, endpoint: "list" });
    expect((await call(sim, `/api/managed_users/Eacme/recipes/${RECIPE}/jobs`)).status).toBe(404);
  });
});

describe("refusals", () => {
  it("answers 401 without the right bearer token, and records the request", async () => {
    const sim = await start();
    const missing = await fetch(`${sim.url}${BASE}/jobs`);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ message: "Unauthorized" });
    const wrong = await call(sim, `${BASE}/jobs`, { headers: { authorization: "Bearer nope" } });
    expect(wrong.status).toBe(401);
    expect(sim.requests.map((request) => request.status)).toEqual([401, 401]);
    expect(sim.requests[1]?.authorization).toBe("Bearer nope");
  });

  it("answers 403 on jobs endpoints while the API client's role lacks jobs access", async () => {
    const sim = await start();
    const job = sim.addJob(CUSTOMER, RECIPE);
    sim.denyJobsAccess(true);
    expect((await call(sim, `${BASE}/jobs`)).status).toBe(403);
    expect((await call(sim, `${BASE}/jobs/${job.id}`)).status).toBe(403);
    expect((await repeat(sim, [job.id])).status).toBe(403);
    expect((await call(sim, BASE)).status).toBe(200);
    sim.denyJobsAccess(false);
    expect((await call(sim, `${BASE}/jobs`)).status).toBe(200);
  });

  it("answers 404 for unknown customers, recipes, jobs and non-numeric recipe ids", async () => {
    const sim = await start();
    const job = sim.addJob(CUSTOMER, RECIPE);
    sim.addRecipe(CUSTOMER, { id: 1, name: "Other recipe" });
    const notFound = [
      `/api/managed_users/999/recipes/${RECIPE}/jobs`,
      `/api/managed_users/Enobody/recipes/${RECIPE}/jobs`,
      `/api/managed_users/${CUSTOMER}/recipes/777/jobs`,
      `/api/managed_users/${CUSTOMER}/recipes/abc/jobs`,
      `${BASE}/jobs/j-AAAAAAAA-AAAAAA`,
      `/api/managed_users/${CUSTOMER}/recipes/1/jobs/${job.id}`,
      "/api/somewhere/else",
    ];
    for (const path of notFound) expect((await call(sim, path)).status, path).toBe(404);
    expect((await call(sim, `${BASE}/jobs`)).status).toBe(200);
  });
});

describe("repeating jobs", () => {
  const missing = { message: "param is missing or the value is empty or invalid: job_ids" };

  it("answers each 400 with Workato's message", async () => {
    const sim = await start({ repeatMinIntervalMs: 0 });
    const job = sim.addJob(CUSTOMER, RECIPE, { status: "failed" });
    const post = (body: string) => call(sim, `${BASE}/repeat_jobs`, { method: "POST", body });
    for (const body of ["{not json", "{}", '{"job_ids":"j-1"}', '{"job_ids":[]}', '{"job_ids":[1,2]}']) {
      const reply = await post(body);
      expect([reply.status, reply.body], body).toEqual([400, missing]);
    }
    const tooMany = await repeat(
      sim,
      Array.from({ length: 75 }, (_, n) => `j-${n}`),
    );
    expect([tooMany.status, tooMany.body]).toEqual([
      400,
      { message: "Maximum 25 jobs can be repeated in a single request. Received 75." },
    ]);
    const duplicated = await repeat(sim, [job.id, job.id]);
    expect(duplicated.status).toBe(400);
    expect((duplicated.body as { message: string }).message).toContain(job.id);
    expect(sim.job(job.id)?.repeatCount).toBe(0);
  });

  it("enqueues a pending repeat that rerun_only lists with the original as master", async () => {
    const sim = await start();
    const [original] = sim.addFailedJobs(CUSTOMER, RECIPE, 2);
    if (original === undefined) throw new Error("no job");
    const reply = await repeat(sim, [original.id]);
    expect(reply.status).toBe(200);
    const body = reply.body as { results: { job: { id: string } }[]; summary: unknown };
    const newId = body.results[0]?.job.id;
    expect(body).toEqual({
      results: [{ requested_job_id: original.id, status: "enqueued", job: { id: newId } }],
      summary: { total_requested: 1, total_enqueued: 1, total_failed: 0 },
    });
    const reruns = await list(sim, "?rerun_only=true");
    expect(reruns.items).toHaveLength(1);
    expect(reruns.items[0]).toMatchObject({ id: newId, status: "pending", master_job_id: original.id });
    expect(ids((await list(sim)).items)[0]).toBe(newId);
    expect(sim.job(original.id)?.repeatCount).toBe(1);
    expect(sim.job(newId ?? "")).toMatchObject({ isRepeat: true, title: original.title, completedAt: null });
  });

  it("fails unknown, non-master, expired and exhausted jobs one by one, in request order", async () => {
    const sim = await start();
    sim.addRecipe(CUSTOMER, { id: 1, name: "Other recipe" });
    const elsewhere = sim.addJob(CUSTOMER, 1, { status: "failed" });
    const master = sim.addJob(CUSTOMER, RECIPE, { status: "failed" });
    const rerun = sim.addJob(CUSTOMER, RECIPE, { status: "failed", masterJobId: master.id });
    const expired = sim.addJob(CUSTOMER, RECIPE, { status: "failed", expired: true });
    const exhausted = sim.addJob(CUSTOMER, RECIPE, { status: "failed", repeatCount: 100 });
    const unknown = "j-BK9nR5ft-xeAEXN";

    const reply = await repeat(sim, [unknown, elsewhere.id, rerun.id, expired.id, exhausted.id, master.id]);
    const body = reply.body as {
      results: { status: string; error?: { type_id: string; message: string } }[];
    };
    expect(body.results.map((result) => [result.status, result.error?.type_id])).toEqual([
      ["failed", "err.item.not_found"],
      ["failed", "err.item.not_found"],
      ["failed", "err.job.repeat.invalid_id"],
      ["failed", "err.job.repeat.trigger_data_unavailable.expired"],
      ["failed", "err.job.repeat.limit_exceeded"],
      ["enqueued", undefined],
    ]);
    expect(body.results.map((result) => result.error?.message)).toEqual([
      "Job not found",
      "Job not found",
      `Non-master job handle specified: ${rerun.id}`,
      `Can not repeat job ${expired.id}. It has been erased due to retention policy.`,
      `Job ${exhausted.id} has been repeated the maximum number of times (100)`,
      undefined,
    ]);
    expect(reply.body).toMatchObject({ summary: { total_requested: 6, total_enqueued: 1, total_failed: 5 } });
  });
});

describe("rate limits", () => {
  it("answers 429 with Retry-After to a second repeat within the interval, then accepts after waiting", async () => {
    const sim = await start({ repeatMinIntervalMs: 200 });
    const job = sim.addJob(CUSTOMER, RECIPE, { status: "failed" });
    expect((await repeat(sim, [job.id])).status).toBe(200);
    const refused = await repeat(sim, [job.id]);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("1");
    expect(refused.body).toHaveProperty("message");
    await sleep(220);
    // The refused request did not restart the interval.
    expect((await repeat(sim, [job.id])).status).toBe(200);
    expect(sim.job(job.id)?.repeatCount).toBe(2);
  });

  it("limits the other endpoints per sliding minute, workspace-wide, apart from repeats", async () => {
    const sim = await start({ perMinuteLimit: 5, repeatMinIntervalMs: 0 });
    sim.addCustomer({ id: 2 });
    sim.addRecipe(2, { id: 5, name: "Second customer's recipe" });
    for (let n = 0; n < 3; n++) expect((await call(sim, `${BASE}/jobs`)).status).toBe(200);
    for (let n = 0; n < 2; n++)
      expect((await call(sim, "/api/managed_users/2/recipes/5/jobs")).status).toBe(200);
    const refused = await call(sim, BASE);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(59);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect((await repeat(sim, ["j-BK9nR5ft-xeAEXN"])).status).toBe(200);
  });
});

describe("faults", () => {
  it("answers a status fault for the given number of matching requests", async () => {
    const sim = await start();
    sim.addFault({
      endpoint: "list",
      times: 2,
      effect: { type: "status", status: 503, retryAfterSeconds: 3 },
    });
    expect((await call(sim, BASE)).status).toBe(200);
    const first = await call(sim, `${BASE}/jobs`);
    expect([first.status, first.headers.get("retry-after"), first.body]).toEqual([
      503,
      "3",
      { message: "Service Unavailable" },
    ]);
    expect((await call(sim, `${BASE}/jobs`)).status).toBe(503);
    expect((await call(sim, `${BASE}/jobs`)).status).toBe(200);
  });

  it("processes the repeat before answering 500 when the fault comes after processing", async () => {
    const sim = await start();
    const job = sim.addJob(CUSTOMER, RECIPE, { status: "failed" });
    sim.addFault({
      endpoint: "repeat",
      times: 1,
      afterProcessing: true,
      effect: { type: "status", status: 500 },
    });
    expect((await repeat(sim, [job.id])).status).toBe(500);
    expect(sim.job(job.id)?.repeatCount).toBe(1);
    expect((await list(sim, "?rerun_only=true")).items).toHaveLength(1);
  });

  it("enqueues nothing when a fault replaces the request", async () => {
    const sim = await start();
    const job = sim.addJob(CUSTOMER, RECIPE, { status: "failed" });
    sim.addFault({ endpoint: ["repeat"], times: 1, effect: { type: "status", status: 502 } });
    expect((await repeat(sim, [job.id])).status).toBe(502);
    expect(sim.job(job.id)?.repeatCount).toBe(0);
  });

  it("resets the connection, recording status 0, and can do so after enqueueing", async () => {
    const sim = await start();
    const job = sim.addJob(CUSTOMER, RECIPE, { status: "failed" });
    sim.addFault({ endpoint: "repeat", times: 1, afterProcessing: true, effect: { type: "reset" } });
    await expect(repeat(sim, [job.id])).rejects.toThrow();
    expect(sim.requests.at(-1)?.status).toBe(0);
    expect(sim.job(job.id)?.repeatCount).toBe(1);
  });

  it("answers malformed bodies with a 200", async () => {
    const sim = await start();
    sim.addFault({
      times: 1,
      effect: { type: "malformed", body: '{"items": [', contentType: "application/json" },
    });
    sim.addFault({
      times: 1,
      effect: { type: "malformed", body: "<html>Bad gateway</html>", contentType: "text/html" },
    });
    const truncated = await call(sim, `${BASE}/jobs`);
    expect([truncated.status, truncated.body]).toEqual([200, '{"items": [']);
    const html = await call(sim, `${BASE}/jobs`);
    expect([html.headers.get("content-type"), html.body]).toEqual(["text/html", "<html>Bad gateway</html>"]);
  });

  it("delays answers by fault latency and by the simulator's latency setting", async () => {
    const sim = await start();
    sim.addFault({ endpoint: "get", times: 1, effect: { type: "latency", ms: 150 } });
    const job = sim.addJob(CUSTOMER, RECIPE);
    let began = performance.now();
    expect((await call(sim, `${BASE}/jobs/${job.id}`)).status).toBe(200);
    expect(performance.now() - began).toBeGreaterThanOrEqual(140);
    sim.setLatency(100);
    began = performance.now();
    expect((await call(sim, `${BASE}/jobs`)).status).toBe(200);
    expect(performance.now() - began).toBeGreaterThanOrEqual(90);
  });

  it("hangs long enough for a client timeout, and close() still resolves promptly", async () => {
    const sim = await start();
    sim.addFault({ effect: { type: "hang", ms: 60_000 } });
    await expect(call(sim, `${BASE}/jobs`, { signal: AbortSignal.timeout(100) })).rejects.toThrow();
    const stillHanging = call(sim, `${BASE}/jobs`).catch((error: unknown) => error);
    while (sim.requests.length < 2) await sleep(5);
    const began = performance.now();
    await sim.close();
    expect(performance.now() - began).toBeLessThan(1000);
    expect(await stillHanging).toBeInstanceOf(Error);
    expect(sim.requests.map((request) => request.status)).toEqual([0, 0]);
  });

  it("stops faulting once the remover runs or faults are cleared", async () => {
    const sim = await start();
    const remove = sim.addFault({ effect: { type: "status", status: 500 } });
    expect((await call(sim, BASE)).status).toBe(500);
    remove();
    expect((await call(sim, BASE)).status).toBe(200);
    sim.addFault({ effect: { type: "status", status: 500 } });
    sim.clearFaults();
    expect((await call(sim, BASE)).status).toBe(200);
  });
});

describe("request log", () => {
  it("records every request in arrival order with its parsed body and answer", async () => {
    const sim = await start({ repeatMinIntervalMs: 0 });
    const job: SimJob = sim.addJob(CUSTOMER, RECIPE, { status: "failed" });
    await call(sim, `${BASE}/jobs?status=failed&prev=false`);
    await repeat(sim, [job.id]);
    await call(sim, `${BASE}/repeat_jobs`, { method: "POST", body: "not json" });
    const [listed, repeated, garbled] = sim.requests;
    expect(listed).toMatchObject({
      method: "GET",
      rawPath: `${BASE}/jobs`,
      query: { status: "failed", prev: "false" },
      endpoint: "list",
      customer: String(CUSTOMER),
      recipeId: RECIPE,
      status: 200,
      authorization: `Bearer ${sim.token}`,
    });
    expect(repeated).toMatchObject({ endpoint: "repeat", body: { job_ids: [job.id] }, status: 200 });
    expect(garbled).toMatchObject({ body: "not json", status: 400 });
    const times = sim.requests.map((request) => request.at);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(Math.abs((listed?.at ?? 0) - Date.now())).toBeLessThan(5_000);
  });
});
