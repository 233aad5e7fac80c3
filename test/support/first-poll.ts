// For end-to-end watch tests: the channel's first watch, once its first poll (which marks where "new" begins) ran.
import { vi } from "vitest";
import type { Harness } from "../../sim/app-harness.js";
import type { WatchRecord } from "../../src/store/store.js";

export async function firstPolledWatch(harness: Harness, channel: string): Promise<WatchRecord> {
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
