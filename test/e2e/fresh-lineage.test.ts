// End to end: lists may show what became of each failure from a listing read a few seconds ago, but a click that is
// about to send decides on Workato's listing read after the click, so a repeat made in Workato meanwhile is never
// sent a second time; and a job Workato refused as past retention is never offered again.
import { describe, expect, it } from "vitest";
import { ALICE, CHANNEL, CUSTOMER, RECIPE } from "../../sim/app-harness.js";
import { type FakeMessage, listButtons } from "../../sim/fake-slack/index.js";
import type { WorkatoSimulator } from "../../sim/workato-simulator/index.js";
import { harnessPerTest } from "../support/harness-per-test.js";
import { failedJobsList } from "../support/job-list.js";

const start = harnessPerTest();

/** Every job id a repeat_jobs request carried, in the order they reached Workato (the bot's and anyone else's). */
const repeatedIds = (sim: WorkatoSimulator) =>
  sim.requests
    .filter((request) => request.endpoint === "repeat" && request.status === 200)
    .flatMap((request) => (request.body as { job_ids: string[] }).job_ids);
const textOf = (message: FakeMessage | undefined) =>
  message ? `${message.text} ${JSON.stringify(message.blocks)}` : "";
const repeatFailedButton = (message: FakeMessage) =>
  listButtons(message).find((button) => /^Repeat \d+ failed$/.test(button.text));

/** Someone repeats a job in Workato, over its HTTP API as any outside party would (waiting out the 1 s pacing). */
async function repeatFromOutside(sim: WorkatoSimulator, jobId: string): Promise<string> {
  const url = `${sim.url}/api/managed_users/${CUSTOMER}/recipes/${RECIPE}/repeat_jobs`;
  for (let tries = 0; tries < 20; tries++) {
    const response = await fetch(url, {
      method: "POST",
      headers: { authorization: `Bearer ${sim.token}`, "content-type": "application/json" },
      body: JSON.stringify({ job_ids: [jobId] }),
    });
    if (response.status === 200) {
      const body = (await response.json()) as { results: { status: string; job?: { id: string } }[] };
      expect(body.results[0]?.status).toBe("enqueued");
      return body.results[0]?.job?.id ?? "";
    }
    expect(response.status).toBe(429);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`could not repeat ${jobId} from outside`);
}

describe("a click decides on what Workato lists after the click", () => {
  it("does not send again a job repeated in Workato's own UI seconds after the bot's last look", async () => {
    const harness = await start();
    const { sim, slack } = harness;
    sim.settleRepeats({ afterMs: 300, outcome: () => "succeeded" });
    const ten = sim.addFailedJobs(CUSTOMER, RECIPE, 10).map((job) => job.id);
    const first = await failedJobsList(harness, 0);
    await harness.send.click({
      channel: CHANNEL,
      messageTs: first.ts,
      button: { text: "Repeat 10 failed" },
      user: ALICE,
    });
    await slack.waitFor(() => (repeatedIds(sim).length >= 10 ? true : undefined));
    await harness.app.deps.background.settled();
    const botSent = repeatedIds(sim).length;
    expect(botSent).toBe(10);

    // Right after, another failed job X is repeated in Workato, and its repeat succeeds.
    const [x] = sim.addFailedJobs(CUSTOMER, RECIPE, 1).map((job) => job.id) as [string];
    const xRepeat = await repeatFromOutside(sim, x);
    const outsideSent = repeatedIds(sim).length;
    await slack.waitFor(() => (sim.job(xRepeat)?.status === "succeeded" ? true : undefined));

    // Within 20 s: a new list, then its Repeat N failed.
    const second = await failedJobsList(harness, 1);
    const button = repeatFailedButton(second);
    expect(button).toBeDefined();
    await harness.send.click({
      channel: CHANNEL,
      messageTs: second.ts,
      button: { actionId: button?.actionId ?? "" },
      user: ALICE,
    });
    // Either the click says it sent nothing, or (the duplicate) its request reaches Workato.
    const toldOf = () =>
      slack.ephemerals(CHANNEL, ALICE.id).find((message) => message.text.includes("checked again just now"));
    await slack.waitFor(() => toldOf() ?? (repeatedIds(sim).length > outsideSent ? true : undefined));
    await harness.app.deps.background.settled();

    const sentAfter = repeatedIds(sim).slice(outsideSent);
    expect(sentAfter).not.toContain(x);
    expect(sentAfter).toEqual([]);
    const told = toldOf();
    expect(textOf(told)).toContain("already repeated and succeeded");
    expect(textOf(told)).toContain(x);
    // X ran once more in all (the outside repeat), the ten once each.
    expect(sim.job(x)?.repeatCount).toBe(1);
    for (const id of ten) expect(sim.job(id)?.repeatCount).toBe(1);
  }, 60_000);
});

