// Alerts that stay true, end to end (simulator over HTTP, fake Slack, SQLite): late failures behind the cursor,
// headlines that count what is left across follow-ups and a restart, alerts that resolve in place, stopped recipes.
import { describe, expect, it } from "vitest";
import { listButtons } from "../../sim/fake-slack/index.js";
import { customerRef } from "../support/customer.js";
import {
  buttonLabels,
  CHANNEL,
  CUSTOMER,
  contentOf,
  RECIPE,
  watchedWithCursor,
  watchHarnessPerTest,
} from "../support/watch-harness.js";

const setUp = watchHarnessPerTest();

const MINUTE = 60_000;

describe("a long-running job that fails after the cursor moved past its start", () => {
  it("is alerted once, from the look-back window behind the cursor", async () => {
    const harness = await setUp();
    harness.sim.addFailedJobs(CUSTOMER, RECIPE, 1);
    const watch = await watchedWithCursor(harness);
    // It starts first and keeps running; a later job fails and moves the cursor past its start.
    const long = harness.sim.addJob(CUSTOMER, RECIPE, { status: "pending" });
    const [quick] = harness.sim.addFailedJobs(CUSTOMER, RECIPE, 1);
    expect(await harness.poller.pollOnce(watch.id)).toMatchObject({ kind: "checked", newFailures: 1 });
    expect(contentOf(harness.slack.messages(CHANNEL)[0])).toContain(quick?.id);

    long.status = "failed";
    // It completes after every failure the last poll saw (the simulator's job times run ahead of the wall clock).
    long.completedAt = new Date((quick?.completedAt?.getTime() ?? 0) + MINUTE);
    long.error = "Salesforce: Query timed out after 3600 s";
    harness.clock.now += 2 * MINUTE;
    expect(await harness.poller.pollOnce(watch.id)).toMatchObject({
      kind: "checked",
      newFailures: 1,
      alerted: 1,
    });
    harness.clock.now += 2 * MINUTE;
    expect(await harness.poller.pollOnce(watch.id)).toMatchObject({ kind: "checked", newFailures: 0 });

    const mentioning = harness.slack
      .messages(CHANNEL)
      .filter((message) => contentOf(message).includes(long.id));
    expect(mentioning).toHaveLength(1);
    expect(contentOf(mentioning[0])).toContain("Query timed out");
  });
});

