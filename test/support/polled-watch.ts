// For end-to-end tests: a watch made by the real slash command, returned once its first poll is done, so every
// later Workato request or alert is the test's own.
import type { Harness } from "../../sim/app-harness.js";
import type { SlackUser } from "../../sim/slack-requests.js";
import type { WatchRecord } from "../../src/store/store.js";
import { firstPolledWatch } from "./first-poll.js";

export async function polledWatch(
  harness: Harness,
  command: { text: string; user: SlackUser; channel: string },
): Promise<WatchRecord> {
  const before = harness.slack.messages(command.channel).length;
  await harness.send.slashCommand(command);
  await harness.slack.waitFor(() => harness.slack.messages(command.channel)[before]);
  return firstPolledWatch(harness, command.channel);
}
