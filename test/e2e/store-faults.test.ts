// Fault injection, end to end: the real app over HTTP with a store whose writes (or all calls) fail for a while, a
// Workato that holds its answers, and a SQLite file deleted under the running bot. Every command gets a true answer
// within 3 s, /healthz tells the store's state, and nothing unrecorded is confirmed.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { ALICE, CHANNEL, CUSTOMER, type Harness, RECIPE } from "../../sim/app-harness.js";
import { repeatByCommand } from "../../sim/repeat-command.js";
import { isRepeatSummary } from "../../sim/repeat-summary.js";
import { repeatPosts, resultsByReply, threadText, typedRepeat } from "../../sim/repeat-thread.js";
import { asyncSqliteStore } from "../../src/store/async-sqlite.js";
import { openSqliteStore } from "../../src/store/sqlite-store.js";
import { faultyStore } from "../support/faulty-store.js";
import { harnessPerTest } from "../support/harness-per-test.js";

const start = harnessPerTest();
const PROBE_MS = 100;
const SLACK_LIMIT_MS = 3000;
const DATABASE_DOWN = "I can't reach my database right now; nothing was changed.";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function healthz(harness: Harness): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${harness.appUrl}/healthz`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** /healthz polled until it answers `status` (10 s at most). */
async function healthzUntil(harness: Harness, status: number) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const health = await healthz(harness);
    if (health.status === status || Date.now() > deadline) return health;
    await new Promise((resolve) => setTimeout(resolve, PROBE_MS / 2));
  }
}

/** Sends a command and waits for a private answer containing `text`; returns it and the time it took. */
async function answerTo(harness: Harness, command: string, text: string) {
  const before = harness.slack.ephemerals(CHANNEL, ALICE.id).length;
  const sentAt = Date.now();
  const ack = await harness.send.slashCommand({ text: command, user: ALICE, channel: CHANNEL });
  expect(ack.status).toBe(200);
  const answer = await harness.slack.waitFor(() =>
    harness.slack
      .ephemerals(CHANNEL, ALICE.id)
      .slice(before)
      .find((message) => message.text.includes(text)),
  );
  return { answer, ms: Date.now() - sentAt };
}

const ephemeralTexts = (harness: Harness) =>
  harness.slack.ephemerals(CHANNEL, ALICE.id).map((message) => message.text);

describe("a store that cannot be written", () => {
  it("answers a watch 'not saved' within 3 s, never confirms it, and /healthz says 503 until writes work again", async () => {
    const faults = faultyStore(asyncSqliteStore(openSqliteStore(":memory:")));
    const harness = await start({ store: faults.store, storeCheckMs: PROBE_MS });
    expect((await healthz(harness)).status).toBe(200);

    faults.failWrites(true);
    const { ms } = await answerTo(
      harness,
      `watch ${CUSTOMER} ${RECIPE}`,
      "Watch not saved: the bot can't reach its database",
    );
    expect(ms).toBeLessThan(SLACK_LIMIT_MS);
    expect(harness.slack.messages(CHANNEL).some((message) => message.text.includes("watching"))).toBe(false);
    expect(await harness.app.deps.store.watches()).toHaveLength(0);

    const down = await healthzUntil(harness, 503);
    expect(down.body).toMatchObject({ ok: false, store: "unreachable" });
    const metrics = await harness.app.metrics.text();
    expect(metrics).toMatch(/store_errors_total\{kind="write"\} [1-9]/);
    expect(metrics).toContain("store_up 0");

    faults.failWrites(false);
    const up = await healthzUntil(harness, 200);
    expect(up.body).toEqual({ ok: true, store: "ok" });
    await harness.send.slashCommand({ text: `watch ${CUSTOMER} ${RECIPE}`, user: ALICE, channel: CHANNEL });
    await harness.slack.waitFor(() =>
      harness.app.deps.store.watches().then((watches) => watches.length === 1),
    );
  });

  it("answers a digest setting 'not saved' and stores no digest", async () => {
    const faults = faultyStore(asyncSqliteStore(openSqliteStore(":memory:")));
    const harness = await start({ store: faults.store, storeCheckMs: PROBE_MS });
    faults.failWrites(true);
    await answerTo(harness, "digest 09:00 UTC", "Digest setting not saved: the bot can't reach its database");
    expect(await harness.app.deps.store.digestOf(CHANNEL)).toBeUndefined();
    expect(harness.slack.messages(CHANNEL)).toHaveLength(0);
  });
});

describe("a database that cannot be reached at all", () => {
  it("answers watches, history and repeat within 3 s that nothing was changed, never that jobs were left out", async () => {
    const faults = faultyStore(asyncSqliteStore(openSqliteStore(":memory:")));
    const harness = await start({ store: faults.store, storeCheckMs: PROBE_MS });
    const [job] = harness.sim.addFailedJobs(CUSTOMER, RECIPE, 1);
    faults.failAll(true);
    for (const command of ["watches", "history", `repeat ${CUSTOMER} ${RECIPE} ${job?.id}`]) {
      const { ms } = await answerTo(harness, command, DATABASE_DOWN);
      expect(ms, command).toBeLessThan(SLACK_LIMIT_MS);
    }
    expect(ephemeralTexts(harness).filter((text) => text.includes(DATABASE_DOWN))).toHaveLength(3);
    expect(ephemeralTexts(harness).join("\n")).not.toContain("Nothing to repeat");
    expect(harness.sim.requests.filter((request) => request.method === "POST")).toHaveLength(0);

    faults.failAll(false);
    await healthzUntil(harness, 200);
    await answerTo(harness, "watches", "This channel watches no recipes.");
  });
});

describe("a database that stops answering", () => {
  it("answers within 3 s that nothing was changed once its probe went unanswered", async () => {
    const faults = faultyStore(asyncSqliteStore(openSqliteStore(":memory:")));
    const harness = await start({ store: faults.store, storeCheckMs: PROBE_MS });
    faults.hold("read", 4000);
    faults.hold("write", 4000);
    expect((await healthzUntil(harness, 503)).body).toMatchObject({ ok: false, store: "unreachable" });
    const { ms } = await answerTo(harness, "history", DATABASE_DOWN);
    expect(ms).toBeLessThan(SLACK_LIMIT_MS);
  });

  it("says it is waiting for its database while a read is slow, then answers in the note's place", async () => {
    const faults = faultyStore(asyncSqliteStore(openSqliteStore(":memory:")));
    const harness = await start({ store: faults.store });
    faults.hold("read", 3000);
    const { answer: note } = await answerTo(harness, "history", "Still waiting for my database…");
    const answer = await harness.slack.waitFor(() => {
      const now = harness.slack.message(CHANNEL, note.ts);
      return now && !now.text.includes("Still waiting") ? now : undefined;
    });
    expect(answer.text).not.toContain("database");
  });

  it("says it is waiting for its database while a write is unanswered, then confirms the watch it saved", async () => {
    const faults = faultyStore(asyncSqliteStore(openSqliteStore(":memory:")));
    const harness = await start({ store: faults.store });
    faults.hold("write", 3000);
    const { ms } = await answerTo(harness, `watch ${CUSTOMER} ${RECIPE}`, "Still waiting for my database…");
    expect(ms).toBeLessThan(SLACK_LIMIT_MS);
    // The write landed: the watch is confirmed in the channel, and the note does not stay behind.
    await harness.slack.waitFor(() =>
      harness.slack.messages(CHANNEL).find((m) => m.text.includes("watching")),
    );
    expect(await harness.app.deps.store.watches()).toHaveLength(1);
    await harness.slack.waitFor(
      () => !ephemeralTexts(harness).some((text) => text.includes("Still waiting")),
    );
    expect(ephemeralTexts(harness).join("\n")).not.toContain("nothing was changed");
  });
});

describe("a Workato that holds its answers", () => {
  it("says 'Still waiting for Workato…' privately within 3 s, then the list takes its place", async () => {
    const harness = await start();
    harness.sim.addFailedJobs(CUSTOMER, RECIPE, 2);
    harness.sim.addFault({ endpoint: "list", times: 1, effect: { type: "hang", ms: 4000 } });
    const { ms } = await answerTo(harness, `list ${CUSTOMER} ${RECIPE}`, "Still waiting for Workato…");
    expect(ms).toBeLessThan(SLACK_LIMIT_MS);
    const list = await harness.slack.waitFor(() => harness.slack.messages(CHANNEL)[0]);
    expect(JSON.stringify(list.blocks)).toContain("2 failed");
    // The note does not stay behind the answer.
    await harness.slack.waitFor(
      () => !ephemeralTexts(harness).some((text) => text.includes("Still waiting")),
    );
  });

  it("replaces the note in place with Workato's answer when that answer is private", async () => {
    const harness = await start();
    harness.sim.addFault({ endpoint: "get", times: 1, effect: { type: "hang", ms: 4000 } });
    const command = `show ${CUSTOMER} ${RECIPE} j-missing1`;
    const { answer: note } = await answerTo(harness, command, "Still waiting for Workato…");
    const answer = await harness.slack.waitFor(() => {
      const now = harness.slack.message(CHANNEL, note.ts);
      return now && !now.text.includes("Still waiting") ? now : undefined;
    });
    expect(answer.text).toMatch(/has no job j-missing1 \(404\)/);
    // Said once: the note became the answer, and nothing else was posted.
    expect(harness.slack.ephemerals(CHANNEL, ALICE.id)).toHaveLength(1);
    expect(harness.slack.messages(CHANNEL)).toHaveLength(0);
  });
});

describe("a Workato GET held past the client's timeout", () => {
  it("says 'Still waiting for Workato…', then Workato's timeout, worded once, in its place", async () => {
    const harness = await start({ workatoTimeouts: { headersMs: 3000 } });
    harness.sim.addFault({ endpoint: "get", effect: { type: "hang", ms: 20_000 } });
    const command = `show ${CUSTOMER} ${RECIPE} j-held1`;
    const { answer: note } = await answerTo(harness, command, "Still waiting for Workato…");
    const answer = await harness.slack.waitFor(() => {
      const now = harness.slack.message(CHANNEL, note.ts);
      return now && !now.text.includes("Still waiting") ? now : undefined;
    });
    expect(answer.text).toContain("Workato did not answer in time");
    expect(harness.slack.ephemerals(CHANNEL, ALICE.id)).toHaveLength(1);
    expect(harness.slack.messages(CHANNEL)).toHaveLength(0);
  });
});

describe("a SQLite file deleted while the bot runs", () => {
  it("says so in /healthz and refuses new work, saying the store is gone", async () => {
    const dir = mkdtempSync(join(tmpdir(), "workato-jobs-gone-"));
    dirs.push(dir);
    const harness = await start({
      env: { SQLITE_PATH: join(dir, "data", "workato-jobs.db") },
      storeCheckMs: PROBE_MS,
    });
    expect((await healthz(harness)).status).toBe(200);
    expect(harness.logLines.join("\n")).toContain("created a new empty store at");

    rmSync(join(dir, "data"), { recursive: true, force: true });
    const gone = await healthzUntil(harness, 503);
    expect(gone.body).toMatchObject({ ok: false, store: "gone" });
    expect(String(gone.body.reason)).toContain("was deleted while the bot ran");
    expect(harness.logLines.join("\n")).toContain("the bot takes no new work");

    await answerTo(harness, `watch ${CUSTOMER} ${RECIPE}`, "The bot's database is gone");
    expect(harness.slack.messages(CHANNEL)).toHaveLength(0);
    // Writes by anything else are refused too: nothing goes to a file nobody will see again.
    await expect(harness.app.deps.store.saveDigest(digestAt(CHANNEL))).rejects.toThrow("was deleted");
  });
});

function digestAt(channel: string) {
  return {
    channel,
    timeOfDay: "09:00",
    timeZone: "UTC",
    setBy: ALICE.id,
    setAt: 0,
    lastSentDay: "2026-01-01",
  };
}

describe("a repeat whose store goes away midway", () => {
  it.each([
    ["fails its writes (a full disk)", "failWrites"],
    ["fails every call (the database is down)", "failAll"],
  ] as const)(
    "that %s pauses in place, sends and states nothing meanwhile, then carries on by itself: 200 jobs repeated once each, one result each",
    async (_, fault) => {
      const faults = faultyStore(asyncSqliteStore(openSqliteStore(":memory:")));
      const harness = await start({ store: faults.store, storeCheckMs: PROBE_MS });
      const jobs = harness.sim.addFailedJobs(CUSTOMER, RECIPE, 200);
      const { thread, finished: summarised } = await typedRepeat(
        harness,
        jobs.map((job) => job.id),
      );
      await harness.slack.waitFor(() => repeatPosts(harness).length >= 2);

      faults[fault](true);
      const pauseNote = await harness.slack.waitFor(() =>
        thread().find((message) => message.text.includes("⏸ paused: the bot can't reach its database")),
      );
      // Paused: while the store cannot record a request, none leaves and no result is stated.
      const postsWhenPaused = repeatPosts(harness).length;
      const repliesWhenPaused = thread().length;
      await new Promise((resolve) => setTimeout(resolve, 2000));
      expect(repeatPosts(harness)).toHaveLength(postsWhenPaused);
      expect(thread()).toHaveLength(repliesWhenPaused);
      expect(postsWhenPaused).toBeLessThan(8);

      faults[fault](false);
      const finished = await summarised();

      // Workato was asked about every job exactly once.
      expect(jobs.map((job) => job.repeatCount)).toEqual(Array(200).fill(1));
      const posted = repeatPosts(harness).flatMap(
        (request) => (request.body as { job_ids: string[] }).job_ids,
      );
      expect(posted.toSorted()).toEqual(jobs.map((job) => job.id).toSorted());
      // Exactly one result per job in the thread, no contradicting failure, no restart that never happened.
      const stated = resultsByReply(finished).flat();
      expect(stated.toSorted()).toEqual(jobs.map((job) => job.id).toSorted());
      const text = threadText(finished);
      expect(text).not.toContain("could not record");
      expect(text).not.toMatch(/restarted/i);
      expect(text).toMatch(/200 enqueued, 0 refused, 0 unknown/);
      // The pause note was edited in place, not followed by a second one.
      expect(finished.filter((message) => message.text.includes("paused"))).toHaveLength(1);
      expect(harness.slack.message(CHANNEL, pauseNote.ts)?.text).toContain("carried on");
    },
    60_000,
  );
});

describe("a recovery whose store goes away midway", () => {
  it("says it is paused in its progress message, never as a result, then finishes with each job repeated once", async () => {
    const faults = faultyStore(asyncSqliteStore(openSqliteStore(":memory:")));
    const harness = await start({ store: faults.store, storeCheckMs: PROBE_MS });
    const now = Date.now();
    const { failures } = harness.sim.seedFailures({
      customer: CUSTOMER,
      recipeId: RECIPE,
      count: 150,
      from: new Date(now - 60 * 60_000),
      to: new Date(now - 60_000),
    });
    await repeatByCommand(harness, {
      text: `repeat ${CUSTOMER} ${RECIPE} failed since 2h`,
      user: ALICE,
      channel: CHANNEL,
    });
    const progress = await harness.slack.waitFor(() => harness.slack.messages(CHANNEL)[0]);
    const parentText = () => threadText([harness.slack.message(CHANNEL, progress.ts) ?? progress]);
    await harness.slack.waitFor(() => repeatPosts(harness).length >= 2);

    faults.failWrites(true);
    await harness.slack.waitFor(() => parentText().includes("⏸ paused: the bot can't reach its database"));
    const postsWhenPaused = repeatPosts(harness).length;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(repeatPosts(harness)).toHaveLength(postsWhenPaused);
    faults.failWrites(false);

    const finished = await harness.slack.waitFor(
      () => {
        const thread = harness.slack.thread(CHANNEL, progress.ts);
        return isRepeatSummary(threadText(thread)) ? thread : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(failures.map((job) => job.repeatCount)).toEqual(Array(150).fill(1));
    const text = threadText(finished);
    expect(text).not.toContain("paused");
    expect(text).not.toContain("could not record");
    expect(text).not.toMatch(/restarted/i);
    expect(text).toMatch(/150 enqueued, 0 refused, 0 unknown/);
    await harness.slack.waitFor(() => !parentText().includes("paused"));
  }, 60_000);
});