describe("the headline and its Repeat button", () => {
  it("count every failure of the kind, thread included, minus those repeated, and stay so after a restart", async () => {
    const harness = await setUp();
    const watch = await watchedWithCursor(harness);
    const first = harness.sim.addFailedJobs(CUSTOMER, RECIPE, 1);
    await harness.poller.pollOnce(watch.id);
    const alert = harness.slack.messages(CHANNEL)[0];
    if (!alert) throw new Error("no alert");
    expect(contentOf(alert)).toContain("1 new failed job");
    // No internal hash is shown.
    expect(contentOf(alert)).not.toMatch(/kind `?[0-9a-f]{12}/);

    harness.clock.now += 5 * MINUTE;
    const more = harness.sim.addFailedJobs(CUSTOMER, RECIPE, 1);
    await harness.poller.pollOnce(watch.id);
    const redrawn = harness.slack.message(CHANNEL, alert.ts);
    expect(contentOf(redrawn)).toContain("2 failed jobs left");
    expect(buttonLabels(redrawn)).toContain("Repeat 2 failed");

    // One of the two is repeated (in Workato's own UI) and succeeds; after a restart the alert says what is left.
    harness.sim.repeatInWorkatoUi(first[0]?.id ?? "", { outcome: "succeeded", afterMs: 0 });
    const poller = harness.restart();
    harness.clock.now += 5 * MINUTE;
    expect(await poller.recheckAlerts()).toMatchObject({ redrawn: 1 });
    const after = harness.slack.message(CHANNEL, alert.ts);
    expect(contentOf(after)).toContain("1 failed job left");
    expect(contentOf(after)).toContain("repeated in Workato");
    expect(buttonLabels(after)).toContain("Repeat 1 failed");
    const repeat = (after ? listButtons(after) : []).find((button) => button.text === "Repeat 1 failed");
    expect(repeat?.value).toContain(more[0]?.id);
    expect(repeat?.value).not.toContain(first[0]?.id);
  });
});

describe("an alert whose jobs were all repeated and succeeded", () => {
  it("is updated in place as resolved, and loses its Repeat button", async () => {
    const harness = await setUp();
    const watch = await watchedWithCursor(harness);
    const failed = harness.sim.addFailedJobs(CUSTOMER, RECIPE, 2);
    await harness.poller.pollOnce(watch.id);
    const alert = harness.slack.messages(CHANNEL)[0];
    if (!alert) throw new Error("no alert");

    // Nothing changed: the re-check leaves the alert alone.
    expect(await harness.poller.recheckAlerts()).toMatchObject({ checked: 1, redrawn: 0 });
    for (const job of failed) harness.sim.repeatInWorkatoUi(job.id, { outcome: "succeeded", afterMs: 0 });
    harness.clock.now += MINUTE;
    expect(await harness.poller.recheckAlerts()).toMatchObject({ redrawn: 1 });

    const resolved = harness.slack.message(CHANNEL, alert.ts);
    expect(contentOf(resolved)).toContain("Resolved");
    expect(contentOf(resolved)).toContain("repeated in Workato, all succeeded");
    expect(buttonLabels(resolved).some((label) => label.startsWith("Repeat"))).toBe(false);
    // Resolved alerts are not re-checked again.
    expect(await harness.poller.recheckAlerts()).toMatchObject({ checked: 0 });
  });
});

describe("a watched recipe that Workato stops", () => {
  it("raises one alert with the cause and on-call mentioned, then says it runs again in its thread and at its top", async () => {
    const harness = await setUp();
    const watch = await watchedWithCursor(harness, ["<@U0BOB>"]);
    expect(await harness.poller.scanOnce()).toMatchObject({ customers: 1, stoppedAlerts: 0 });

    harness.sim.stopRecipeByWorkato(CUSTOMER, RECIPE);
    expect(await harness.poller.scanOnce()).toMatchObject({ stoppedAlerts: 1 });
    expect(await harness.poller.scanOnce()).toMatchObject({ stoppedAlerts: 0 });
    const alerts = harness.slack.messages(CHANNEL);
    expect(alerts).toHaveLength(1);
    expect(contentOf(alerts[0])).toContain("Workato stopped");
    expect(contentOf(alerts[0])).toContain("its trigger kept failing");
    expect(contentOf(alerts[0])).toContain("<@U0BOB>");
    expect(buttonLabels(alerts[0])).toEqual(["I'm on it", "Start recipe"]);

    await harness.workato.startRecipe(customerRef(String(CUSTOMER)), RECIPE);
    await harness.poller.scanOnce();
    const thread = harness.slack.thread(CHANNEL, alerts[0]?.ts ?? "");
    expect(thread).toHaveLength(1);
    expect(contentOf(thread[0])).toContain("running again");
    expect((await harness.asyncStore.alertThread(watch.id, "recipe_stopped"))?.resolvedAt).not.toBeNull();
    // The alert itself, redrawn: it runs again, and offers no Start.
    await harness.poller.views.idle();
    const redrawn = harness.slack.message(CHANNEL, alerts[0]?.ts ?? "");
    expect(contentOf(redrawn)).toContain("runs again");
    expect(contentOf(redrawn)).not.toContain("No jobs run");
    expect(buttonLabels(redrawn)).toEqual([]);
  });

  it("polls the recipe's jobs as soon as its failed count moves, without waiting for the sweep", async () => {
    const harness = await setUp();
    await watchedWithCursor(harness);
    await harness.poller.scanOnce();
    harness.sim.addFailedJobs(CUSTOMER, RECIPE, 1);
    expect(await harness.poller.scanOnce()).toMatchObject({ toPoll: [expect.any(Number)] });
    expect(harness.slack.messages(CHANNEL)).toHaveLength(1);
  });
});
