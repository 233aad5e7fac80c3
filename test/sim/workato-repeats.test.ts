// The simulator's repeats over real HTTP: how they settle, rerun_only listings, counts, outages seeded, retention.
import { describe, expect, it } from "vitest";
import { BASE, CUSTOMER, call, ids, list, listAll, RECIPE, repeat, sleep, startSim } from "./workato-http.js";

interface RepeatBody {
  results: { requested_job_id: string; status: string; job?: { id: string }; error?: { type_id: string } }[];
}

async function repeatedIds(reply: Promise<{ body: unknown }>): Promise<string[]> {
  const body = (await reply).body as RepeatBody;
  return body.results.map((result) => result.job?.id ?? "");
}

async function until(probe: () => boolean, timeoutMs = 3000): Promise<void> {
  const began = Date.now();
  while (!probe()) {
    if (Date.now() - began > timeoutMs) throw new Error("condition not met in time");
    await sleep(10);
  }
}

describe("repeats settle", () => {
  it("keeps repeats pending by default, as every earlier test expects", async () => {
    const sim = await startSim();
    const [job] = sim.addFailedJobs(CUSTOMER, RECIPE, 1);
    const [newId = ""] = await repeatedIds(repeat(sim, [job?.id]));
    await sleep(50);
    expect(sim.job(newId)?.status).toBe("pending");
  });

  it("ends repeats after the configured delay with the outcome the test scripts per master", async () => {
    const sim = await startSim({
      repeatMinIntervalMs: 0,
      settleRepeats: {
        afterMs: 150,
        outcome: (masterJobId) => (masterJobId === failing ? "failed" : "succeeded"),
        errorMessage: "Still broken",
      },
    });
    const jobs = sim.addFailedJobs(CUSTOMER, RECIPE, 3);
    const failing = jobs[0]?.id;
    const newIds = await repeatedIds(repeat(sim, ids(jobs)));

    const right = await list(sim, "?rerun_only=true");
    expect(right.items.map((item) => item.status)).toEqual(["pending", "pending", "pending"]);
    await until(() => newIds.every((id) => sim.job(id)?.status !== "pending"));
    expect(newIds.map((id) => sim.job(id)?.status)).toEqual(["failed", "succeeded", "succeeded"]);

    const details = (await call(sim, `${BASE}/jobs/${newIds[0]}`)).body as Record<string, unknown>;
    expect(details).toMatchObject({
      status: "failed",
      is_repeat: true,
      master_job_id: failing,
      error: "Still broken",
      is_error: true,
    });
    const succeeded = sim.job(newIds[1] ?? "");
    expect(succeeded?.error).toBeNull();
    expect(succeeded?.completedAt?.getTime()).toBeGreaterThan(succeeded?.startedAt.getTime() ?? 0);
    expect(succeeded?.lines.length).toBeGreaterThanOrEqual(2);
  });

  it("scripts the n-th repeat of a master: fails once, then succeeds; 'pending' never settles", async () => {
    const sim = await startSim({ repeatMinIntervalMs: 0, settleRepeats: { afterMs: 0 } });
    const [flaky, stuck] = sim.addFailedJobs(CUSTOMER, RECIPE, 2);
    sim.scriptRepeats(flaky?.id ?? "", ["failed", "succeeded"]);
    sim.scriptRepeats(stuck?.id ?? "", ["pending"]);
    const [first = "", running = ""] = await repeatedIds(repeat(sim, [flaky?.id, stuck?.id]));
    await until(() => sim.job(first)?.status === "failed");
    const [second = ""] = await repeatedIds(repeat(sim, [flaky?.id]));
    await until(() => sim.job(second)?.status === "succeeded");
    await sleep(30);
    expect(sim.job(running)?.status).toBe("pending");
    expect(sim.settlePendingRepeats()).toEqual([]);
    expect(sim.settleRepeat(running, "failed", { errorMessage: "Timed out" })).toMatchObject({
      status: "failed",
      error: "Timed out",
    });
  });

  it("settles pending repeats on demand, for tests that do not wait on timers", async () => {
    const sim = await startSim();
    const [job] = sim.addFailedJobs(CUSTOMER, RECIPE, 1);
    const [newId = ""] = await repeatedIds(repeat(sim, [job?.id]));
    expect(sim.settlePendingRepeats().map((settled) => settled.id)).toEqual([newId]);
    expect(sim.job(newId)?.status).toBe("succeeded");
    expect(() => sim.settleRepeat(newId)).toThrow(/not pending/);
  });

  it("makes a repeat as Workato's UI would: no request, no rate limit, listed like any other", async () => {
    const sim = await startSim({ settleRepeats: { afterMs: 20, outcome: "succeeded" } });
    const [job] = sim.addFailedJobs(CUSTOMER, RECIPE, 1);
    const byUi = sim.repeatInWorkatoUi(job?.id ?? "");
    const again = sim.repeatInWorkatoUi(job?.id ?? "", { outcome: "failed", afterMs: 0 });
    expect(sim.requests).toHaveLength(0);
    expect(sim.job(job?.id ?? "")?.repeatCount).toBe(2);
    await until(() => byUi.status === "succeeded" && again.status === "failed");
    const reruns = await list(sim, "?rerun_only=true");
    expect(reruns.items.map((item) => [item.id, item.status, item.master_job_id])).toEqual([
      [again.id, "failed", job?.id],
      [byUi.id, "succeeded", job?.id],
    ]);
    // The API still accepts a repeat right away: the UI's repeats took nothing from its 1-per-second budget.
    expect((await repeat(sim, [job?.id])).status).toBe(200);
    expect(() => sim.repeatInWorkatoUi(byUi.id)).toThrow(/Non-master job handle/);
  });
});

