// The Workato simulator as a process of its own, as Workato is a service of its own: benchmarks that load the
// machine measure pacing at a simulator whose clock is not held up by the load generator.
// Prints one JSON line {url, token, controlUrl}; the control server seeds jobs and reports the request log.
import { createServer } from "node:http";
import { startWorkatoSimulator } from "../../sim/workato-simulator/index.js";

const sim = await startWorkatoSimulator({ latencyMs: Number(process.env.SIM_LATENCY_MS ?? 0) });

const control = createServer((req, res) => {
  let body = "";
  req.on("data", (chunk: Buffer) => {
    body += chunk.toString("utf8");
  });
  req.on("end", () => {
    const answer = (value: unknown) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(value));
    };
    if (req.method === "POST" && req.url === "/seed") {
      const seed = JSON.parse(body) as { customer: number; recipe: number; name: string; failedJobs: number };
      sim.addCustomer({ id: seed.customer });
      sim.addRecipe(seed.customer, { id: seed.recipe, name: seed.name });
      answer(sim.addFailedJobs(seed.customer, seed.recipe, seed.failedJobs).map((job) => job.id));
      return;
    }
    if (req.method === "GET" && req.url === "/requests") {
      answer(
        sim.requests.map(({ endpoint, at, status, body: requestBody }) => ({
          endpoint,
          at,
          status,
          body: requestBody,
        })),
      );
      return;
    }
    res.writeHead(404).end();
  });
});
control.listen(0, "127.0.0.1", () => {
  const address = control.address();
  const port = typeof address === "object" && address ? address.port : 0;
  console.log(JSON.stringify({ url: sim.url, token: sim.token, controlUrl: `http://127.0.0.1:${port}` }));
});

process.on("SIGTERM", () => {
  control.close();
  void sim.close().then(() => process.exit(0));
});
