// The customer directory against the Workato simulator over real HTTP: how often it reads the 60-a-minute customer
// list (counted requests), and what it keeps when a read fails.
import { afterEach, describe, expect, it } from "vitest";
import { startWorkatoSimulator, type WorkatoSimulator } from "../../sim/workato-simulator/index.js";
import { manualClock } from "../../src/clock.js";
import { directoryClient } from "../support/directory-client.js";

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function setUp(customers: number) {
  const sim: WorkatoSimulator = await startWorkatoSimulator();
  for (let id = 1; id <= customers; id++) sim.addCustomer({ id, name: `Customer ${id}` });
  const clock = manualClock(Date.parse("2025-03-04T09:00:00Z"));
  const { directory, close } = directoryClient(sim, clock);
  cleanups.push(close);
  const customerRequests = () => sim.requests.filter((request) => request.endpoint === "customers");
  return { sim, clock, directory, customerRequests };
}

describe("the customer directory", () => {
  it("reads 250 customers in three pages of 100 on the first miss, and answers later misses from the cache for a minute", async () => {
    const { directory, clock, customerRequests } = await setUp(250);
    expect(directory.snapshot().customers).toHaveLength(0);
    expect(customerRequests()).toHaveLength(0);

    const [first, second] = await Promise.all([directory.refreshForMiss(), directory.refreshForMiss()]);
    expect(first.customers).toHaveLength(250);
    expect(second).toBe(first);
    expect(customerRequests().map((request) => [request.query.page, request.query.per_page])).toEqual([
      ["1", "100"],
      ["2", "100"],
      ["3", "100"],
    ]);

    // Twenty misses within the minute: no request.
    for (let i = 0; i < 20; i++) {
      clock.advance(2_000);
      await directory.refreshForMiss();
    }
    expect(customerRequests()).toHaveLength(3);

    // A minute after the last read, a miss reads the list again (in the background, paced).
    clock.advance(21_000);
    await directory.refreshForMiss();
    expect(customerRequests()).toHaveLength(6);
    expect(customerRequests().every((request) => request.status === 200)).toBe(true);
  });

  it("refreshes in the background at most every ten minutes while snapshots are read", async () => {
    const { directory, clock, customerRequests, sim } = await setUp(120);
    await directory.refreshForMiss();
    expect(customerRequests()).toHaveLength(2);
    for (let minute = 1; minute <= 9; minute++) {
      clock.advance(60_000);
      directory.snapshot();
    }
    await directory.settled();
    expect(customerRequests()).toHaveLength(2);

    sim.addCustomer({ id: 500, name: "Initech" });
    clock.advance(60_000);
    // The snapshot answers at once with what it has; the re-read happens behind it.
    expect(directory.snapshot().customers).toHaveLength(120);
    await directory.settled();
    expect(directory.snapshot().customers.map((customer) => customer.name)).toContain("Initech");
    expect(customerRequests()).toHaveLength(4);
    // Within Workato's 60 a minute, and never refused.
    expect(customerRequests().some((request) => request.status === 429)).toBe(false);
  });

  it("keeps the customers it knows when a re-read fails, and says why a first read failed", async () => {
    const { directory, clock, sim } = await setUp(3);
    const removeFault = sim.addFault({ endpoint: "customers", effect: { type: "status", status: 401 } });
    const failed = await directory.refreshForMiss();
    expect(failed.loadedAt).toBeNull();
    expect(failed.problem).toMatch(/reading Workato's list of customers.*401/);

    removeFault();
    clock.advance(60_000);
    expect((await directory.refreshForMiss()).customers).toHaveLength(3);
    sim.addFault({ endpoint: "customers", effect: { type: "status", status: 401 } });
    clock.advance(60_000);
    const stale = await directory.refreshForMiss();
    expect(stale.customers).toHaveLength(3);
    expect(stale.problem).toMatch(/401/);
    expect(directory.find({ kind: "managed_user_id", id: "2" })?.name).toBe("Customer 2");
  });
});