describe("rerun_only listings and counts", () => {
  it("lists only repeats, newest first, paged both ways, combinable with status", async () => {
    const sim = await startSim({ pageSize: 2 });
    const masters = sim.addFailedJobs(CUSTOMER, RECIPE, 3);
    const [a, b, c] = masters.map((master) => sim.repeatInWorkatoUi(master.id, { outcome: "pending" }));
    sim.addJob(CUSTOMER, RECIPE, { status: "succeeded" });
    if (a === undefined || b === undefined || c === undefined) throw new Error("no repeats");
    sim.settleRepeat(a.id, "failed");

    const first = await list(sim, "?rerun_only=true");
    expect(ids(first.items)).toEqual([c.id, b.id]);
    expect(first.items.map((item) => item.master_job_id)).toEqual([masters[2]?.id, masters[1]?.id]);
    const second = await list(sim, `?rerun_only=true&offset_job_id=${b.id}`);
    expect(ids(second.items)).toEqual([a.id]);
    const back = await list(sim, `?rerun_only=true&offset_job_id=${a.id}&prev=true`);
    expect(ids(back.items)).toEqual([c.id, b.id]);

    const pending = await list(sim, "?rerun_only=true&status=pending");
    expect(ids(pending.items)).toEqual([c.id, b.id]);
    expect(pending.job_scope_count).toBe(2);
    const failed = await list(sim, "?rerun_only=true&status=failed");
    expect(ids(failed.items)).toEqual([a.id]);
  });

  it("counts pending jobs: 25 succeeded · 9 failed · 1 pending · 35 total", async () => {
    const sim = await startSim();
    for (let n = 0; n < 25; n++) sim.addJob(CUSTOMER, RECIPE, { status: "succeeded" });
    const failures = sim.addFailedJobs(CUSTOMER, RECIPE, 8);
    sim.addJob(CUSTOMER, RECIPE, { status: "pending" });
    sim.addJob(CUSTOMER, RECIPE, { status: "failed" });
    const page = await list(sim);
    const pending = page.job_count - page.job_succeeded_count - page.job_failed_count;
    expect([page.job_succeeded_count, page.job_failed_count, pending, page.job_count]).toEqual([
      25, 9, 1, 35,
    ]);

    // A repeat is a job too: counted pending until it ends, then where it ended.
    const made = sim.repeatInWorkatoUi(failures[0]?.id ?? "");
    const withRepeat = await list(sim, "?status=pending");
    expect([withRepeat.job_count, withRepeat.job_scope_count, withRepeat.items.length]).toEqual([36, 2, 2]);
    sim.settleRepeat(made.id, "succeeded");
    expect(await list(sim)).toMatchObject({ job_succeeded_count: 26, job_failed_count: 9, job_count: 36 });
  });
});

