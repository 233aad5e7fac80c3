// Work that continues after Slack was acknowledged: tracked so failures are logged and shutdown can wait for it.
import type { Logger } from "pino";

export interface BackgroundWork {
  run(what: string, work: () => Promise<void>): void;
  /** resolves when everything started so far has finished */
  settled(): Promise<void>;
}

export function createBackgroundWork(logger: Logger): BackgroundWork {
  const running = new Set<Promise<void>>();
  return {
    run(what, work) {
      const task = work()
        .catch((error: unknown) => logger.error({ err: error, what }, "background work failed"))
        .finally(() => running.delete(task));
      running.add(task);
    },
    async settled() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
  };
}
