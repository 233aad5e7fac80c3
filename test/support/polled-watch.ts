// For end-to-end tests: a watch made by the real slash command, returned once its first poll is done, so every
// later Workato request or alert is the test's own.
import { vi } from "vitest";
import type { Harness } from "../../sim/app-harness.js";
import type { SlackUser } from "../../sim/slack-requests.js";
import type { WatchRecord } from "../../src/store/store.js";

export async function polledWatch(
  harness: Harness,
  command: { text: string; user: SlackUser; channel: string },
): Promise<WatchRecord> {
  const before = harness.slack.messages(command.channel).length;
  await harness.send.slashCommand(command);
  await harness.slack.waitFor(() => harness.slack.messages(command.channel)[before]);
  const [watch] = await harness.app.deps.store.watches({ channel: command.channel });
  if (!watch) throw new Error("no watch");
  await vi.waitFor(
    async () => {
      if (!(await harness.app.deps.store.watch(watch.id))?.lastPolledAt) throw new Error("not polled yet");
    },
    { timeout: 10_000, interval: 20 },
  );
  return watch;
}
