// The watch poller wired for real: the Workato simulator over HTTP, the fake Slack behind a real Poster, and the
// SQLite store in a temporary file that a test can close and open again (a restart).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WebClient } from "@slack/web-api";
import { pino } from "pino";
import { afterEach, expect } from "vitest";
import { type FakeMessage, type FakeSlack, listButtons, startFakeSlack } from "../../sim/fake-slack/index.js";
import {
  type SimulatorOptions,
  startWorkatoSimulator,
  type WorkatoSimulator,
} from "../../sim/workato-simulator/index.js";
import { type AccessChecker, createAccessChecker } from "../../src/access/access-check.js";
import type { AccessPolicy } from "../../src/access/policy.js";
import { type Clock, systemClock } from "../../src/clock.js";
import { createPoster, type Poster } from "../../src/slack/io/poster.js";
import { createSlackDirectory } from "../../src/slack/io/slack-directory.js";
import { createSlackAlertSink } from "../../src/slack/watches/slack-alert-sink.js";
import { asyncSqliteStore } from "../../src/store/async-sqlite.js";
import { openSqliteStore } from "../../src/store/sqlite-store.js";
import type { AsyncStore, Store, WatchRecord } from "../../src/store/store.js";
import { createWatchPoller, type WatchPoller, type WatchPollerOptions } from "../../src/watch/poller.js";
import { createWorkatoClient, type WorkatoClient } from "../../src/workato/client.js";

export const CUSTOMER = 23456;
export const RECIPE = 28904;
export const RECIPE_NAME = "Salesforce accounts to NetSuite";
export const CHANNEL = "C0ONCALL";
export const ALICE = "U0ALICE";
/** 2026-03-01T09:00:00Z: the poller's clock starts here and tests move it */
export const START = Date.UTC(2026, 2, 1, 9);

export interface WatchHarness {
  sim: WorkatoSimulator;
  slack: FakeSlack;
  poster: Poster;
  /** the access checker under the harness's policy (none: everyone in the workspace may view) */
  access: AccessChecker;
  workato: WorkatoClient;
  /** the store the current poller uses, read synchronously by tests; `restart` opens the file again */
  readonly store: Store;
  /** the same store behind the asynchronous contract, as the app's parts take it */
  readonly asyncStore: AsyncStore;
  /** the poller's clock (epoch ms); tests move it */
  clock: { now: number };
  /** a poller on the current store; made again by `restart` */
  readonly poller: WatchPoller;
  dbPath: string;
  addWatch(watch?: Partial<Pick<WatchRecord, "channel" | "recipeId" | "mentions">>): WatchRecord;
  /** a new poller (and store handle on the same file), as after a restart of the process */
  restart(): WatchPoller;
  newPoller(overrides?: Partial<WatchPollerOptions>): WatchPoller;
  listRequests(): number;
  close(): Promise<void>;
}

export const silentLogger = pino({ level: "silent" });

export interface WatchHarnessOptions {
  simulator?: SimulatorOptions;
  poller?: Partial<WatchPollerOptions>;
  policy?: AccessPolicy;
}

/** An alert's text and blocks as one string, for asserting what it says. */
export const contentOf = (message: FakeMessage | undefined): string =>
  message ? `${message.text}\n${JSON.stringify(message.blocks)}` : "";
export const buttonLabels = (message: FakeMessage | undefined): string[] =>
  message ? listButtons(message).map((b) => b.text) : [];

/** For test files: a fresh watch harness per call, closed after the test. */
export function watchHarnessPerTest(): (options?: WatchHarnessOptions) => Promise<WatchHarness> {
  const started: WatchHarness[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((harness) => harness.close()));
  });
  return async (options = {}) => {
    const harness = await startWatchHarness(options);
    started.push(harness);
    return harness;
  };
}

/** A watch of RECIPE whose first check has set its starting point, so later failures are new. */
export async function watchedWithCursor(
  harness: WatchHarness,
  mentions: string[] = [],
): Promise<WatchRecord> {
  const watch = harness.addWatch({ mentions });
  expect(await harness.poller.pollOnce(watch.id)).toMatchObject({ kind: "cursor_set" });
  return watch;
}

export async function startWatchHarness(options: WatchHarnessOptions = {}): Promise<WatchHarness> {
  const sim = await startWorkatoSimulator(options.simulator);
  sim.addCustomer({ id: CUSTOMER });
  sim.addRecipe(CUSTOMER, { id: RECIPE, name: RECIPE_NAME });
  const slack = await startFakeSlack();
  const web = new WebClient("xoxb-test-token", { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
  const poster = createPoster(web, silentLogger);
  const access = createAccessChecker({
    policy: options.policy ?? null,
    installingTeamId: () => slack.teamId,
    directory: createSlackDirectory(web, systemClock),
    logger: silentLogger,
  });
  // Tests move the time by setting clock.now; the poller and the client read it through a Clock.
  const clock = { now: START };
  const pollerClock: Clock = { now: () => clock.now };
  const workato = createWorkatoClient({
    baseUrl: sim.url,
    token: sim.token,
    retryBaseDelayMs: 10,
    logger: silentLogger,
    clock: pollerClock,
  });
  const dir = mkdtempSync(join(tmpdir(), "workato-watch-"));
  const dbPath = join(dir, "watches.db");
  const pollers: WatchPoller[] = [];
  let store = openSqliteStore(dbPath);
  let asyncStore = asyncSqliteStore(store);
  const newPoller = (overrides: Partial<WatchPollerOptions> = {}) => {
    const made = createWatchPoller({
      store: asyncStore,
      workato,
      alerts: createSlackAlertSink(poster),
      intervalSeconds: 60,
      clock: pollerClock,
      logger: silentLogger,
      ...options.poller,
      ...overrides,
    });
    pollers.push(made);
    return made;
  };
  let poller = newPoller();

  const harness: WatchHarness = {
    sim,
    slack,
    poster,
    access,
    workato,
    get store() {
      return store;
    },
    get asyncStore() {
      return asyncStore;
    },
    clock,
    get poller() {
      return poller;
    },
    dbPath,
    addWatch(watch = {}) {
      return store.upsertWatch(
        {
          channel: watch.channel ?? CHANNEL,
          customer: String(CUSTOMER),
          recipeId: watch.recipeId ?? RECIPE,
          mentions: watch.mentions ?? [],
          createdBy: ALICE,
        },
        clock.now,
      );
    },
    newPoller,
    restart() {
      store.close();
      store = openSqliteStore(dbPath);
      asyncStore = asyncSqliteStore(store);
      poller = newPoller();
      return poller;
    },
    listRequests() {
      return sim.requests.filter((request) => request.endpoint === "list").length;
    },
    async close() {
      await Promise.all(pollers.map((made) => made.stop()));
      store.close();
      await workato.close();
      await slack.close();
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return harness;
}
