// The watch poller's loops. A sweep polls every unpaused watch in turn, spread evenly over the interval asked for or
// the one Workato's jobs budget allows (the guarantee: a count that lags never loses an alert); polls triggered by
// the scan get in line with it, and the sweep waits while 16 polls are under way, so together they keep the budget.
// A scan reads each watched customer's recipe list every few seconds (its own limit) and polls at once the watches
// whose recipe's failed count moved, that stopped, or (at first sight) that ran since their last poll, asking again
// until that poll gets through. A resolution round re-checks open alerts' jobs;
// an escalation round calls the next in line. Never the same watch twice at once;
// pacing each request is the budget's job (workato/budget.ts), asked at background priority so people's calls go first.
import { performance } from "node:perf_hooks";
import type { Logger } from "pino";
import type { Decision } from "../access/access-check.js";
import type { Clock } from "../clock.js";
import { createLineageReader, type LineageReader } from "../lineage/lineage-reader.js";
import type { MetricsRecorder } from "../metrics/metrics.js";
import type { AlertStateStore } from "../store/alert-state-store.js";
import type { AsyncStore, WatchRecord, WatchStore } from "../store/store.js";
import type { ViewStore } from "../store/view-store.js";
import {
  createRedrawer,
  DEFAULT_VIEW_MAX_AGE_HOURS,
  type Redrawer,
  type RedrawerOptions,
  type ViewDrawer,
} from "../views/redrawer.js";
import type { WorkatoClient } from "../workato/client.js";
import type { CustomerRef } from "../workato/customer-ref.js";
import { createAlertMessages } from "./alert-messages.js";
import { type ResolutionRound, recheckOpenAlerts } from "./alert-resolution.js";
import type { AlertSink } from "./alert-sink.js";
import { createAlertViewDrawer } from "./alert-views.js";
import { type EscalationRound, escalateOpenAlerts } from "./escalation.js";
import type { LookBack, RequestCount } from "./failure-listing.js";
import { planPolls } from "./poll-budget.js";
import { type PollOutcome, pollWatch } from "./poll-watch.js";
import { type RecipeMemory, type ScanRound, scanRound } from "./recipe-scan-round.js";
import { createSleeper } from "./sleeper.js";

export type { PollOutcome } from "./poll-watch.js";

export const DEFAULT_ALERT_WINDOW_MS = 60 * 60_000;
/** Pages of 50 (Workato's page) older than the newest failure a poll reads at most before giving up on the rest. */
export const DEFAULT_MAX_PAGES = 5;
/**
 * Behind the cursor, a poll re-reads failures that started up to 1 h earlier, at most 2 more pages (100 failures):
 * a job running longer than that, or more than 100 failures within the hour behind the cursor, is not re-read.
 */
export const DEFAULT_LOOK_BACK: LookBack = { windowMs: 60 * 60_000, maxPages: 2 };
export const DEFAULT_SCAN_SECONDS = 2;
export const DEFAULT_RESOLUTION_SECONDS = 120;
/** How often open alerts are checked for escalation: a step is called at most this late. */
export const DEFAULT_ESCALATION_SECONDS = 30;
/** The share of the background recipes budget the scan plans with; recipe names and people's lists take the rest. */
const SCAN_SHARE = 0.75;
const IDLE_RECHECK_MS = 5000;
/** The first wait before the scan asks again for a poll that failed; it doubles each time, up to the sweep's interval. */
const OWED_RETRY_MS = 5000;

/** A poll the scan asked for and is still owed: how many tries failed, and not before when to try again (epoch ms). */
interface OwedPoll {
  failures: number;
  notBefore: number;
}

