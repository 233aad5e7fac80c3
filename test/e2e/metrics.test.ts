// End to end: the running app serves Prometheus text at GET /metrics, counting the Workato requests a command made.
import { describe, expect, it } from "vitest";
import { ALICE, CHANNEL, CUSTOMER, RECIPE } from "../../sim/app-harness.js";
import { harnessPerTest } from "../support/harness-per-test.js";

const start = harnessPerTest();

describe("GET /metrics", () => {
  it("answers 200 with workato_requests_total counting a list command's request", async () => {
    const harness = await start();
    harness.sim.addFailedJobs(CUSTOMER, RECIPE, 2);

    await harness.send.slashCommand({ text: `list ${CUSTOMER} ${RECIPE}`, user: ALICE, channel: CHANNEL });
    await harness.slack.waitFor(() => harness.slack.messages(CHANNEL)[0]);
    const listed = harness.sim.requests.filter((request) => request.endpoint === "list").length;
    expect(listed).toBeGreaterThan(0);

    const response = await fetch(`${harness.appUrl}/metrics`);
    expect(response.status).toBe(200);
    const text = await response.text();
    const counted = [...text.matchAll(/^workato_requests_total\{([^}]*)\} (\d+)$/gm)]
      .filter((match) => match[1]?.includes('endpoint="list_jobs"') && match[1].includes('status="200"'))
      .reduce((sum, match) => sum + Number(match[2]), 0);
    expect(counted).toBe(listed);
  });
});

describe("GET /metrics with METRICS_TOKEN set", () => {
  const TOKEN = "metrics-secret-0123456789";

  it("answers 401 without the bearer token or with a wrong one, and 200 with it", async () => {
    const harness = await start({ env: { METRICS_TOKEN: TOKEN } });
    const without = await fetch(`${harness.appUrl}/metrics`);
    expect(without.status).toBe(401);
    expect(without.headers.get("www-authenticate")).toBe("Bearer");
    expect(await without.text()).not.toContain("workato_requests_total");
    const wrong = await fetch(`${harness.appUrl}/metrics`, {
      headers: { authorization: `Bearer ${TOKEN}x` },
    });
    expect(wrong.status).toBe(401);
    const right = await fetch(`${harness.appUrl}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(right.status).toBe(200);
    expect(await right.text()).toContain("repeat_queue_depth");
    // /healthz stays open for the platform's checks.
    expect((await fetch(`${harness.appUrl}/healthz`)).status).toBe(200);
  });

  it("is open to any scrape without METRICS_TOKEN", async () => {
    const harness = await start();
    const response = await fetch(`${harness.appUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("repeat_queue_depth");
  });
});
