// End to end, over real HTTP against the Workato simulator and the fake Slack: the job list a repeat was started from
// is redrawn with the repeats' outcomes, offering Repeat only where the last repeat failed; a new list never offers a
// plain Repeat on a job whose repeat succeeded; an alert counts a job Workato will not repeat apart and never offers it.
import { describe, expect, it } from "vitest";
import { ALICE, CHANNEL, CUSTOMER, RECIPE } from "../../sim/app-harness.js";
import { type FakeMessage, listButtons } from "../../sim/fake-slack/index.js";
import { harnessPerTest } from "../support/harness-per-test.js";
import { failedJobsList } from "../support/job-list.js";
import { watchedFromSlack } from "../support/watched-from-slack.js";

const start = harnessPerTest();

const textOf = (message: FakeMessage | undefined) =>
  message ? `${message.text} ${JSON.stringify(message.blocks)}` : "";

/** The Repeat buttons of a message (one job's, or N failed) that carry `jobId`, by label. */
const repeatsOffering = (message: FakeMessage | undefined, jobId: string) =>
  message
    ? listButtons(message)
        .filter((button) => button.text.startsWith("Repeat") && (button.value ?? "").includes(jobId))
        .map((button) => button.text)
    : [];

describe("the list a repeat was started from", () => {
  it("is redrawn with the outcomes: no Repeat for jobs whose repeat succeeded, Repeat again where it failed", async () => {
    const harness = await start();
    const { sim, slack } = harness;
    const [fixed, alsoFixed, stubborn] = sim.addFailedJobs(CUSTOMER, RECIPE, 3).map((job) => job.id) as [
      string,
      string,
      string,
    ];
    sim.settleRepeats({ afterMs: 300, outcome: (master) => (master === stubborn ? "failed" : "succeeded") });
    const list = await failedJobsList(harness, 0);
    for (const id of [fixed, alsoFixed, stubborn]) expect(repeatsOffering(list, id)).toContain("Repeat");

    await harness.send.click({
      channel: CHANNEL,
      messageTs: list.ts,
      button: { text: "Repeat 3 failed" },
      user: ALICE,
    });

    // The list itself, in place (same ts), says what became of each, without anyone listing again.
    const redrawn = await slack.waitFor(
      () => {
        const now = slack.message(CHANNEL, list.ts);
        const text = textOf(now);
        return text.includes("failed again") && (text.match(/succeeded \(/g) ?? []).length >= 2
          ? now
          : undefined;
      },
      { timeoutMs: 20_000 },
    );
    expect(repeatsOffering(redrawn, fixed)).toEqual([]);
    expect(repeatsOffering(redrawn, alsoFixed)).toEqual([]);
    // The job whose repeat failed (shown with its failed repeat) is offered again, never as a plain Repeat.
    expect(repeatsOffering(redrawn, stubborn)).toContain("Repeat again");
    expect(repeatsOffering(redrawn, stubborn)).not.toContain("Repeat");
    expect(repeatsOffering(redrawn, stubborn)).toContain("Repeat 1 failed");
    // Its Repeat again is a new button: clicked, the job is sent a second time.
    await harness.send.click({
      channel: CHANNEL,
      messageTs: list.ts,
      button: { text: "Repeat again" },
      user: ALICE,
    });
    await slack.waitFor(() => (sim.job(stubborn)?.repeatCount === 2 ? true : undefined));
    expect(sim.job(fixed)?.repeatCount).toBe(1);
    // Still the list: its heading, not a new message.
    expect(slack.messages(CHANNEL)[0]?.ts).toBe(list.ts);
    expect(textOf(redrawn)).toContain(`${RECIPE}`);
  }, 60_000);
});

describe("a new list", () => {
  it("never offers a plain Repeat on a job whose repeat succeeded", async () => {
    const harness = await start();
    const { sim, slack } = harness;
    const [fixed, left] = sim.addFailedJobs(CUSTOMER, RECIPE, 2).map((job) => job.id) as [string, string];
    sim.settleRepeats({ afterMs: 100, outcome: "succeeded" });
    const first = await failedJobsList(harness, 0);
    const button = listButtons(first).find(
      (candidate) => candidate.text === "Repeat" && (candidate.value ?? "").includes(fixed),
    );
    await harness.send.click({
      channel: CHANNEL,
      messageTs: first.ts,
      button: { actionId: button?.actionId ?? "" },
      user: ALICE,
    });
    await slack.waitFor(() => (sim.job(fixed)?.repeatCount === 1 ? true : undefined));
    await harness.app.deps.background.settled();

    // Lists typed from now on, until one knows the repeat succeeded: none offers a plain Repeat on it.
    let list = first;
    for (let index = 1; !textOf(list).includes("succeeded ("); index++) {
      expect(index).toBeLessThan(30);
      list = await failedJobsList(harness, index);
      expect(repeatsOffering(list, fixed)).not.toContain("Repeat");
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    expect(repeatsOffering(list, fixed)).toEqual([]);
    expect(repeatsOffering(list, left)).toContain("Repeat");
  }, 60_000);
});

describe("an alert with a job Workato will not repeat", () => {
  it("counts it apart, says why, and does not offer it again", async () => {
    const harness = await start({ env: { WATCH_INTERVAL_SECONDS: "3600" } });
    const { sim, slack } = harness;
    sim.settleRepeats({ afterMs: 300, outcome: "succeeded" });
    const { id: watchId } = await watchedFromSlack(harness);
    const [expired] = sim.addFailedJobs(CUSTOMER, RECIPE, 1, { expired: true }).map((job) => job.id) as [
      string,
    ];
    sim.addFailedJobs(CUSTOMER, RECIPE, 2);
    expect(await harness.app.deps.poller.pollOnce(watchId)).toMatchObject({ alerted: 1 });
    const alert = await slack.waitFor(() => slack.messages(CHANNEL)[1]);
    await harness.send.click({
      channel: CHANNEL,
      messageTs: alert.ts,
      button: { text: "Repeat 3 failed" },
      user: ALICE,
    });

    // Workato refuses the expired one; the two others succeed: the alert says where all three went.
    const redrawn = await slack.waitFor(
      () => {
        const now = slack.message(CHANNEL, alert.ts);
        return textOf(now).includes("can't be repeated") && textOf(now).includes("2 repeats succeeded")
          ? now
          : undefined;
      },
      { timeoutMs: 20_000 },
    );
    const text = textOf(redrawn);
    expect(text).toContain("1 can't be repeated (past Workato's retention");
    expect(text).toContain("*0 left*");
    expect(repeatsOffering(redrawn, expired)).toEqual([]);
    expect(listButtons(redrawn).filter((button) => /^Repeat \d+ failed$/.test(button.text))).toEqual([]);
  }, 60_000);
});
