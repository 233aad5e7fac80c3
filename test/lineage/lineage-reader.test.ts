// The lineage reader against the real simulator over HTTP and a real SQLite store: what became of failed jobs.
import { describe, expect, it } from "vitest";
import { manualClock, systemClock } from "../../src/clock.js";
import { isRepeatable, selectForRepeat } from "../../src/lineage/lineage.js";
import { createLineageReader } from "../../src/lineage/lineage-reader.js";
import {
  CUSTOMER,
  type LineageWorld,
  mastersOf,
  newJobIdOf,
  RECIPE,
  repeatByBot,
  setUp,
} from "./lineage-setup.js";

/** One failed job, and a reader on the system clock. */
function oneFailedJob(world: LineageWorld) {
  const [job] = world.sim.addFailedJobs(CUSTOMER, RECIPE, 1).map((failed) => failed.id);
  if (!job) throw new Error("job missing");
  const reader = createLineageReader({ workato: world.workato, botRepeats: world.store, clock: systemClock });
  return { job, reader, masters: mastersOf(world, [job]) };
}

describe("the lineage reader", () => {
  it("shows a job repeated by the bot whose repeat succeeded as succeeded, with who asked", async () => {
    const world = await setUp();
    const [repeated, untouched] = world.sim.addFailedJobs(CUSTOMER, RECIPE, 2).map((job) => job.id);
    if (!repeated || !untouched) throw new Error("jobs missing");
    const { results } = await repeatByBot(world, [repeated], { userId: "U_ALEX" });
    const newJobId = newJobIdOf(results, repeated);
    world.sim.settleRepeat(newJobId, "succeeded");

    const reader = createLineageReader({
      workato: world.workato,
      botRepeats: world.store,
      clock: systemClock,
    });
    const handling = await reader.read(world.customer, RECIPE, mastersOf(world, [repeated, untouched]), {
      priority: "interactive",
    });

    const ofRepeated = handling(repeated);
    expect(ofRepeated.kind).toBe("succeeded");
    if (ofRepeated.kind !== "succeeded") return;
    expect(ofRepeated.latest.newJobId).toBe(newJobId);
    expect(ofRepeated.latest.requestedBy?.userId).toBe("U_ALEX");
    expect(ofRepeated.repeats).toBe(1);
    expect(isRepeatable(ofRepeated)).toBe(false);
    expect(handling(untouched)).toEqual({ kind: "never_repeated" });
  });

  it("shows a repeat still running, and one just enqueued that Workato does not list yet, as running", async () => {
    const world = await setUp();
    const [running, justSent] = world.sim.addFailedJobs(CUSTOMER, RECIPE, 2).map((job) => job.id);
    if (!running || !justSent) throw new Error("jobs missing");
    await repeatByBot(world, [running]);
    // The bot recorded an enqueued repeat whose new job Workato's listing does not show yet.
    const repeat = world.store.createRepeat(
      { userId: "U_SAM", channel: "C1", threadTs: "1.2", customer: world.customer.display, recipeId: RECIPE },
      [justSent],
      Date.now(),
    );
    world.store.markInFlight([{ repeatId: repeat.id, jobId: justSent }], Date.now());
    world.store.recordResults(
      repeat.id,
      [{ jobId: justSent, outcome: "enqueued", newJobId: "j-not-listed-yet" }],
      1,
    );

    const reader = createLineageReader({
      workato: world.workato,
      botRepeats: world.store,
      clock: systemClock,
    });
    const handling = await reader.read(world.customer, RECIPE, mastersOf(world, [running, justSent]), {
      priority: "interactive",
    });

    expect(handling(running).kind).toBe("running");
    const ofJustSent = handling(justSent);
    expect(ofJustSent.kind).toBe("running");
    if (ofJustSent.kind === "running") expect(ofJustSent.latest.requestedBy?.userId).toBe("U_SAM");
    const selection = selectForRepeat([running, justSent], handling, { again: false });
    expect(selection.send).toEqual([]);
    expect(selection.leftOut.running).toEqual([running, justSent]);
  });

  it("counts a job that failed again twice as failed again with 2 repeats, to be repeated again by its master id", async () => {
    const world = await setUp();
    const [job] = world.sim.addFailedJobs(CUSTOMER, RECIPE, 1).map((one) => one.id);
    if (!job) throw new Error("job missing");
    const first = newJobIdOf((await repeatByBot(world, [job])).results, job);
    world.sim.settleRepeat(first, "failed", { errorMessage: "Timeout talking to NetSuite" });
    const second = newJobIdOf((await repeatByBot(world, [job])).results, job);
    world.sim.settleRepeat(second, "failed", { errorMessage: "Still timing out" });

    const reader = createLineageReader({
      workato: world.workato,
      botRepeats: world.store,
      clock: systemClock,
    });
    const handling = (
      await reader.read(world.customer, RECIPE, mastersOf(world, [job]), { priority: "interactive" })
    )(job);

    expect(handling.kind).toBe("failed_again");
    if (handling.kind !== "failed_again") return;
    expect(handling.repeats).toBe(2);
    expect(handling.latest.newJobId).toBe(second);
    expect(handling.latest.error).toBe("Still timing out");
    expect(isRepeatable(handling)).toBe(true);
  });

  it("recognises a repeat made in Workato's own UI the same way, with nobody from the bot as its requester", async () => {
    const world = await setUp();
    const [inUi, running] = world.sim.addFailedJobs(CUSTOMER, RECIPE, 2).map((job) => job.id);
    if (!inUi || !running) throw new Error("jobs missing");
    const repeat = world.sim.repeatInWorkatoUi(inUi, { outcome: "pending" });
    world.sim.settleRepeat(repeat.id, "succeeded");
    world.sim.repeatInWorkatoUi(running, { outcome: "pending" });

    const reader = createLineageReader({
      workato: world.workato,
      botRepeats: world.store,
      clock: systemClock,
    });
    const handling = await reader.read(world.customer, RECIPE, mastersOf(world, [inUi, running]), {
      priority: "interactive",
    });

    const ofInUi = handling(inUi);
    expect(ofInUi.kind).toBe("succeeded");
    if (ofInUi.kind === "succeeded") {
      expect(ofInUi.latest.newJobId).toBe(repeat.id);
      expect(ofInUi.latest.requestedBy).toBeNull();
    }
    expect(handling(running).kind).toBe("running");
  });

  it("never offers again a job the bot is still sending: queued, on the wire, or answered unknown", async () => {
    const world = await setUp();
    const [queued, onTheWire, unanswered, failedAgain, untouched] = world.sim
      .addFailedJobs(CUSTOMER, RECIPE, 5)
      .map((job) => job.id);
    if (!queued || !onTheWire || !unanswered || !failedAgain || !untouched) throw new Error("jobs missing");
    // An earlier repeat of one job failed again; a second one of it now waits its turn, like the other three.
    const { results } = await repeatByBot(world, [failedAgain]);
    world.sim.settleRepeat(newJobIdOf(results, failedAgain), "failed");
    const underWay = world.store.createRepeat(
      { userId: "U_SAM", channel: "C1", threadTs: "1.2", customer: world.customer.display, recipeId: RECIPE },
      [queued, onTheWire, unanswered, failedAgain],
      Date.now(),
    );
    world.store.markInFlight(
      [onTheWire, unanswered].map((jobId) => ({ repeatId: underWay.id, jobId })),
      Date.now(),
    );
    world.store.recordResults(
      underWay.id,
      [{ jobId: unanswered, outcome: "unknown", message: "timed out" }],
      1,
    );

    const reader = createLineageReader({
      workato: world.workato,
      botRepeats: world.store,
      botQueue: world.store,
      clock: systemClock,
    });
    const all = [queued, onTheWire, unanswered, failedAgain, untouched];
    const handling = await reader.read(world.customer, RECIPE, mastersOf(world, all), {
      priority: "interactive",
    });

    for (const job of [queued, onTheWire, unanswered, failedAgain]) {
      const state = handling(job);
      expect(state.kind).toBe("unknown");
      if (state.kind === "unknown") expect(state.reason).toContain(`repeat #${underWay.id}`);
    }
    expect(handling(untouched)).toEqual({ kind: "never_repeated" });
    expect(selectForRepeat(all, handling, { again: false }).send).toEqual([untouched]);
  });

  it("says repeat state unknown, and repeats nothing by guesswork, when Workato refuses the listing", async () => {
    const world = await setUp();
    const jobs = world.sim.addFailedJobs(CUSTOMER, RECIPE, 3).map((job) => job.id);
    const reader = createLineageReader({
      workato: world.workato,
      botRepeats: world.store,
      clock: systemClock,
    });

    world.sim.addFault({
      endpoint: "list",
      times: 1,
      effect: { type: "status", status: 429, retryAfterSeconds: 1 },
    });
    const limited = await reader.read(world.customer, RECIPE, mastersOf(world, jobs), {
      priority: "interactive",
    });
    for (const job of jobs) {
      const handling = limited(job);
      expect(handling.kind).toBe("unknown");
      if (handling.kind === "unknown") expect(handling.reason).toContain("rate limit");
    }
    expect(selectForRepeat(jobs, limited, { again: false }).send).toEqual([]);

    world.sim.denyJobsAccess(true);
    const denied = await reader.read(world.customer, RECIPE, mastersOf(world, jobs), {
      priority: "interactive",
    });
    const first = denied(jobs[0] ?? "");
    expect(first.kind).toBe("unknown");
    if (first.kind === "unknown") expect(first.reason).toContain("403");
  });

  it("reads at most the configured pages and calls older jobs unknown rather than guessing", async () => {
    const world = await setUp();
    // Each failure followed by its repeat, so the listing of repeats reaches back through the failures in turn.
    const masters: string[] = [];
    for (let index = 0; index < 12; index++) {
      const [job] = world.sim.addFailedJobs(CUSTOMER, RECIPE, 1);
      if (!job) throw new Error("job missing");
      masters.push(job.id);
      world.sim.repeatInWorkatoUi(job.id, { outcome: "pending" });
    }

    const reader = createLineageReader({
      workato: world.workato,
      botRepeats: world.store,
      clock: systemClock,
      maxPages: 2,
    });
    const handling = await reader.read(world.customer, RECIPE, mastersOf(world, masters), {
      priority: "interactive",
    });

    // Two pages of five: the repeats of the ten newest failures; the third newest read is not proof enough.
    expect(world.rerunListings()).toBe(2);
    for (const job of masters.slice(0, 3)) expect(handling(job).kind).toBe("unknown");
    for (const job of masters.slice(3)) expect(handling(job).kind).toBe("running");
  });

  it("reads only as far back as the oldest job asked about", async () => {
    const world = await setUp();
    const masters: string[] = [];
    for (let index = 0; index < 12; index++) {
      const [job] = world.sim.addFailedJobs(CUSTOMER, RECIPE, 1);
      if (!job) throw new Error("job missing");
      masters.push(job.id);
      world.sim.repeatInWorkatoUi(job.id, { outcome: "pending" });
    }
    const reader = createLineageReader({
      workato: world.workato,
      botRepeats: world.store,
      clock: systemClock,
    });

    const handling = await reader.read(world.customer, RECIPE, mastersOf(world, masters.slice(-3)), {
      priority: "interactive",
    });

    expect(world.rerunListings()).toBe(1);
    for (const job of masters.slice(-3)) expect(handling(job).kind).toBe("running");
  });

  it("answers two reads of one recipe within the cache time with one listing, and lists again after it", async () => {
    const world = await setUp();
    const jobs = world.sim.addFailedJobs(CUSTOMER, RECIPE, 3).map((job) => job.id);
    const clock = manualClock(Date.now());
    const reader = createLineageReader({
      workato: world.workato,
      botRepeats: world.store,
      clock,
      ttlMs: 20_000,
    });
    const masters = mastersOf(world, jobs);

    // Concurrent reads share the listing in flight; a later one within 20 s reuses it.
    await Promise.all([
      reader.read(world.customer, RECIPE, masters, { priority: "interactive" }),
      reader.read(world.customer, RECIPE, masters, { priority: "background" }),
    ]);
    clock.advance(19_000);
    await reader.read(world.customer, RECIPE, masters, { priority: "interactive" });
    expect(world.rerunListings()).toBe(1);

    clock.advance(2_000);
    await reader.read(world.customer, RECIPE, masters, { priority: "interactive" });
    expect(world.rerunListings()).toBe(2);
  });

  it("reads Workato again for a click although a listing is cached, and sees a repeat made in Workato since", async () => {
    const world = await setUp();
    const { job, reader, masters } = oneFailedJob(world);

    const shown = await reader.read(world.customer, RECIPE, masters, { priority: "interactive" });
    expect(shown(job)).toEqual({ kind: "never_repeated" });
    world.sim.repeatInWorkatoUi(job, { outcome: "succeeded", afterMs: 0 });

    // A display read within the cache time still shows the old listing; the click's read does not.
    const stillShown = await reader.read(world.customer, RECIPE, masters, { priority: "interactive" });
    expect(stillShown(job)).toEqual({ kind: "never_repeated" });
    const atClick = await reader.read(world.customer, RECIPE, masters, {
      priority: "interactive",
      fresh: true,
    });
    expect(atClick(job).kind).toBe("succeeded");
    expect(world.rerunListings()).toBe(2);
    // The fresh listing then serves display too.
    const shownAfter = await reader.read(world.customer, RECIPE, masters, { priority: "interactive" });
    expect(shownAfter(job).kind).toBe("succeeded");
    expect(world.rerunListings()).toBe(2);
  });

  it("answers ten clicks on one recipe at once with at most two listings, each begun after the click it serves", async () => {
    const world = await setUp({ sim: { latencyMs: 50 } });
    const { job, reader, masters } = oneFailedJob(world);

    // One click starts a listing; the job is repeated in Workato while it is on the wire; nine more clicks follow.
    const first = reader.read(world.customer, RECIPE, masters, { priority: "interactive", fresh: true });
    await new Promise((resolve) => setTimeout(resolve, 10));
    world.sim.repeatInWorkatoUi(job, { outcome: "succeeded", afterMs: 0 });
    const later = Array.from({ length: 9 }, () =>
      reader.read(world.customer, RECIPE, masters, { priority: "interactive", fresh: true }),
    );

    // The first click's listing may or may not show the repeat; the nine clicked after it must.
    await first;
    for (const handling of await Promise.all(later)) expect(handling(job).kind).toBe("succeeded");
    expect(world.rerunListings()).toBe(2);
  });

  it("calls a job Workato refused as past retention can't be repeated, and leaves it out even with again", async () => {
    const world = await setUp();
    const [expired] = world.sim.addFailedJobs(CUSTOMER, RECIPE, 1, { expired: true }).map((job) => job.id);
    const [fresh] = world.sim.addFailedJobs(CUSTOMER, RECIPE, 1).map((job) => job.id);
    if (!expired || !fresh) throw new Error("jobs missing");
    const { results } = await repeatByBot(world, [expired]);
    expect(results[0]).toMatchObject({
      outcome: "failed",
      typeId: "err.job.repeat.trigger_data_unavailable.expired",
    });

    const reader = createLineageReader({
      workato: world.workato,
      botRepeats: world.store,
      clock: systemClock,
    });
    const handling = await reader.read(world.customer, RECIPE, mastersOf(world, [expired, fresh]), {
      priority: "interactive",
    });
    expect(handling(expired)).toEqual({ kind: "cannot_repeat", why: "past_retention" });
    expect(isRepeatable(handling(expired))).toBe(false);
    const selection = selectForRepeat([expired, fresh], handling, { again: true });
    expect(selection.send).toEqual([fresh]);
    expect(selection.leftOut.cannotRepeat).toEqual([{ jobId: expired, why: "past_retention" }]);
  });
});
