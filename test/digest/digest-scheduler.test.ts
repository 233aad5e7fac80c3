// The daily digest end to end below the slash command: the SQLite store in a file (closed and opened again for a
// restart), the real access checker and Poster against the fake Slack, and the one clock moved by hand.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { WebClient } from "@slack/web-api";
import { pino } from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type FakeSlack, startFakeSlack } from "../../sim/fake-slack/index.js";
import { createAccessChecker } from "../../src/access/access-check.js";
import { parsePolicy } from "../../src/access/policy.js";
import { manualClock, systemClock } from "../../src/clock.js";
import type { DigestScheduler } from "../../src/digest/digest-scheduler.js";
import { latestDueDay } from "../../src/digest/digest-time.js";
import { createSlackDigests } from "../../src/slack/digest/slack-digests.js";
import { createPoster } from "../../src/slack/io/poster.js";
import { createSlackDirectory } from "../../src/slack/io/slack-directory.js";
import { asyncSqliteStore } from "../../src/store/async-sqlite.js";
import { openSqliteStore } from "../../src/store/sqlite-store.js";
import type { AsyncStore, Store } from "../../src/store/store.js";

const CHANNEL = "C0ONCALL";
const OTHER = "C0SALES";
const ALICE = "U0ALICE";
/** Monday 2026-03-02 08:59 UTC */
const BEFORE_NINE = Date.UTC(2026, 2, 2, 8, 59);
const HOUR = 60 * 60_000;
const silent = pino({ level: "silent" });

let slack: FakeSlack;
let dir: string;
beforeAll(async () => {
  slack = await startFakeSlack();
  dir = mkdtempSync(join(tmpdir(), "workato-digest-"));
});
afterAll(async () => {
  await slack.close();
  rmSync(dir, { recursive: true, force: true });
});

let files = 0;
const opened: Store[] = [];
afterEach(() => {
  for (const store of opened.splice(0)) store.close();
});