export interface WatchPollerOptions {
  store: Pick<
    AsyncStore,
    keyof WatchStore | keyof ViewStore | keyof AlertStateStore | "botRepeatsOf" | "refusedRepeatsOf"
  >;
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
  lookBack?: LookBack;
  /** polls waiting on Workato at once; default 16 */
  maxConcurrentPolls?: number;
  /** read the recipe lists to poll changed recipes at once (and see stops); default true */
  scanRecipes?: boolean;
  scanSeconds?: number;
  resolutionSeconds?: number;
  escalationSeconds?: number;
  /** default: one made for the poller, over the store's record of the bot's repeats */
  lineage?: LineageReader;
  /**
   * Whether the watch's channel may still be shown this customer's jobs (the access policy, which may have changed
   * since the watch was made), asked before anything is posted. A denied watch is paused without a word in the
   * channel: telling it would show the customer there.
   */
  mayAlert?: (watch: WatchRecord, customer: CustomerRef) => Promise<Decision>;
  /** how late each poll starts against its planned time; absent where a test builds the poller without metrics */
  metrics?: Pick<MetricsRecorder, "watchPollLag">;
  /** VIEW_REDRAW_MAX_AGE_HOURS in ms: alerts posted longer ago are not redrawn; default 24 h */
  viewMaxAgeMs?: number;
  /** draws the job lists the registry holds (Slack's list builder lives in slack/); without it they are left alone */
  listDrawer?: ViewDrawer;
  /** the redrawer's pacing and its report of each redraw (benchmarks) */
  redraw?: Pick<RedrawerOptions, "coalesceMs" | "concurrency" | "rateLimitPauseMs" | "onDrawn">;
  /** each poll as it starts and ends, with what asked for it (benchmarks: which path found a failure) */
  onPoll?: (event: PollEvent) => void;
}

/** What asked for a poll: the sweep, the recipe-list scan, a scan's ask repeated after the poll under way, or a caller. */
export type PollTrigger = "sweep" | "scan" | "again" | "direct";

export type PollEvent =
  | { phase: "started"; watchId: number; via: PollTrigger }
  | { phase: "ended"; watchId: number; via: PollTrigger; outcome: PollOutcome };

export interface WatchPoller {
  /** runs the sweep, the scan and the resolution rounds, forever, until stop() */
  start(): void;
  /** stops starting polls and waits for the ones under way */
  stop(): Promise<void>;
  /** one poll of one watch now (a poll of the same watch already under way is shared, never doubled) */
  pollOnce(watchId: number): Promise<PollOutcome>;
  /** one scan of every watched customer's recipes now, and the polls it triggers or still owes (awaited) */
  scanOnce(): Promise<ScanRound>;
  /** one re-check of the open alerts now */
  recheckAlerts(): Promise<ResolutionRound>;
  /** one escalation pass over the open alerts now */
  escalateOnce(): Promise<EscalationRound>;
  /** the interval each watch's sweep actually gets, in seconds */
  effectiveIntervalSeconds(): Promise<number>;
  /** redraws the alerts, thread replies and stopped-recipe alerts a change affects */
  readonly views: Redrawer;
}

