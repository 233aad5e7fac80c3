// The simulator's customers and recipes endpoints over real HTTP: paging, filters, start/stop, limits, 404s per kind.
import { describe, expect, it } from "vitest";
import { BASE, CUSTOMER, call, RECIPE, startSim } from "./workato-http.js";

interface Customer {
  id: number;
  external_id: string | null;
  name: string;
}

interface Recipe {
  id: number;
  name: string;
  running: boolean;
  job_succeeded_count: number;
  job_failed_count: number;
  last_run_at: string | null;
  stopped_at: string | null;
  stop_cause: string | null;
  trigger_application: string;
  folder_id: number;
}

const RECIPE_KEYS = [
  "id",
  "name",
  "running",
  "job_succeeded_count",
  "job_failed_count",
  "last_run_at",
  "stopped_at",
  "stop_cause",
  "trigger_application",
  "folder_id",
];

const put = (sim: Parameters<typeof call>[0], path: string) => call(sim, path, { method: "PUT" });

describe("customers", () => {
  it("lists customers page by page, wrapped in result, and gets one by id or E + encoded external id", async () => {
    const sim = await startSim();
    for (let n = 1; n <= 4; n++) sim.addCustomer({ id: n, name: `Customer number ${n}` });
    const first = (await call(sim, "/api/managed_users?page=1&per_page=3")).body as { result: Customer[] };
    expect(first.result.map((customer) => customer.id)).toEqual([1, 2, 3]);
    const second = (await call(sim, "/api/managed_users?page=2&per_page=3")).body as { result: Customer[] };
    expect(second.result.map((customer) => customer.id)).toEqual([4, CUSTOMER]);
    expect(second.result[1]).toMatchObject({ id: CUSTOMER, external_id: "acme/eu-1", name: "Acme Corp" });
    expect(((await call(sim, "/api/managed_users?page=3&per_page=3")).body as { result: [] }).result).toEqual(
      [],
    );
    expect((await call(sim, "/api/managed_users?per_page=zero")).status).toBe(400);

    const byId = await call(sim, `/api/managed_users/${CUSTOMER}`);
    const byExternalId = await call(sim, "/api/managed_users/Eacme%2Feu-1");
    expect(byId.status).toBe(200);
    expect(byId.body).toEqual(byExternalId.body);
    expect(byId.body).toMatchObject({
      result: { id: CUSTOMER, name: "Acme Corp", external_id: "acme/eu-1" },
    });
    expect((await call(sim, "/api/managed_users/3")).body).toMatchObject({
      result: { name: "Customer number 3" },
    });
  });

  it("answers lists in the other shapes clients must accept, when asked", async () => {
    const items = await startSim({ listShape: "items" });
    expect((await call(items, "/api/managed_users")).body).toMatchObject({ items: [{ id: CUSTOMER }] });
    const bare = await startSim({ listShape: "bare" });
    expect((await call(bare, `/api/managed_users/${CUSTOMER}/recipes`)).body).toMatchObject([{ id: RECIPE }]);
  });

  it("limits customer requests to 60 a minute across the workspace, apart from the jobs budget", async () => {
    const sim = await startSim({ customersPerMinuteLimit: 3 });
    expect((await call(sim, "/api/managed_users")).status).toBe(200);
    expect((await call(sim, `/api/managed_users/${CUSTOMER}`)).status).toBe(200);
    expect((await call(sim, "/api/managed_users/999")).status).toBe(404);
    const refused = await call(sim, "/api/managed_users");
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(59);
    expect((await call(sim, `${BASE}/jobs`)).status).toBe(200);
    expect((await call(sim, `/api/managed_users/${CUSTOMER}/recipes`)).status).toBe(200);
  });
});

