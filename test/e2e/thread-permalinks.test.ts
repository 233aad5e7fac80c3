// End to end: `history` links each repeat to its thread with Slack's permalink (chat.getPermalink, asked once per
// thread and cached), and the daily digest links each recipe to its latest alert thread.
import { describe, expect, it, vi } from "vitest";
import { ALICE, CHANNEL, CUSTOMER, RECIPE } from "../../sim/app-harness.js";
import { repeatByCommand } from "../../sim/repeat-command.js";
import { manualClock } from "../../src/clock.js";
import { createLogger } from "../../src/logger.js";
import { createSlackDigests } from "../../src/slack/digest/slack-digests.js";
import { firstPolledWatch } from "../support/first-poll.js";
import { harnessPerTest } from "../support/harness-per-test.js";

const start = harnessPerTest();

describe("thread permalinks", () => {
  it("history links a repeat to its thread, asking Slack for the permalink only once", async () => {
    const harness = await start();
    const [job] = harness.sim.addFailedJobs(CUSTOMER, RECIPE, 1);
    await repeatByCommand(harness, {
      text: `repeat ${CUSTOMER} ${RECIPE} ${job?.id}`,
      user: ALICE,
      channel: CHANNEL,
    });
    const repeat = await vi.waitFor(
      async () => {
        const [row] = await harness.app.deps.store.recentRepeats({ channel: CHANNEL, limit: 1 });
        if (!row) throw new Error("no repeat recorded yet");
        return row.repeat;
      },
      { timeout: 10_000, interval: 20 },
    );

    const histories = () =>
      harness.slack.ephemerals(CHANNEL, ALICE.id).filter((message) => message.text.includes("recent repeat"));
    for (const time of [0, 1]) {
      await harness.send.slashCommand({ text: "history", user: ALICE, channel: CHANNEL });
      const history = await harness.slack.waitFor(() => histories()[time]);
      const link = `${harness.slack.url}/archives/${CHANNEL}/p${repeat.threadTs.replace(".", "")}`;
      expect(JSON.stringify(history.blocks)).toContain(`<${link}|thread>`);
    }
    const asked = harness.slack.calls.filter((call) => call.method === "chat.getPermalink");
    expect(asked).toHaveLength(1);
    expect(asked[0]?.args).toMatchObject({ channel: CHANNEL, message_ts: repeat.threadTs });
  });

  it("the digest links each watched recipe to its latest alert thread", async () => {
    const harness = await start({ env: { WATCH_INTERVAL_SECONDS: "3600" } });
    await harness.send.slashCommand({ text: `watch ${CUSTOMER} ${RECIPE}`, user: ALICE, channel: CHANNEL });
    await harness.slack.waitFor(() => harness.slack.messages(CHANNEL)[0]);
    const watch = await firstPolledWatch(harness, CHANNEL);
    harness.sim.addFailedJobs(CUSTOMER, RECIPE, 1);
    await harness.app.deps.poller.pollOnce(watch.id);
    const alert = await harness.slack.waitFor(() => harness.slack.messages(CHANNEL)[1]);

    // A digest due two minutes from now, sent by a scheduler whose clock is already past it.
    const due = new Date(Date.now() + 2 * 60_000);
    const time = `${String(due.getUTCHours()).padStart(2, "0")}:${String(due.getUTCMinutes()).padStart(2, "0")}`;
    await harness.send.slashCommand({ text: `digest ${time}`, user: ALICE, channel: CHANNEL });
    await harness.slack.waitFor(() => harness.slack.messages(CHANNEL)[2]);
    const { deps } = harness.app;
    const digests = createSlackDigests({
      ...deps,
      clock: manualClock(due.getTime() + 60_000),
      logger: createLogger("silent"),
    });
    await digests.runDue();
    const digest = await harness.slack.waitFor(() =>
      harness.slack.messages(CHANNEL).find((message) => message.text.startsWith("Daily digest")),
    );
    const link = `${harness.slack.url}/archives/${CHANNEL}/p${alert.ts.replace(".", "")}`;
    expect(JSON.stringify(digest.blocks)).toContain(`<${link}|latest alert>`);
  });
});
