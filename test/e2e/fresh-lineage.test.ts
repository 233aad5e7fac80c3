// End to end: lists may show what became of each failure from a listing read a few seconds ago, but a click that is
// about to send decides on Workato's listing read after the click, so a repeat made in Workato meanwhile is never
// sent a second time; and a job Workato refused as past retention is never offered again.
import { describe, expect, it } from "vitest";
import { ALICE, CHANNEL, CUSTOMER, type Harness, RECIPE } from "../../sim/app-harness.js";
import { type FakeMessage, listButtons } from "../../sim/fake-slack/index.js";
import type { WorkatoSimulator } from "../../sim/workato-simulator/index.js";
import { harnessPerTest } from "../support/harness-per-test.js";

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

async function listMessage(harness: Harness, index: number): Promise<FakeMessage> {
  await harness.send.slashCommand({
    text: `list ${CUSTOMER} ${RECIPE} failed`,
    user: ALICE,
    channel: CHANNEL,
  });
  return harness.slack.waitFor(() => harness.slack.messages(CHANNEL)[index]);
}

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
    const first = await listMessage(harness, 0);
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
    const second = await listMessage(harness, 1);
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
