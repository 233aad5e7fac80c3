// End to end, the app over real HTTP against the Workato simulator and the fake Slack: an alert and its thread reply
// are views of what the bot knows, redrawn as soon as a repeat's outcome is known, not at the next re-check round.
import { describe, expect, it, vi } from "vitest";
import { ALICE, CHANNEL, CUSTOMER, type Harness, RECIPE } from "../../sim/app-harness.js";
import { type FakeMessage, listButtons } from "../../sim/fake-slack/index.js";
import { harnessPerTest } from "../support/harness-per-test.js";
import { watchedFromSlack } from "../support/watched-from-slack.js";

const start = harnessPerTest();

/** Every message of the channel and of every thread in it. */
function everyMessage(harness: Harness): FakeMessage[] {
  const top = harness.slack.messages(CHANNEL);
  return [...top, ...top.flatMap((message) => harness.slack.thread(CHANNEL, message.ts))];
}

const content = (message: FakeMessage | undefined) =>
  message ? `${message.text}\n${JSON.stringify(message.blocks)}` : "";

describe("an alert and its thread reply, after their jobs were repeated from the alert and succeeded", () => {
  it("within seconds offer no Repeat for them anywhere, and the alert says they are fixed", async () => {
    const harness = await start({ env: { WATCH_INTERVAL_SECONDS: "3600" } });
    harness.sim.settleRepeats({ afterMs: 1000, outcome: "succeeded" });
    const { id: watchId } = await watchedFromSlack(harness);

    const first = harness.sim.addFailedJobs(CUSTOMER, RECIPE, 2);
    expect(await harness.app.deps.poller.pollOnce(watchId)).toMatchObject({ alerted: 1 });
    const alert = await harness.slack.waitFor(() => harness.slack.messages(CHANNEL)[1]);
    const more = harness.sim.addFailedJobs(CUSTOMER, RECIPE, 1);
    expect(await harness.app.deps.poller.pollOnce(watchId)).toMatchObject({ followedUp: 1 });
    const reply = await harness.slack.waitFor(() => harness.slack.thread(CHANNEL, alert.ts)[0]);
    expect(listButtons(reply).map((button) => button.text)).toContain("Repeat 1 failed");
    expect(listButtons(harness.slack.message(CHANNEL, alert.ts) ?? alert).map((b) => b.text)).toContain(
      "Repeat 3 failed",
    );

    // One click on the alert repeats all three, the reply's job too.
    await harness.send.click({
      channel: CHANNEL,
      messageTs: alert.ts,
      button: { text: "Repeat 3 failed" },
      user: ALICE,
    });
    const sent = await harness.slack.waitFor(() => {
      const repeats = harness.sim.requests.filter((request) => request.endpoint === "repeat");
      return repeats.length > 0 ? repeats : undefined;
    });
    const ids = [...first, ...more].map((job) => job.id);
    expect(sent.flatMap((request) => (request.body as { job_ids: string[] }).job_ids).sort()).toEqual(
      [...ids].sort(),
    );

    // The re-check round runs every 2 minutes: what follows is the follow-up's doing, within seconds.
    await vi.waitFor(
      () => {
        const offering = everyMessage(harness).filter((message) =>
          listButtons(message).some(
            (button) => button.text.startsWith("Repeat") && ids.some((id) => button.value?.includes(id)),
          ),
        );
        expect(offering.map((message) => message.text)).toEqual([]);
        const now = content(harness.slack.message(CHANNEL, alert.ts));
        expect(now).toContain("Resolved");
        expect(now).toContain("3 failed jobs fixed");
      },
      { timeout: 15_000, interval: 100 },
    );
    const redrawnReply = content(harness.slack.message(CHANNEL, reply.ts));
    expect(redrawnReply).toContain("1 job fixed");
    expect(redrawnReply).toContain("0 left");
  });
});