function setUp(policyYaml: string | null = null) {
  const path = join(dir, `digest-${++files}.db`);
  const clock = manualClock(BEFORE_NINE);
  const web = new WebClient("xoxb-test-token", { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
  const access = createAccessChecker({
    policy: policyYaml === null ? null : parsePolicy(policyYaml),
    installingTeamId: () => slack.teamId,
    directory: createSlackDirectory(web, systemClock),
    logger: silent,
  });
  const poster = createPoster(web, silent);
  /** a process: its own store handle on the file, and its own scheduler */
  const start = (shouldRun = () => true): { store: AsyncStore; digests: DigestScheduler } => {
    const sync = openSqliteStore(path);
    opened.push(sync);
    const store = asyncSqliteStore(sync);
    return {
      store,
      digests: createSlackDigests({ store, access, poster, clock, logger: silent, shouldRun }),
    };
  };
  return { clock, start };
}

async function seedChannel(
  store: AsyncStore,
  channel: string,
  customer: string,
  recipeId: number,
  at: number,
) {
  const watch = await store.upsertWatch(
    { channel, customer, recipeId, mentions: [], createdBy: ALICE },
    at - 3 * HOUR,
  );
  // Three failed jobs alerted an hour ago; j1 was repeated and succeeded, j2 was repeated and failed again.
  await store.recordWatchFailures(
    ["j1", "j2", "j3"].map((jobId) => ({
      watchId: watch.id,
      jobId,
      masterJobId: jobId,
      signature: "sig-timeout",
      firstLine: "Timeout talking to NetSuite",
      seenAt: at - HOUR,
    })),
  );
  const repeat = await store.createRepeat(
    { userId: ALICE, channel, threadTs: "1.1", customer, recipeId },
    ["j1", "j2"],
    at - HOUR,
  );
  await store.markInFlight(
    ["j1", "j2"].map((jobId) => ({ repeatId: repeat.id, jobId })),
    at - HOUR,
  );
  await store.recordResults(
    repeat.id,
    [
      { jobId: "j1", outcome: "enqueued", newJobId: "n1" },
      { jobId: "j2", outcome: "enqueued", newJobId: "n2" },
    ],
    1,
  );
  await store.startFollowUp(repeat.id, at - HOUR);
  await store.recordFollowedOutcomes(repeat.id, [
    { newJobId: "n1", state: "succeeded", error: null, completedAt: at - 50 * 60_000, settledAt: at },
    { newJobId: "n2", state: "failed", error: "Timeout", completedAt: at - 50 * 60_000, settledAt: at },
  ]);
  return watch;
}

const schedule = (channel: string, at: number) => ({
  channel,
  timeOfDay: "09:00",
  timeZone: "UTC",
  setBy: ALICE,
  setAt: at,
  lastSentDay: latestDueDay(at, "09:00", "UTC"),
});

const texts = (channel: string) => slack.messages(channel).map((message) => message.text);

describe("the daily digest", () => {
  it("is posted at its time and not before, with the failures, the fixed ones and what still fails", async () => {
    const channel = "C0DIGEST1";
    const { clock, start } = setUp();
    const { store, digests } = start();
    await seedChannel(store, channel, "23456", 28904, BEFORE_NINE);
    await store.saveDigest(schedule(channel, BEFORE_NINE));

    expect(await digests.runDue()).toEqual({ sent: [], failed: [] });
    expect(slack.messages(channel)).toEqual([]);

    clock.set(Date.UTC(2026, 2, 2, 9, 0));
    expect(await digests.runDue()).toEqual({ sent: [channel], failed: [] });
    const [digest] = slack.messages(channel);
    expect(digest?.text).toContain("09:00 UTC");
    const body = JSON.stringify(digest?.blocks);
    expect(body).toContain("3 failed jobs");
    expect(body).toContain("1 repeated and succeeded");
    expect(body).toContain("2 still failing");
    expect(body).toContain("Timeout talking to NetSuite ×3");

    // The same day is not sent again, however often the scheduler checks.
    clock.advance(HOUR);
    expect(await digests.runDue()).toEqual({ sent: [], failed: [] });
    // The next day at 09:00 it comes again.
    clock.set(Date.UTC(2026, 2, 3, 9, 0, 30));
    expect(await digests.runDue()).toEqual({ sent: [channel], failed: [] });
    expect(slack.messages(channel)).toHaveLength(2);
  });

  it("is neither sent twice nor skipped after a restart", async () => {
    const channel = "C0DIGEST2";
    const { clock, start } = setUp();
    const first = start();
    await seedChannel(first.store, channel, "23456", 28904, BEFORE_NINE);
    await first.store.saveDigest(schedule(channel, BEFORE_NINE));
    clock.set(Date.UTC(2026, 2, 2, 9, 1));
    await first.digests.runDue();
    expect(slack.messages(channel)).toHaveLength(1);

    // A restart at 09:05 (a new process on the same file) does not send today's again.
    await first.store.close();
    clock.set(Date.UTC(2026, 2, 2, 9, 5));
    const second = start();
    expect(await second.digests.runDue()).toEqual({ sent: [], failed: [] });

    // Down over the next 09:00, back at 11:00: the missed day's digest goes out late, once.
    await second.store.close();
    clock.set(Date.UTC(2026, 2, 3, 11, 0));
    const third = start();
    expect(await third.digests.runDue()).toEqual({ sent: [channel], failed: [] });
    expect(await third.digests.runDue()).toEqual({ sent: [], failed: [] });
    expect(slack.messages(channel)).toHaveLength(2);
  });

  it("is sent by one of two replicas sharing the store, and by none whose shouldRun says no", async () => {
    const channel = "C0DIGEST3";
    const { clock, start } = setUp();
    const one = start();
    const two = start();
    const notLeader = start(() => false);
    await one.store.saveDigest(schedule(channel, BEFORE_NINE));
    clock.set(Date.UTC(2026, 2, 2, 9, 0));
    expect(await notLeader.digests.runDue()).toBe("skipped");
    const runs = await Promise.all([one.digests.runDue(), two.digests.runDue()]);
    expect(runs.flatMap((run) => (run === "skipped" ? [] : run.sent))).toEqual([channel]);
    expect(slack.messages(channel)).toHaveLength(1);
    expect(texts(channel)[0]).toContain("watches no recipes");
  });

  it("stops after digest off: nothing is posted at its time", async () => {
    const channel = "C0DIGEST4";
    const { clock, start } = setUp();
    const { store, digests } = start();
    await store.saveDigest(schedule(channel, BEFORE_NINE));
    expect(await store.removeDigest(channel)).toBe(true);
    clock.set(Date.UTC(2026, 2, 2, 9, 0));
    expect(await digests.runDue()).toEqual({ sent: [], failed: [] });
    expect(slack.messages(channel)).toEqual([]);
  });

  it("keeps to the time zone it states", async () => {
    const channel = "C0DIGEST5";
    const { clock, start } = setUp();
    const { store, digests } = start();
    // 09:00 in Berlin is 08:00 UTC in March.
    await store.saveDigest({
      ...schedule(channel, BEFORE_NINE),
      timeZone: "Europe/Berlin",
      lastSentDay: "2026-03-01",
    });
    clock.set(Date.UTC(2026, 2, 2, 7, 59));
    expect(await digests.runDue()).toEqual({ sent: [], failed: [] });
    clock.set(Date.UTC(2026, 2, 2, 8, 0));
    expect(await digests.runDue()).toEqual({ sent: [channel], failed: [] });
    expect(texts(channel)[0]).toContain("09:00 Europe/Berlin");
  });

  it("says nothing about a customer the channel may not see, and shows those it may", async () => {
    const { clock, start } = setUp(
      `channels:\n  ${CHANNEL}:\n    customers: ["23456"]\n  ${OTHER}:\n    customers: ["23456"]\n`,
    );
    const { store, digests } = start();
    await seedChannel(store, CHANNEL, "23456", 28904, BEFORE_NINE);
    await seedChannel(store, CHANNEL, "99999", 55555, BEFORE_NINE);
    await store.saveDigest(schedule(CHANNEL, BEFORE_NINE));
    clock.set(Date.UTC(2026, 2, 2, 9, 0));
    await digests.runDue();
    const body = JSON.stringify(slack.messages(CHANNEL).at(-1)?.blocks);
    expect(body).toContain("23456");
    expect(body).toContain("1 watched recipe");
    expect(body).not.toContain("99999");
    expect(body).not.toContain("55555");
  });
});
