// For end-to-end tests: `/workato-jobs list <customer> <recipe> failed` typed by Alice, and the list it posts.
import { ALICE, CHANNEL, CUSTOMER, type Harness, RECIPE } from "../../sim/app-harness.js";
import type { FakeMessage } from "../../sim/fake-slack/index.js";

/** The channel's `index`-th top-level message, once the list typed now is there. */
export async function failedJobsList(harness: Harness, index: number): Promise<FakeMessage> {
  await harness.send.slashCommand({
    text: `list ${CUSTOMER} ${RECIPE} failed`,
    user: ALICE,
    channel: CHANNEL,
  });
  return harness.slack.waitFor(() => harness.slack.messages(CHANNEL)[index]);
}
