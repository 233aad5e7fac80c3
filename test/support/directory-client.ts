// For tests of what reads Workato's customer directory: a client of the simulator over real HTTP, in a budget of the
// test's own, with its directory; `close` waits for a read in progress, then closes the client and the simulator.
import pino from "pino";
import type { WorkatoSimulator } from "../../sim/workato-simulator/index.js";
import type { Clock } from "../../src/clock.js";
import { createCustomerDirectory } from "../../src/customers/customer-directory.js";
import { createLocalBudget } from "../../src/workato/budget.js";
import { createWorkatoClient } from "../../src/workato/client.js";

export function directoryClient(sim: WorkatoSimulator, clock: Clock) {
  // Workato's own figures (60 customer requests a minute), in a budget of this test's own.
  const workato = createWorkatoClient({
    baseUrl: sim.url,
    token: sim.token,
    clock,
    budget: createLocalBudget(),
    retryBaseDelayMs: 20,
  });
  const directory = createCustomerDirectory({ workato, clock, logger: pino({ level: "silent" }) });
  return {
    workato,
    directory,
    async close() {
      await directory.settled();
      await workato.close();
      await sim.close();
    },
  };
}
