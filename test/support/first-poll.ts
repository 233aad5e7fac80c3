// For end-to-end tests: the channel's only watch, once its first poll (which `watch` starts) has run.
import { vi } from "vitest";
import { CHANNEL, type Harness } from "../../sim/app-harness.js";
import type { WatchRecord } from "../../src/store/store.js";

export async function firstPolledWatch(harness: Harness, channel = CHANNEL): Promise<WatchRecord> {
  const [watch] = await harness.app.deps.store.watches({ channel });
  if (!watch) throw new Error(`no watch in ${channel}`);
  return vi.waitFor(
    async () => {
      const polled = await harness.app.deps.store.watch(watch.id);
      if (!polled?.lastPolledAt) throw new Error("the first poll has not run yet");
      return polled;
    },
    { timeout: 10_000, interval: 20 },
  );
}
