// For end-to-end tests: a watch of RECIPE made with /workato-jobs watch, returned once its first check has set its
// starting point (so failures added after it are new).
import { vi } from "vitest";
import { ALICE, CHANNEL, CUSTOMER, type Harness, RECIPE } from "../../sim/app-harness.js";
import type { WatchRecord } from "../../src/store/store.js";

export async function watchedFromSlack(harness: Harness, mentions = ""): Promise<WatchRecord> {
  const text = `watch ${CUSTOMER} ${RECIPE}${mentions ? ` ${mentions}` : ""}`;
  await harness.send.slashCommand({ text, user: ALICE, channel: CHANNEL });
  await harness.slack.waitFor(() => harness.slack.messages(CHANNEL)[0]);
  const [watch] = await harness.app.deps.store.watches({ channel: CHANNEL });
  if (!watch) throw new Error("no watch");
  await vi.waitFor(
    async () => {
      if (!(await harness.app.deps.store.watch(watch.id))?.lastPolledAt) throw new Error("not polled yet");
    },
    { timeout: 10_000, interval: 20 },
  );
  return watch;
}
