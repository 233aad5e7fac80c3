// The one place messages take names from, against the Workato simulator over real HTTP: customers from the directory
// (never read for a name alone), recipes through the client's cache, and null wherever the id must stand in.
import { afterEach, describe, expect, it } from "vitest";
import { startWorkatoSimulator } from "../../sim/workato-simulator/index.js";
import { manualClock } from "../../src/clock.js";
import { createNames, recipeKey } from "../../src/names/names.js";
import { type CustomerRef, parseCustomerRef } from "../../src/workato/customer-ref.js";
import { directoryClient } from "../support/directory-client.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

function ref(text: string): CustomerRef {
  const parsed = parseCustomerRef(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.ref;
}

async function setUp() {
  const sim = await startWorkatoSimulator();
  sim.addCustomer({ id: 23456, name: "Acme Corporation", externalId: "A2300" });
  sim.addCustomer({ id: 31337, name: "  " });
  sim.addRecipe(23456, { id: 28904, name: "Salesforce accounts to NetSuite" });
  const clock = manualClock(Date.parse("2026-03-01T09:00:00Z"));
  const { workato, directory, close } = directoryClient(sim, clock);
  cleanups.push(close);
  const requests = (endpoint: string) =>
    sim.requests.filter((request) => request.endpoint === endpoint).length;
  return { names: createNames({ directory, workato }), directory, requests };
}

describe("names", () => {
  it("names a customer by either id once the directory was read, and never reads the directory for a name", async () => {
    const { names, directory, requests } = await setUp();
    expect(names.customer(ref("23456"))).toBeNull();
    expect(requests("customers")).toBe(0);

    await directory.refreshForMiss();
    expect(names.customer(ref("23456"))).toBe("Acme Corporation");
    expect(names.customer(ref("ext:A2300"))).toBe("Acme Corporation");
    // A blank name is no name: the message shows the id.
    expect(names.customer(ref("31337"))).toBeNull();
    expect(names.customer(ref("99999"))).toBeNull();
    expect(requests("customers")).toBe(1);
  });

  it("reads a recipe's name once, remembers it for views that may not ask Workato, and gives null for a missing recipe", async () => {
    const { names, requests } = await setUp();
    const acme = ref("23456");
    expect(names.knownRecipe(acme, 28904)).toBeNull();

    const read = await names.recipes([
      { customer: acme, recipeId: 28904 },
      { customer: acme, recipeId: 28904 },
      { customer: acme, recipeId: 404 },
    ]);
    expect([...read]).toEqual([[recipeKey("23456", 28904), "Salesforce accounts to NetSuite"]]);
    expect(await names.recipe(acme, 28904)).toBe("Salesforce accounts to NetSuite");
    expect(await names.recipe(acme, 404)).toBeNull();
    expect(names.knownRecipe(acme, 28904)).toBe("Salesforce accounts to NetSuite");
    expect(names.knownRecipe(acme, 404)).toBeNull();
    // The two asks of 28904 and the later one were served by one request; each ask of 404 asked again.
    expect(requests("recipe")).toBe(3);
  });
});