export function createWatchPoller(options: WatchPollerOptions): WatchPoller {
  const { store, workato, logger, clock } = options;
  const maxConcurrent = options.maxConcurrentPolls ?? 16;
  const scanning = options.scanRecipes ?? true;
  const log = logger.child({ component: "watch-poller" });
  const lineage =
    options.lineage ??
    createLineageReader({ workato, botRepeats: store, clock, logger: log.child({ part: "lineage" }) });
  const messages = createAlertMessages();
  const views = createRedrawer({
    store,
    drawer: withListDrawer(
      createAlertViewDrawer({
        store,
        workato,
        lineage,
        alerts: options.alerts,
        messages,
        log: log.child({ part: "views" }),
      }),
      options.listDrawer,
    ),
    clock,
    maxAgeMs: options.viewMaxAgeMs ?? DEFAULT_VIEW_MAX_AGE_HOURS * 3_600_000,
    logger: log.child({ part: "views" }),
    ...options.redraw,
  });
  const pollDeps = {
    views,
    store,
    workato,
    alerts: options.alerts,
    messages,
    lineage,
    clock,
    windowMs: options.windowMs ?? DEFAULT_ALERT_WINDOW_MS,
    maxPages: options.maxPages ?? DEFAULT_MAX_PAGES,
    lookBack: options.lookBack ?? DEFAULT_LOOK_BACK,
    ...(options.mayAlert ? { mayAlert: options.mayAlert } : {}),
    log,
  };
  const jobsPerMinute = workato.budget.backgroundPerMinute("jobs");
  const recipesPerMinute = workato.budget.backgroundPerMinute("recipes");
  const recipeMemory: RecipeMemory = new Map();

  const inFlight = new Map<number, Promise<PollOutcome>>();
  /** watches a trigger asked for while their poll was under way: polled again right after */
  const again = new Set<number>();
  /**
   * Watches the scan asked to poll whose poll has not yet succeeded. The scan remembers the count it read at once, so
   * a poll that fails would leave the moved count unseen by the next round: it asks again (backing off while Workato
   * keeps failing) until a poll that started after its ask gets through.
   */
  const owed = new Map<number, OwedPoll>();
  const sleeper = createSleeper();
  /** list requests one poll costs on average, as the plan counts them */
  let requestsPerPoll = 1;
  let running = false;
  let loops: Promise<void>[] = [];

  async function activeWatches(): Promise<WatchRecord[]> {
    return (await store.watches()).filter((watch) => watch.pausedReason === null);
  }

  function plan(watches: number) {
    return planPolls({
      watches,
      targetIntervalSeconds: options.intervalSeconds,
      requestsPerPoll,
      budgetPerMinute: jobsPerMinute,
    });
  }

  function pollOnce(watchId: number, via: PollTrigger = "direct"): Promise<PollOutcome> {
    const underWay = inFlight.get(watchId);
    if (underWay) return underWay;
    const spent: RequestCount = { requests: 0 };
    options.onPoll?.({ phase: "started", watchId, via });
    // Only a poll that starts after the scan's ask lists after the count it read, so only it can pay the debt.
    const debt = owed.get(watchId);
    const poll = pollWatch(pollDeps, watchId, spent)
      .catch((error: unknown): PollOutcome => {
        log.error({ err: error, watch: watchId }, "watch poll crashed");
        return {
          kind: "error",
          code: "internal",
          message: error instanceof Error ? error.message : String(error),
        };
      })
      .then((outcome) => {
        if (debt && owed.get(watchId) === debt) settleOwed(watchId, debt, outcome);
        options.onPoll?.({ phase: "ended", watchId, via, outcome });
        return outcome;
      })
      .finally(() => {
        inFlight.delete(watchId);
        // What polls really cost (extra pages) stretches the interval, so rounds keep to the budget.
        if (spent.requests > 0) requestsPerPoll = requestsPerPoll * 0.98 + spent.requests * 0.02;
        if (again.delete(watchId)) void pollOnce(watchId, "again");
      });
    inFlight.set(watchId, poll);
    return poll;
  }

  function settleOwed(watchId: number, debt: OwedPoll, outcome: PollOutcome): void {
    if (outcome.kind !== "error") {
      owed.delete(watchId);
      return;
    }
    const waitMs = Math.min(OWED_RETRY_MS * 2 ** debt.failures, options.intervalSeconds * 1000);
    owed.set(watchId, { failures: debt.failures + 1, notBefore: clock.now() + waitMs });
  }

  /** A poll now, or right after the one under way (which may have listed before the change). */
  function pollSoon(watchId: number): Promise<PollOutcome> {
    if (inFlight.has(watchId)) again.add(watchId);
    return pollOnce(watchId, "scan");
  }

  /** One scan of every watched customer's recipe list; `spent` counts its requests. */
  async function scan(spent: RequestCount): Promise<ScanRound> {
    const watches = await activeWatches();
    const round = await scanRound({ ...pollDeps, workato }, watches, recipeMemory, () => clock.now(), spent);
    const active = new Set(watches.map((watch) => watch.id));
    for (const watchId of owed.keys()) if (!active.has(watchId)) owed.delete(watchId);
    const now = clock.now();
    for (const watchId of round.toPoll)
      owed.set(watchId, owed.get(watchId) ?? { failures: 0, notBefore: now });
    const toPoll = [...owed].filter(([, debt]) => debt.notBefore <= now).map(([watchId]) => watchId);
    return { ...round, toPoll };
  }

  async function scanOnce(): Promise<ScanRound> {
    const round = await scan({ requests: 0 });
    await Promise.all(round.toPoll.map((watchId) => pollSoon(watchId)));
    return round;
  }

  function recheckAlerts(): Promise<ResolutionRound> {
    return recheckOpenAlerts({ ...pollDeps, workato }, clock.now(), { busy: (id) => inFlight.has(id) });
  }

  function escalateOnce(): Promise<EscalationRound> {
    return escalateOpenAlerts({ ...pollDeps, workato }, clock.now());
  }

  async function sweepLoop(): Promise<void> {
    while (running) {
      const watches = await activeWatches();
      if (watches.length === 0) {
        await sleeper.sleep(Math.min(options.intervalSeconds * 1000, IDLE_RECHECK_MS));
        continue;
      }
      const { intervalSeconds, spacingMs } = plan(watches.length);
      const roundStart = performance.now();
      for (const [index, watch] of watches.entries()) {
        const plannedAt = roundStart + index * spacingMs;
        await sleeper.sleepUntil(plannedAt);
        while (running && inFlight.size >= maxConcurrent) await Promise.race(inFlight.values());
        if (!running) return;
        options.metrics?.watchPollLag(Math.max(0, performance.now() - plannedAt) / 1000);
        void pollOnce(watch.id, "sweep");
      }
      messages.forgetBefore(clock.now() - pollDeps.windowMs);
      await sleeper.sleepUntil(roundStart + intervalSeconds * 1000);
    }
  }

  async function scanLoop(): Promise<void> {
    while (running) {
      const started = performance.now();
      let customers = 1;
      try {
        // Triggered polls are not awaited here: a slow poll must not hold up the next scan.
        const spent: RequestCount = { requests: 0 };
        const round = await scan(spent);
        customers = Math.max(1, spent.requests);
        for (const watchId of round.toPoll) void pollSoon(watchId);
      } catch (error) {
        log.error({ err: error }, "recipe scan failed");
      }
      // Each round's GETs, spread at the scan's share of the recipes budget, or the scan interval if longer.
      const budgetMs = (customers * 60_000) / (recipesPerMinute * SCAN_SHARE);
      const intervalMs = Math.max((options.scanSeconds ?? DEFAULT_SCAN_SECONDS) * 1000, budgetMs);
      await sleeper.sleepUntil(started + intervalMs);
    }
  }

  /** Every `seconds`, one `round` (re-check, escalation); what `worthLogging` makes of its outcome is logged. */
  async function everyFewSeconds<R>(
    seconds: number,
    round: () => Promise<R>,
    worthLogging: (outcome: R) => object | null,
    what: { done: string; failed: string },
  ): Promise<void> {
    while (running) {
      await sleeper.sleep(seconds * 1000);
      if (!running) return;
      try {
        const logged = worthLogging(await round());
        if (logged !== null) log.info(logged, what.done);
      } catch (error) {
        log.error({ err: error }, what.failed);
      }
    }
  }

  const resolutionLoop = () =>
    everyFewSeconds(
      options.resolutionSeconds ?? DEFAULT_RESOLUTION_SECONDS,
      recheckAlerts,
      (round) => (round.redrawn > 0 ? round : null),
      { done: "open alerts re-checked", failed: "alert re-check failed" },
    );

  const escalationLoop = () =>
    everyFewSeconds(
      options.escalationSeconds ?? DEFAULT_ESCALATION_SECONDS,
      escalateOnce,
      (round) => (round.escalated > 0 ? round : null),
      { done: "alerts escalated", failed: "escalation check failed" },
    );

  return {
    start() {
      if (running) return;
      running = true;
      sleeper.reset();
      log.info(
        { intervalSeconds: options.intervalSeconds, jobsPerMinute, scanning, recipesPerMinute },
        "watch poller started",
      );
      const guard = (name: string, loop: Promise<void>) =>
        loop.catch((error: unknown) =>
          log.error({ err: error, loop: name }, "watch poller loop stopped by an error"),
        );
      loops = [
        guard("sweep", sweepLoop()),
        guard("resolution", resolutionLoop()),
        guard("escalation", escalationLoop()),
        ...(scanning ? [guard("scan", scanLoop())] : []),
      ];
    },
    async stop() {
      running = false;
      sleeper.cancelAll();
      await Promise.all(loops);
      loops = [];
      await Promise.allSettled([...inFlight.values()]);
      await views.stop();
    },
    pollOnce: (watchId) => pollOnce(watchId),
    scanOnce,
    recheckAlerts,
    views,
    escalateOnce,
    async effectiveIntervalSeconds() {
      return plan((await activeWatches()).length).intervalSeconds;
    },
  };
}

/** Alerts and their replies by the watch's drawer, job lists by the list drawer given. */
function withListDrawer(alerts: ViewDrawer, lists: ViewDrawer | undefined): ViewDrawer {
  return {
    draw: (view, at) =>
      view.shows.kind === "job_list"
        ? (lists?.draw(view, at) ?? Promise.resolve("gone"))
        : alerts.draw(view, at),
  };
}
