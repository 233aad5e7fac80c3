// The client's customer and recipe calls against the Workato simulator over real HTTP: every list shape, paging and
// filters, start/stop answers as Workato words them, and errors coded like the Jobs API's.
import { afterEach, describe, expect, it } from "vitest";
import { startWorkatoSimulator, type WorkatoSimulator } from "../../sim/workato-simulator/index.js";
import { systemClock } from "../../src/clock.js";
import { createLocalBudget } from "../../src/workato/budget.js";
import { createWorkatoClient, type WorkatoClient } from "../../src/workato/client.js";
import { WorkatoApiError } from "../../src/workato/errors.js";
import { customerRef } from "../support/customer.js";

const CUSTOMER = 23456;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function setUp(
  listShape?: "result" | "items" | "bare",
): Promise<{ sim: WorkatoSimulator; client: WorkatoClient }> {
  const sim = await startWorkatoSimulator(listShape ? { listShape } : {});
  sim.addCustomer({ id: CUSTOMER, externalId: "acme/eu-1", name: "Acme EU" });
  for (let id = 1; id <= 5; id++) sim.addRecipe(CUSTOMER, { id, name: `Recipe ${id}` });
  const client = createWorkatoClient({
    baseUrl: sim.url,
    token: sim.token,
    clock: systemClock,
    budget: createLocalBudget(),
    retryBaseDelayMs: 20,
  });
  cleanups.push(async () => {
    await client.close();
    await sim.close();
  });
  return { sim, client };
}

describe("customers and recipes", () => {
  it.each(["result", "items", "bare"] as const)("reads lists wrapped as %s", async (shape) => {
    const { client } = await setUp(shape);
    expect(await client.listCustomers()).toEqual([
      { id: CUSTOMER, externalId: "acme/eu-1", name: "Acme EU" },
    ]);
    const recipes = await client.listRecipes(customerRef("ext:acme/eu-1"), { page: 1, perPage: 2 });
    expect(recipes.map((recipe) => recipe.id)).toEqual([5, 4]);
  });

  it("reads one customer, and the recipe fields the bot shows, with filters passed as Workato names them", async () => {
    const { sim, client } = await setUp();
    expect(await client.getCustomer(customerRef("23456"))).toMatchObject({ name: "Acme EU" });
    sim.addFailedJobs(CUSTOMER, 3, 2);
    sim.stopRecipeByWorkato(CUSTOMER, 3);
    const [stopped] = await client.listRecipes(customerRef("23456"), {
      running: false,
      stopCause: "trigger_errors_limit",
      perPage: 500,
    });
    expect(stopped).toMatchObject({
      id: 3,
      running: false,
      jobFailedCount: 2,
      stopCause: "trigger_errors_limit",
      stoppedAt: expect.any(String),
      lastRunAt: expect.any(String),
      triggerApplication: "salesforce",
      folderId: 1,
    });
    const query = sim.requests.find((request) => request.endpoint === "recipes")?.query;
    expect(query).toEqual({ per_page: "100", running: "false", stop_cause: "trigger_errors_limit" });
  });

  it("starts and stops a recipe, and gives Workato's reason as it said it when a recipe cannot start", async () => {
    const { sim, client } = await setUp();
    const customer = customerRef("23456");
    expect(await client.stopRecipe(customer, 2)).toEqual({ success: true });
    expect(sim.recipe(CUSTOMER, 2).running).toBe(false);
    sim.refuseRecipeStart(CUSTOMER, 2, "Connection 'NetSuite' is not connected");
    expect(await client.startRecipe(customer, 2)).toEqual({
      success: false,
      message: "Connection 'NetSuite' is not connected",
    });
    sim.refuseRecipeStart(CUSTOMER, 2, null);
    expect(await client.startRecipe(customer, 2)).toEqual({ success: true });
    expect(sim.recipe(CUSTOMER, 2).running).toBe(true);
    expect(
      sim.requests.filter((request) => request.method === "PUT").map((request) => request.endpoint),
    ).toEqual(["stop", "start", "start"]);
  });

  it("codes a missing customer or recipe as not_found", async () => {
    const { client } = await setUp();
    await expect(client.getCustomer(customerRef("99999"))).rejects.toMatchObject({ code: "not_found" });
    await expect(client.listRecipes(customerRef("99999"))).rejects.toBeInstanceOf(WorkatoApiError);
    await expect(client.startRecipe(customerRef("23456"), 999)).rejects.toMatchObject({ code: "not_found" });
  });
});
