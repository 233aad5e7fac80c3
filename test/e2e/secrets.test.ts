// Secrets stay secret through a full run: no token or signing secret in any log line, and the Workato token goes to
// Workato only.
import { describe, expect, it } from "vitest";
import { ALICE, CHANNEL, CUSTOMER, RECIPE, SIGNING_SECRET } from "../../sim/app-harness.js";
import { harnessPerTest } from "../support/harness-per-test.js";

const start = harnessPerTest();

describe("secrets", () => {
  it("never appear in the logs of a full run, errors and refusals included, at debug level", async () => {
    const harness = await start({ env: { LOG_LEVEL: "trace" } });
    const jobs = harness.sim.addFailedJobs(CUSTOMER, RECIPE, 3);
    const run = async (text: string) => {
      await harness.send.slashCommand({ text, user: ALICE, channel: CHANNEL });
      await harness.app.deps.background.settled();
    };
    await run(`list ${CUSTOMER} ${RECIPE}`);
    const list = await harness.slack.waitFor(() => harness.slack.messages(CHANNEL)[0]);
    await harness.send.click({
      channel: CHANNEL,
      messageTs: list.ts,
      button: { text: "Details" },
      user: ALICE,
    });
    await harness.send.click({
      channel: CHANNEL,
      messageTs: list.ts,
      button: { text: "Repeat 3 failed" },
      user: ALICE,
    });
    await harness.slack.waitFor(() => jobs.every((job) => job.repeatCount === 1));
    await run(`show ${CUSTOMER} ${RECIPE} ${jobs[0]?.id}`);
    await run("nonsense");
    harness.sim.denyJobsAccess(true);
    await run(`list ${CUSTOMER} ${RECIPE}`);
    harness.slack.failNext("chat.postMessage", { error: "invalid_auth" });
    await run(`repeat ${CUSTOMER} ${RECIPE} ${jobs[1]?.id}`);
    await harness.send.slashCommand(
      { text: "help", user: ALICE, channel: CHANNEL },
      { signature: "v0=forged" },
    );
    await harness.app.deps.background.settled();

    const logs = harness.logLines.join("\n");
    expect(harness.logLines.length).toBeGreaterThan(30);
    for (const secret of ["xoxb-test-token", harness.sim.token, SIGNING_SECRET])
      expect(logs).not.toContain(secret);
  });

  it("sends the Workato token to Workato only", async () => {
    const harness = await start();
    harness.sim.addFailedJobs(CUSTOMER, RECIPE, 2);
    await harness.send.slashCommand({ text: `list ${CUSTOMER} ${RECIPE}`, user: ALICE, channel: CHANNEL });
    await harness.slack.waitFor(() => harness.slack.messages(CHANNEL)[0]);
    await harness.app.deps.background.settled();

    expect(harness.sim.requests.length).toBeGreaterThan(0);
    for (const request of harness.sim.requests)
      expect(request.authorization).toBe(`Bearer ${harness.sim.token}`);
    expect(JSON.stringify(harness.slack.calls)).not.toContain(harness.sim.token);
  });
});
