// Start-up failures say which service refused or could not be reached, and which variable to fix: the real process
// against a fake Slack that refuses its token and against no Slack at all, then the wording of the other cases.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeServicesEnv } from "../sim/app-harness.js";
import { startAppProcess } from "../sim/app-process.js";
import { type FakeSlack, startFakeSlack } from "../sim/fake-slack/index.js";
import { freePort } from "../sim/free-port.js";
import { startWorkatoSimulator, type WorkatoSimulator } from "../sim/workato-simulator/index.js";
import { explainStartFailure, type StartContext } from "../src/start-errors.js";

let sim: WorkatoSimulator;
let slack: FakeSlack;
beforeAll(async () => {
  sim = await startWorkatoSimulator();
  slack = await startFakeSlack();
});
afterAll(async () => {
  await slack?.close();
  await sim?.close();
});

/** What the process logged before it exited, failing if it became ready instead. */
async function exitLog(env: Record<string, string>): Promise<string> {
  const started = startAppProcess({ ...env, SQLITE_PATH: ":memory:", LOG_LEVEL: "info" });
  const failure = await started.then(
    async (running) => {
      await running.stop();
      throw new Error("the app started");
    },
    (error: unknown) => (error instanceof Error ? error.message : String(error)),
  );
  expect(failure).toContain("the app exited while starting");
  return failure;
}

describe("the real process", () => {
  it("exits naming Slack and SLACK_BOT_TOKEN when Slack refuses the token", async () => {
    const log = await exitLog({
      ...fakeServicesEnv(sim, slack),
      SLACK_BOT_TOKEN: "xoxb-not-the-installed-one",
    });
    expect(log).toContain("could not start: Slack refused SLACK_BOT_TOKEN (invalid_auth)");
    expect(log).toContain("Bot User OAuth Token");
    expect(log).not.toContain("xoxb-not-the-installed-one");
  });

  it("exits naming Slack's API and SLACK_API_URL when nothing answers there", async () => {
    const closed = `http://127.0.0.1:${await freePort()}/api/`;
    const log = await exitLog({ ...fakeServicesEnv(sim, slack), SLACK_API_URL: closed });
    expect(log).toContain(`Slack's Web API at ${closed} could not be reached (ECONNREFUSED)`);
    expect(log).toContain("check SLACK_API_URL");
  });
});

describe("explainStartFailure", () => {
  const context: StartContext = {
    postgres: false,
    sqlitePath: "/data/workato-jobs.db",
    slackApiUrl: undefined,
    port: 3000,
    socketMode: true,
  };
  const platformError = (error: string) =>
    Object.assign(new Error(`An API error occurred: ${error}`), {
      code: "slack_webapi_platform_error",
      data: { ok: false, error },
    });

  it("names SLACK_APP_TOKEN when Socket Mode's connection is refused", () => {
    expect(explainStartFailure("receiver", platformError("invalid_auth"), context)).toMatch(
      /^Slack refused SLACK_APP_TOKEN \(invalid_auth\): put an app-level token \(xapp-…\)/,
    );
  });

  it("names Slack's own API when SLACK_API_URL is unset", () => {
    const unreachable = Object.assign(new Error("A request error occurred: fetch failed"), {
      code: "slack_webapi_request_error",
      original: Object.assign(new TypeError("fetch failed"), { cause: { code: "ENOTFOUND" } }),
    });
    expect(explainStartFailure("slack-bot-token", unreachable, context)).toContain(
      "Slack's Web API at https://slack.com/api/ could not be reached (ENOTFOUND)",
    );
  });

  it("names PORT when another process holds it, and the store's variable when it cannot open", () => {
    const inUse = Object.assign(new Error("listen EADDRINUSE"), { code: "EADDRINUSE" });
    expect(explainStartFailure("receiver", inUse, context)).toBe(
      "PORT 3000 is already in use by another process: set PORT to a free port.",
    );
    const refused = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    expect(explainStartFailure("store", refused, { ...context, postgres: true })).toMatch(
      /^Postgres at DATABASE_URL could not be opened \(ECONNREFUSED\)/,
    );
    const readOnly = Object.assign(new Error("unable to open database file"), { code: "SQLITE_CANTOPEN" });
    expect(explainStartFailure("store", readOnly, context)).toMatch(
      /^The SQLite store at SQLITE_PATH \(\/data\/workato-jobs.db\) could not be opened \(SQLITE_CANTOPEN\)/,
    );
  });
});
