// The real process, as deployed, lives through the envelopes that used to kill it (`payload=null` threw inside
// Bolt's HTTPReceiver, unhandled) and through a burst of hostile ones, and still answers /healthz.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { SIGNING_SECRET } from "../../sim/app-harness.js";
import { type AppProcess, startAppProcess } from "../../sim/app-process.js";
import { type FakeSlack, startFakeSlack } from "../../sim/fake-slack/index.js";
import { signSlackRequest } from "../../sim/slack-requests.js";
import { startWorkatoSimulator, type WorkatoSimulator } from "../../sim/workato-simulator/index.js";

const FORM = "application/x-www-form-urlencoded";

let sim: WorkatoSimulator;
let slack: FakeSlack;
let bot: AppProcess;
beforeAll(async () => {
  sim = await startWorkatoSimulator();
  slack = await startFakeSlack();
  bot = await startAppProcess({
    SLACK_BOT_TOKEN: "xoxb-test-token",
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    WORKATO_API_TOKEN: sim.token,
    WORKATO_BASE_URL: sim.url,
    SQLITE_PATH: ":memory:",
    LOG_LEVEL: "info",
  });
});
afterAll(async () => {
  await bot?.stop();
  await slack?.close();
  await sim?.close();
});

async function sendSigned(body: string, contentType: string): Promise<number> {
  const response = await fetch(`${bot.url}/slack/events`, {
    method: "POST",
    headers: { "content-type": contentType, ...signSlackRequest(SIGNING_SECRET, body) },
    body,
    signal: AbortSignal.timeout(2500),
  });
  return response.status;
}

describe("the bot process", () => {
  it("answers every envelope that used to crash it or wait 3 seconds, and keeps running", async () => {
    const bodies: [string, string][] = [
      ["payload=null", FORM],
      ["payload=1", FORM],
      [`payload=${encodeURIComponent('"x"')}`, FORM],
      [`payload=${encodeURIComponent("[]")}`, FORM],
      ["null", "application/json"],
      ["[]", "application/json"],
      [`payload=${encodeURIComponent('{"type":"block_actions","user":{"id":"U1"}}')}`, FORM],
      [`payload=${encodeURIComponent('{"type":"block_actions","user":{"id":"U1"},"actions":[null]}')}`, FORM],
      [`payload=${encodeURIComponent('{"type":"block_actions","user":null,"actions":[{}]}')}`, FORM],
      [`payload=${encodeURIComponent('{"type":"view_submission","user":{"id":"U1"},"view":null}')}`, FORM],
      [`payload=${encodeURIComponent('{"type":"nonsense"}')}`, FORM],
      ['{"type":"event_callback","event":null}', "application/json"],
    ];
    // The start-up check of the Workato token is the one request the bot makes of itself; none may follow it.
    await vi.waitFor(() => expect(bot.logLines.join("\n")).toContain('"check":"start"'), { timeout: 10_000 });
    const before = sim.requests.length;
    const statuses = await Promise.all(bodies.map(([body, type]) => sendSigned(body, type)));
    for (const status of statuses) expect([200, 400]).toContain(status);
    expect(bot.child.exitCode).toBeNull();
    expect((await fetch(`${bot.url}/healthz`)).status).toBe(200);
    expect(bot.logLines.join("\n")).not.toMatch(/uncaught exception|a promise failed/);
    expect(sim.requests.slice(before)).toEqual([]);
  });
});
