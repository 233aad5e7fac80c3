// The watch poller's loop: polls every unpaused watch in turn, spread evenly over the interval its share of Workato's
// budget allows, never the same watch twice at once. Pacing each request is the budget's job (workato/budget.ts):
// the poller asks it at background priority, so people's calls go first.
import { performance } from "node:perf_hooks";
import type { Logger } from "pino";
import type { Decision } from "../access/access-check.js";
import type { Clock } from "../clock.js";
import type { WatchRecord, WatchStore } from "../store/store.js";
import type { WorkatoClient } from "../workato/client.js";
import type { CustomerRef } from "../workato/customer-ref.js";
import { createAlertMessages } from "./alert-messages.js";
import type { AlertSink } from "./alert-sink.js";
import type { RequestCount } from "./failure-listing.js";
import { planPolls } from "./poll-budget.js";
import { type PollOutcome, pollWatch } from "./poll-watch.js";
import { createSleeper } from "./sleeper.js";

export type { PollOutcome } from "./poll-watch.js";

export const DEFAULT_ALERT_WINDOW_MS = 60 * 60_000;
/** Pages of 50 (Workato's page) older than the newest failure a poll reads at most before giving up on the rest. */
export const DEFAULT_MAX_PAGES = 5;
const IDLE_RECHECK_MS = 5000;

export interface WatchPollerOptions {
  store: WatchStore;
  workato: WorkatoClient;
  alerts: AlertSink;
  /** WATCH_INTERVAL_SECONDS: the interval asked for; the budget may stretch it */
  intervalSeconds: number;
  /** the time of cursors, mutes and the alert window */
  clock: Clock;
  logger: Logger;
  /** same-signature failures within this time of the last one go to the alert's thread; default 1 h */
  windowMs?: number;
  maxPages?: number;
  /** polls waiting on Workato at once; default 16 */
  maxConcurrentPolls?: number;
  /**
   * Whether the watch's channel may still be shown this customer's jobs (the access policy, which may have changed
   * since the watch was made), asked before anything is posted. A denied watch is paused without a word in the
   * channel: telling it would show the customer there.
   */
  mayAlert?: (watch: WatchRecord, customer: CustomerRef) => Promise<Decision>;
}

export interface WatchPoller {
  /** polls every unpaused watch in turn, forever, until stop() */
  start(): void;
  /** stops starting polls and waits for the ones under way */
  stop(): Promise<void>;
  /** one poll of one watch now (a poll of the same watch already under way is shared, never doubled) */
  pollOnce(watchId: number): Promise<PollOutcome>;
  /** the interval each watch actually gets, in seconds */
  effectiveIntervalSeconds(): number;
}

export function createWatchPoller(options: WatchPollerOptions): WatchPoller {
  const { store, workato, logger } = options;
  const maxConcurrent = options.maxConcurrentPolls ?? 16;
  const log = logger.child({ component: "watch-poller" });
  const pollDeps = {
    store,
    workato,
    alerts: options.alerts,
    messages: createAlertMessages(),
    clock: options.clock,
    windowMs: options.windowMs ?? DEFAULT_ALERT_WINDOW_MS,
    maxPages: options.maxPages ?? DEFAULT_MAX_PAGES,
    ...(options.mayAlert ? { mayAlert: options.mayAlert } : {}),
    log,
  };
  const budgetPerMinute = workato.budget.backgroundPerMinute("jobs");

  const inFlight = new Map<number, Promise<PollOutcome>>();
  const sleeper = createSleeper();
  /** list requests one poll costs on average, as the plan counts them */
  let requestsPerPoll = 1;
  let running = false;
  let loop: Promise<void> | null = null;

  function activeWatches(): WatchRecord[] {
    return store.watches().filter((watch) => watch.pausedReason === null);
  }

  function plan(watches: number) {
    return planPolls({
      watches,
      targetIntervalSeconds: options.intervalSeconds,
      requestsPerPoll,
      budgetPerMinute,
    });
  }

  function pollOnce(watchId: number): Promise<PollOutcome> {
    const underWay = inFlight.get(watchId);
    if (underWay) return underWay;
    const spent: RequestCount = { requests: 0 };
    const poll = pollWatch(pollDeps, watchId, spent)
      .catch((error: unknown): PollOutcome => {
        log.error({ err: error, watch: watchId }, "watch poll crashed");
        return {
          kind: "error",
          code: "internal",
          message: error instanceof Error ? error.message : String(error),
        };
      })
      .finally(() => {
        inFlight.delete(watchId);
        // What polls really cost (extra pages) stretches the interval, so rounds keep to the budget.
        if (spent.requests > 0) requestsPerPoll = requestsPerPoll * 0.98 + spent.requests * 0.02;
      });
    inFlight.set(watchId, poll);
    return poll;
  }

  async function runLoop(): Promise<void> {
    while (running) {
      const watches = activeWatches();
      if (watches.length === 0) {
        await sleeper.sleep(Math.min(options.intervalSeconds * 1000, IDLE_RECHECK_MS));
        continue;
      }
      const { intervalSeconds, spacingMs } = plan(watches.length);
      const roundStart = performance.now();
      for (const [index, watch] of watches.entries()) {
        await sleeper.sleepUntil(roundStart + index * spacingMs);
        while (running && inFlight.size >= maxConcurrent) await Promise.race(inFlight.values());
        if (!running) return;
        void pollOnce(watch.id);
      }
      pollDeps.messages.forgetBefore(options.clock.now() - pollDeps.windowMs);
      await sleeper.sleepUntil(roundStart + intervalSeconds * 1000);
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      sleeper.reset();
      log.info({ intervalSeconds: options.intervalSeconds, budgetPerMinute }, "watch poller started");
      loop = runLoop().catch((error: unknown) =>
        log.error({ err: error }, "watch poller stopped by an error"),
      );
    },
    async stop() {
      running = false;
      sleeper.cancelAll();
      await loop;
      loop = null;
      await Promise.allSettled([...inFlight.values()]);
    },
    pollOnce,
    effectiveIntervalSeconds() {
      return plan(activeWatches().length).intervalSeconds;
    },
  };
}