describe("recipes of a customer", () => {
  it("lists recipes in descending id order, paged from 1 with per_page at most 100, with live job counts", async () => {
    const sim = await startSim();
    for (let id = 1; id <= 150; id++) sim.addRecipe(CUSTOMER, { id, name: `Recipe ${id}` });
    sim.addFailedJobs(CUSTOMER, RECIPE, 2);
    sim.addJob(CUSTOMER, RECIPE, { status: "succeeded" });
    const pending = sim.addJob(CUSTOMER, RECIPE, { status: "pending" });

    const page = async (query: string) =>
      ((await call(sim, `/api/managed_users/${CUSTOMER}/recipes${query}`)).body as { result: Recipe[] })
        .result;
    const first = await page("?per_page=500");
    expect(first).toHaveLength(100);
    expect(first[0]).toMatchObject({
      id: RECIPE,
      job_failed_count: 2,
      job_succeeded_count: 1,
      running: true,
    });
    expect(Object.keys(first[0] ?? {})).toEqual(expect.arrayContaining(RECIPE_KEYS));
    expect(first.slice(1, 3).map((recipe) => recipe.id)).toEqual([150, 149]);
    const second = await page("?page=2&per_page=100");
    expect(second.map((recipe) => recipe.id)).toEqual(Array.from({ length: 51 }, (_, n) => 51 - n));
    expect(await page("?page=3")).toEqual([]);

    sim.settleRepeat(pending.id, "failed");
    expect((await page("?per_page=1"))[0]?.job_failed_count).toBe(3);
  });

  it("filters by running and stop_cause; Workato stopping a recipe by itself sets stopped_at and the cause", async () => {
    const at = new Date("2026-03-02T02:10:00.000Z");
    const sim = await startSim();
    sim.addRecipe(CUSTOMER, { id: 5, name: "Paused by a person", running: false });
    sim.stopRecipeByWorkato(CUSTOMER, RECIPE, { at });
    const base = `/api/managed_users/${CUSTOMER}/recipes`;
    const stopped = ((await call(sim, `${base}?running=false`)).body as { result: Recipe[] }).result;
    expect(stopped.map((recipe) => recipe.id)).toEqual([RECIPE, 5]);
    expect(stopped[0]).toMatchObject({
      running: false,
      stop_cause: "trigger_errors_limit",
      stopped_at: "2026-03-02T02:10:00.000+00:00",
    });
    const byWorkato = (
      (await call(sim, `${base}?stop_cause=trigger_errors_limit`)).body as { result: Recipe[] }
    ).result;
    expect(byWorkato.map((recipe) => recipe.id)).toEqual([RECIPE]);
    expect(((await call(sim, `${base}?running=true`)).body as { result: Recipe[] }).result).toEqual([]);
    expect((await call(sim, BASE)).body).toMatchObject({
      running: false,
      stop_cause: "trigger_errors_limit",
    });
  });

  it("starts and stops a recipe with { success: true }, and answers a scripted refusal with its message", async () => {
    const sim = await startSim();
    sim.stopRecipeByWorkato(CUSTOMER, RECIPE);
    sim.refuseRecipeStart(CUSTOMER, RECIPE, "NetSuite connection is not authorized");
    const refused = await put(sim, `${BASE}/start`);
    expect([refused.status, refused.body]).toEqual([
      400,
      { success: false, message: "NetSuite connection is not authorized" },
    ]);
    expect(sim.recipe(CUSTOMER, RECIPE).running).toBe(false);

    sim.refuseRecipeStart(CUSTOMER, RECIPE, null);
    expect(await put(sim, `${BASE}/start`)).toMatchObject({ status: 200, body: { success: true } });
    expect(sim.recipe(CUSTOMER, RECIPE)).toMatchObject({ running: true, stopCause: null, stoppedAt: null });
    expect(await put(sim, `${BASE}/stop`)).toMatchObject({ status: 200, body: { success: true } });
    expect(sim.recipe(CUSTOMER, RECIPE)).toMatchObject({ running: false, stopCause: null });
    expect(sim.recipe(CUSTOMER, RECIPE).stoppedAt).toBeInstanceOf(Date);
    expect(sim.requests.map((request) => request.endpoint)).toEqual(["start", "start", "stop"]);
  });

  it("limits recipe lists and start/stop each on their own sliding minute", async () => {
    const sim = await startSim({
      recipeListPerMinuteLimit: 2,
      startStopPerMinuteLimit: 1,
      perMinuteLimit: 1,
    });
    const recipes = `/api/managed_users/${CUSTOMER}/recipes`;
    expect((await call(sim, recipes)).status).toBe(200);
    expect((await call(sim, recipes)).status).toBe(200);
    expect((await call(sim, recipes)).status).toBe(429);
    expect((await put(sim, `${BASE}/stop`)).status).toBe(200);
    expect((await put(sim, `${BASE}/start`)).status).toBe(429);
    expect((await call(sim, `${BASE}/jobs`)).status).toBe(200);
    expect((await call(sim, `${BASE}/jobs`)).status).toBe(429);
  });
});

describe("404s per kind", () => {
  it("answers 404 for a missing customer, recipe or job, and the customer and recipe GETs tell which", async () => {
    const sim = await startSim();
    const job = sim.addJob(CUSTOMER, RECIPE);
    const paths = {
      customer: `/api/managed_users/999/recipes/${RECIPE}/jobs/${job.id}`,
      recipe: `/api/managed_users/${CUSTOMER}/recipes/777/jobs/${job.id}`,
      job: `${BASE}/jobs/j-AAAAAAAA-AAAAAA`,
    };
    for (const path of Object.values(paths)) {
      expect(await call(sim, path)).toMatchObject({ status: 404, body: { message: "Not found" } });
    }
    // What a client asks to tell them apart: the customer, then the recipe.
    expect((await call(sim, "/api/managed_users/999")).status).toBe(404);
    expect((await call(sim, "/api/managed_users/Enobody")).status).toBe(404);
    expect((await call(sim, "/api/managed_users/999/recipes")).status).toBe(404);
    expect((await call(sim, `/api/managed_users/${CUSTOMER}`)).status).toBe(200);
    expect((await call(sim, `/api/managed_users/${CUSTOMER}/recipes/777`)).status).toBe(404);
    expect((await call(sim, BASE)).status).toBe(200);
    expect((await put(sim, `/api/managed_users/${CUSTOMER}/recipes/777/start`)).status).toBe(404);
    expect(sim.requests.map((request) => request.endpoint)).toEqual([
      "get",
      "get",
      "get",
      "customer",
      "customer",
      "recipes",
      "customer",
      "recipe",
      "recipe",
      "start",
    ]);
  });

  it("keeps the jobs role check to jobs endpoints", async () => {
    const sim = await startSim();
    sim.denyJobsAccess(true);
    expect((await call(sim, `${BASE}/jobs`)).status).toBe(403);
    expect((await call(sim, `/api/managed_users/${CUSTOMER}/recipes`)).status).toBe(200);
    expect((await call(sim, "/api/managed_users")).status).toBe(200);
  });
});
