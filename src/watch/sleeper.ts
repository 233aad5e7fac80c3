// Sleeps that stop() cuts short, so the poller's loop ends at once instead of after a whole interval. Real elapsed
// time (performance.now()), not the clock: a sleep is a wait, not a date.
import { performance } from "node:perf_hooks";

export interface Sleeper {
  sleep(ms: number): Promise<void>;
  /** until a performance.now() time */
  sleepUntil(at: number): Promise<void>;
  /** ends every sleep now, and makes later ones return at once until reset() */
  cancelAll(): void;
  reset(): void;
}

export function createSleeper(): Sleeper {
  const pending = new Set<() => void>();
  let cancelled = false;
  const sleep = (ms: number): Promise<void> => {
    if (cancelled || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        pending.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      pending.add(done);
    });
  };
  return {
    sleep,
    sleepUntil: (at) => sleep(at - performance.now()),
    cancelAll() {
      cancelled = true;
      for (const done of [...pending]) done();
    },
    reset() {
      cancelled = false;
    },
  };
}
