// Starts the real app on a free port, wired through its environment to a fake Slack and the Workato simulator,
// plus a requester that sends it signed Slack requests. Used by end-to-end tests and benchmarks.
import { Writable } from "node:stream";
import { createApp, type RunningApp } from "../src/app.js";
import { systemClock } from "../src/clock.js";
import { loadConfig } from "../src/config.js";
import { createLogger } from "../src/logger.js";
import type { AsyncStore } from "../src/store/store.js";
import { createWorkatoClient } from "../src/workato/client.js";
import type { HttpTimeouts } from "../src/workato/http.js";
import { type FakeSlack, type FakeSlackOptions, startFakeSlack } from "./fake-slack/index.js";
import { freePort } from "./free-port.js";
import { createSlackRequester, type SlackRequester } from "./slack-requests.js";
import {
  type SimulatorOptions,
  startWorkatoSimulator,
  type WorkatoSimulator,
} from "./workato-simulator/index.js";

export const SIGNING_SECRET = "test-signing-secret-0123456789";

/** The variables that point the app at the Workato simulator and the fake Slack, with the token and secret they accept. */
export function fakeServicesEnv(
  workato: { url: string; token: string },
  slack: { apiUrl: string },
): Record<string, string> {
  return {
    SLACK_BOT_TOKEN: "xoxb-test-token",
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    WORKATO_API_TOKEN: workato.token,
    WORKATO_BASE_URL: workato.url,
  };
}
export const CUSTOMER = 23456;
export const EXTERNAL_ID = "A2300";
export const RECIPE = 28904;
export const RECIPE_NAME = "Salesforce accounts to NetSuite";
export const CHANNEL = "C0ONCALL";
export const ALICE = { id: "U0ALICE" };
export const BOB = { id: "U0BOB" };

export interface Harness {
  sim: WorkatoSimulator;
  slack: FakeSlack;
  app: RunningApp;
  appUrl: string;
  send: SlackRequester;
  /** every line the app logged, as written */
  logLines: string[];
  close(): Promise<void>;
}

export interface HarnessOptions {
  simulator?: SimulatorOptions;
  env?: Record<string, string>;
  /** also called with each line the app logs (the demo prints them) */
  onLogLine?: (line: string) => void;
  /** the fake Slack's options, e.g. { rateLimits: true } */
  slack?: FakeSlackOptions;
  /** the name of CUSTOMER in Workato's directory; default the simulator's "Customer 23456" */
  customerName?: string;
  /** a store of the test's own (e.g. one with faults injected); the one SQLITE_PATH names otherwise */
  store?: AsyncStore;
  /** how often the app probes its store (and checks its SQLite file) */
  storeCheckMs?: number;
  /** a Workato client with these timeouts and no GET retries, to see what a request held past them does */
  workatoTimeouts?: Partial<HttpTimeouts>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const sim = await startWorkatoSimulator(options.simulator);
  sim.addCustomer({
    id: CUSTOMER,
    externalId: EXTERNAL_ID,
    ...(options.customerName !== undefined ? { name: options.customerName } : {}),
  });
  sim.addRecipe(CUSTOMER, { id: RECIPE, name: RECIPE_NAME });
  const slack = await startFakeSlack(options.slack);
  const port = await freePort();
  const config = loadConfig({
    ...fakeServicesEnv(sim, slack),
    PORT: String(port),
    LOG_LEVEL: "debug",
    REPEAT_COALESCE_MS: "200",
    SQLITE_PATH: ":memory:",
    ...options.env,
  });
  const logLines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const lines = chunk.toString("utf8").split("\n").filter(Boolean);
      logLines.push(...lines);
      if (options.onLogLine) for (const line of lines) options.onLogLine(line);
      done();
    },
  });
  const logger = createLogger(config.logLevel, sink, [
    config.slack.botToken,
    config.slack.signingSecret ?? "",
    config.workato.token,
  ]);
  const app = await createApp({
    config,
    logger,
    ...(options.store ? { store: options.store } : {}),
    ...(options.storeCheckMs !== undefined ? { storeCheckMs: options.storeCheckMs } : {}),
    ...(options.workatoTimeouts
      ? {
          workato: createWorkatoClient({
            baseUrl: sim.url,
            token: sim.token,
            timeouts: options.workatoTimeouts,
            maxGetRetries: 0,
            clock: systemClock,
            logger,
          }),
        }
      : {}),
  }).catch(async (error: unknown) => {
    // An app that cannot open its store (a test of exactly that) leaves no fake service running.
    await Promise.all([slack.close(), sim.close()]);
    throw error;
  });
  await app.start();
  // The start-up check of the Workato token is the app's own one request: tests count what their steps cause.
  await app.deps.background.settled();
  sim.requests.splice(0);
  const appUrl = `http://127.0.0.1:${port}`;
  return {
    sim,
    slack,
    app,
    appUrl,
    send: createSlackRequester({ appUrl, signingSecret: SIGNING_SECRET, fake: slack }),
    logLines,
    async close() {
      await app.stop(5000);
      await slack.close();
      await sim.close();
    },
  };
}
