// End to end: the start-up check of the Workato token. A token Workato refuses, a role without jobs access and an
// unreachable Workato are logged with the fix and shown in /metrics; the bot starts anyway and answers Slack.
import { describe, expect, it } from "vitest";
import { ALICE, CHANNEL, type Harness } from "../../sim/app-harness.js";
import { freePort } from "../../sim/free-port.js";
import { harnessPerTest } from "../support/harness-per-test.js";

const start = harnessPerTest();

async function accessGauge(harness: Harness): Promise<Record<string, number>> {
  const text = await (await fetch(`${harness.appUrl}/metrics`)).text();
  return Object.fromEntries(
    [...text.matchAll(/^workato_access\{state="([a-z_]+)"\} (\d+)$/gm)].map((match) => [
      match[1],
      Number(match[2]),
    ]),
  );
}

function startCheckLine(harness: Harness): { state: string; msg: string } {
  const line = harness.logLines.find((candidate) => candidate.includes('"check":"start"'));
  if (!line) throw new Error("the start-up check logged nothing");
  return JSON.parse(line) as { state: string; msg: string };
}

/** The bot still answers a command that needs no Workato. */
async function answersHelp(harness: Harness): Promise<void> {
  const response = await harness.send.slashCommand({ text: "help", user: ALICE, channel: CHANNEL });
  expect(response.status).toBe(200);
  expect(response.body).toContain("/workato-jobs list");
}

describe("the start-up check of the Workato token", () => {
  it("finds a token with jobs access: ok in /metrics and the log", async () => {
    const harness = await start();
    expect(await accessGauge(harness)).toEqual({
      ok: 1,
      token_refused: 0,
      no_jobs_role: 0,
      unreachable: 0,
      unexpected: 0,
    });
    expect(startCheckLine(harness).state).toBe("ok");
  });

  it("finds a token Workato refuses, says to fix WORKATO_API_TOKEN, and the bot still answers", async () => {
    const harness = await start({ env: { WORKATO_API_TOKEN: "not-the-sim-token" } });
    expect((await accessGauge(harness)).token_refused).toBe(1);
    const line = startCheckLine(harness);
    expect(line.msg).toMatch(/refused WORKATO_API_TOKEN \(401\)/);
    expect(line.msg).toContain("WORKATO_BASE_URL");
    await answersHelp(harness);
  });

  it("finds a role without jobs access and names the setting to check", async () => {
    const harness = await start({ simulator: { jobsAccessDenied: true } });
    expect((await accessGauge(harness)).no_jobs_role).toBe(1);
    expect(startCheckLine(harness).msg).toMatch(
      /access to jobs \(403\).*"List" and "Get details".*Client roles/,
    );
    await answersHelp(harness);
  });

  it("finds an unreachable Workato and names WORKATO_BASE_URL", async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const harness = await start({ env: { WORKATO_BASE_URL: closed } });
    expect((await accessGauge(harness)).unreachable).toBe(1);
    expect(startCheckLine(harness).msg).toContain(
      `Workato at WORKATO_BASE_URL (${closed}) could not be reached`,
    );
    await answersHelp(harness);
  });
});