describe("an outage seeded over hours", () => {
  const to = new Date("2026-03-02T04:30:00.000Z");
  const from = new Date("2026-03-02T02:00:00.000Z");

  it("spreads failed master jobs over the range, some repeated, paged at the simulator's page size", async () => {
    const sim = await startSim({ pageSize: 50, now: () => new Date("2026-03-02T09:00:00.000Z") });
    const older = sim.seedFailures({
      customer: CUSTOMER,
      recipeId: RECIPE,
      count: 200,
      from: new Date("2026-03-01T20:00:00.000Z"),
      to: new Date("2026-03-01T22:00:00.000Z"),
    });
    const seeded = sim.seedFailures({
      customer: CUSTOMER,
      recipeId: RECIPE,
      count: 1000,
      from,
      to,
      errorMessage: "NetSuite: 503 Service Unavailable",
      repeated: { succeeded: 80, pending: 10, failed: 10 },
      succeeded: 50,
    });
    expect(seeded.failures).toHaveLength(1000);
    expect(seeded.repeats).toHaveLength(100);
    expect(seeded.succeeded).toHaveLength(50);
    for (const job of seeded.failures) {
      expect(job.startedAt.getTime()).toBeGreaterThanOrEqual(from.getTime());
      expect(job.startedAt.getTime()).toBeLessThan(to.getTime());
      expect(job.error).toBe("NetSuite: 503 Service Unavailable");
    }
    const byStatus = (status: string) => seeded.repeats.filter((job) => job.status === status).length;
    expect([byStatus("succeeded"), byStatus("pending"), byStatus("failed")]).toEqual([80, 10, 10]);
    for (const repeatJob of seeded.repeats) {
      const master = sim.job(repeatJob.masterJobId);
      expect(master?.repeatCount).toBe(1);
      expect(repeatJob.startedAt.getTime()).toBeGreaterThan(master?.startedAt.getTime() ?? 0);
    }

    // Failed jobs newest first over every page: the 1,000 masters and 10 failed repeats, then the older 200.
    const failed = await listAll(sim, "?status=failed");
    expect(failed.pages).toBe(Math.ceil(1210 / 50));
    expect(failed.items).toHaveLength(1210);
    const starts = failed.items.map((item) => Date.parse(item.started_at));
    expect(starts).toEqual([...starts].sort((x, y) => y - x));
    const masters = failed.items.filter((item) => item.master_job_id === item.id);
    expect(masters.slice(0, 1000).map((item) => item.id)).toEqual(ids(seeded.failures));
    expect(masters.slice(1000).map((item) => item.id)).toEqual(ids(older.failures));

    const reruns = await listAll(sim, "?rerun_only=true");
    expect(reruns.items.map((item) => item.id)).toEqual(ids(seeded.repeats));
  });

  it("refuses repeats past retention with Workato's expired error, and keeps listing them", async () => {
    let now = new Date("2026-03-02T09:00:00.000Z");
    const sim = await startSim({ retentionMs: 8 * 3600_000, repeatMinIntervalMs: 0, now: () => now });
    const old = sim.seedFailures({ customer: CUSTOMER, recipeId: RECIPE, count: 2, from, to });
    const recent = sim.addJob(CUSTOMER, RECIPE, { status: "failed" });
    const reply = await repeat(sim, [...ids(old.failures), recent.id]);
    const body = reply.body as RepeatBody;
    expect(body.results.map((result) => result.error?.type_id ?? result.status)).toEqual([
      "enqueued",
      "enqueued",
      "enqueued",
    ]);
    now = new Date("2026-03-02T12:00:00.000Z");
    const later = await repeat(sim, ids(old.failures));
    expect((later.body as RepeatBody).results.map((result) => result.error?.type_id)).toEqual([
      "err.job.repeat.trigger_data_unavailable.expired",
      "err.job.repeat.trigger_data_unavailable.expired",
    ]);
    expect((await list(sim, "?status=failed")).items.map((item) => item.id)).toContain(old.failures[0]?.id);
    sim.setRetention(null);
    expect(sim.repeatInWorkatoUi(old.failures[0]?.id ?? "").isRepeat).toBe(true);
  });
});