describe("a job Workato cannot repeat", () => {
  it("is not offered or counted again once Workato refused it as past retention, and the list says why", async () => {
    const harness = await start();
    const { sim, slack } = harness;
    sim.settleRepeats({ afterMs: 100, outcome: () => "succeeded" });
    const [expired] = sim.addFailedJobs(CUSTOMER, RECIPE, 1, { expired: true }).map((job) => job.id) as [
      string,
    ];
    const fresh = sim.addFailedJobs(CUSTOMER, RECIPE, 2).map((job) => job.id);

    const first = await failedJobsList(harness, 0);
    expect(repeatFailedButton(first)?.text).toBe("Repeat 3 failed");
    await harness.send.click({
      channel: CHANNEL,
      messageTs: first.ts,
      button: { text: "Repeat 3 failed" },
      user: ALICE,
    });
    await slack.waitFor(() => (repeatedIds(sim).length >= 3 ? true : undefined));
    await harness.app.deps.background.settled();
    expect(sim.job(expired)?.repeatCount).toBe(0);

    // The second time: no button offers it, the note counts it apart and says why.
    const second = await failedJobsList(harness, 1);
    const text = textOf(second);
    expect(text).toContain("can't be repeated");
    expect(text).toContain("past Workato's retention");
    const repeatButtons = listButtons(second).filter((button) => button.text.startsWith("Repeat"));
    for (const button of repeatButtons) expect(button.value ?? "").not.toContain(expired);
    for (const id of fresh) {
      await slack.waitFor(() => (sim.job(id)?.repeatCount === 1 ? true : undefined));
    }
    expect(repeatFailedButton(second)).toBeUndefined();
    expect(text).toContain("1 can't be repeated (past Workato's retention");

    // A typed repeat of it is refused before anything is sent, even with `again`.
    const before = repeatedIds(sim).length;
    await harness.send.slashCommand({
      text: `repeat ${CUSTOMER} ${RECIPE} ${expired} again`,
      user: ALICE,
      channel: CHANNEL,
    });
    const answer = await slack.waitFor(() =>
      slack.ephemerals(CHANNEL, ALICE.id).find((message) => textOf(message).includes("can't be repeated")),
    );
    expect(textOf(answer)).toContain(expired);
    expect(
      listButtons(answer ?? second).filter((button) => button.actionId.startsWith("repeat_confirm")),
    ).toEqual([]);
    expect(repeatedIds(sim).length).toBe(before);
  }, 60_000);
});

describe("counts that add up", () => {
  it("has `recipes` and `repeat … failed` count the same failures, saying where each one went", async () => {
    const harness = await start();
    const { sim, slack } = harness;
    const [done, failedAgain] = sim.addFailedJobs(CUSTOMER, RECIPE, 5).map((job) => job.id) as [
      string,
      string,
    ];
    sim.repeatInWorkatoUi(done, { outcome: "succeeded", afterMs: 0 });
    // Its failed repeat is one more failed job in Workato's count, but not one more to repeat.
    sim.repeatInWorkatoUi(failedAgain, { outcome: "failed", afterMs: 0 });
    await slack.waitFor(() => (sim.job(failedAgain)?.repeatCount === 1 ? true : undefined));

    await harness.send.slashCommand({ text: `recipes ${CUSTOMER}`, user: ALICE, channel: CHANNEL });
    const recipes = await slack.waitFor(() => slack.messages(CHANNEL)[0]);
    expect(textOf(recipes)).toContain("6 failed jobs");

    await harness.send.slashCommand({
      text: `repeat ${CUSTOMER} ${RECIPE} failed`,
      user: ALICE,
      channel: CHANNEL,
    });
    const preview = await slack.waitFor(() =>
      slack
        .ephemerals(CHANNEL, ALICE.id)
        .find((message) => message.text.includes("Repeat") || textOf(message).includes("to repeat")),
    );
    const text = textOf(preview);
    // 6 = 1 failed repeat + 1 already repeated + 4 to repeat.
    expect(text).toContain("6 failed");
    expect(text).toContain("1 of them failed repeat (only originals are repeated)");
    expect(text).toContain("1 already repeated (left out)");
    expect(text).toContain("4 to repeat");
  }, 30_000);
});
