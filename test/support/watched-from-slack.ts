// For end-to-end tests: a watch of RECIPE made with /workato-jobs watch, returned once its first check has set its
// starting point (so failures added after it are new).
import { ALICE, CHANNEL, CUSTOMER, type Harness, RECIPE } from "../../sim/app-harness.js";
import type { WatchRecord } from "../../src/store/store.js";
import { firstPolledWatch } from "./first-poll.js";

export async function watchedFromSlack(harness: Harness, mentions = ""): Promise<WatchRecord> {
  const text = `watch ${CUSTOMER} ${RECIPE}${mentions ? ` ${mentions}` : ""}`;
  await harness.send.slashCommand({ text, user: ALICE, channel: CHANNEL });
  await harness.slack.waitFor(() => harness.slack.messages(CHANNEL)[0]);
  return firstPolledWatch(harness);
}
