// The one queue of redraws of posted views: a change names what changed, the registry says which views show it, and
// each is redrawn from stored state, coalesced to the newest state, most visible first, within Slack's update limit.
import { performance } from "node:perf_hooks";
import type { Logger } from "pino";
import type { Clock } from "../clock.js";
import type { ViewFilter, ViewKind, ViewRecord, ViewStore } from "../store/view-store.js";

/** What changed: the state of some master jobs (a repeat's outcome, a repeat sent), or a watch's alerts. */
export type ViewChange =
  | { kind: "jobs"; customer: string; recipeId: number; masterJobIds: readonly string[] }
  /** every view of the watch, or only those of one alert (the alert and its thread replies) */
  | { kind: "watch"; watchId: number; alertTs?: string };

/** What drawing one view did; a failure carries Slack's error, a rate limit is waited out and drawn again. */
export type DrawResult = "redrawn" | "unchanged" | "gone" | { failed: string };

/** Draws one view again from stored state, with the same builder that drew it first. */
export interface ViewDrawer {
  draw(view: ViewRecord, at: number): Promise<DrawResult>;
}

/** What the rest of the bot tells the redrawer. */
export interface ViewChanges {
  changed(change: ViewChange): void;
}

export interface Redrawer extends ViewChanges {
  /** resolves once nothing is waiting or being drawn (tests and benchmarks) */
  idle(): Promise<void>;
  /**
   * Drops what is waiting (the registry still has it: the next change draws it) and waits for the draws under way;
   * changes after that are drawn again.
   */
  stop(): Promise<void>;
}

/** How each redraw went, for metrics and the benchmark: `waitedMs` from the first change not yet drawn. */
export interface RedrawReport {
  view: ViewRecord;
  result: DrawResult;
  waitedMs: number;
  /** the order in which this draw started, among every draw */
  started: number;
  /** performance.now() of the first change it covers, and of the start of the draw */
  requestedAtMs: number;
  startedAtMs: number;
}

export interface RedrawerOptions {
  store: {
    views(filter: ViewFilter): ReturnType<ViewStore["views"]> | Promise<ReturnType<ViewStore["views"]>>;
  };
  drawer: ViewDrawer;
  clock: Clock;
  /** VIEW_REDRAW_MAX_AGE_HOURS: views posted longer ago than this are left alone */
  maxAgeMs: number;
  /**
   * drawing starts once no change came for this long (at most 5 times this after the first), so a burst of changes
   * is drawn once per view, most visible first; default 200 ms
   */
  coalesceMs?: number;
  /** draws under way at once; default 2, and 1 after Slack said "rate limited" until the queue is empty */
  concurrency?: number;
  /** the wait after a rate limit (Slack's own Retry-After is waited out by its client first); default 1 s */
  rateLimitPauseMs?: number;
  /** other failures are tried this many times in all; default 3 */
  maxAttempts?: number;
  logger?: Logger;
  onDrawn?: (report: RedrawReport) => void;
}

export const DEFAULT_VIEW_MAX_AGE_HOURS = 24;

/** Most visible first: the alerts people see in the channel, then thread replies and summaries, then lists. */
const PRIORITY: Readonly<Record<ViewKind, number>> = {
  alert: 0,
  recipe_stopped: 0,
  alert_follow_up: 1,
  job_list: 2,
};

interface Pending {
  view: ViewRecord;
  /** performance.now() of the first change not yet drawn */
  requestedAt: number;
  /** performance.now() before which it is not drawn */
  dueAt: number;
  attempts: number;
}

const keyOf = (view: Pick<ViewRecord, "channel" | "ts">) => `${view.channel}\u0000${view.ts}`;

export function createRedrawer(options: RedrawerOptions): Redrawer {
  const { store, drawer, clock, logger } = options;
  const coalesceMs = options.coalesceMs ?? 200;
  const fullConcurrency = options.concurrency ?? 2;
  let concurrency = fullConcurrency;
  /** performance.now() of the latest change, and of the first one not yet drawn */
  let lastRequestAt = 0;
  let firstRequestAt: number | null = null;
  let started = 0;
  const rateLimitPauseMs = options.rateLimitPauseMs ?? 1000;
  const maxAttempts = options.maxAttempts ?? 3;

  const waiting = new Map<string, Pending>();
  /** views being drawn, and whether a change came in meanwhile (then it is drawn again after) */
  const drawing = new Map<string, Pending | null>();
  const lookups = new Set<Promise<void>>();
  const draws = new Set<Promise<void>>();
  let pausedUntil = 0;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  let idleWaiters: (() => void)[] = [];

  function request(view: ViewRecord, now: number): void {
    const key = keyOf(view);
    lastRequestAt = now;
    firstRequestAt ??= now;
    if (drawing.has(key)) {
      const again = drawing.get(key);
      drawing.set(key, { view, requestedAt: again?.requestedAt ?? now, dueAt: now, attempts: 0 });
      return;
    }
    const already = waiting.get(key);
    // Newest state wins: the draw reads the store when it runs, so one pending draw covers every change so far.
    if (already) already.view = view;
    else waiting.set(key, { view, requestedAt: now, dueAt: now, attempts: 0 });
  }

  async function lookUp(change: ViewChange): Promise<void> {
    const postedSince = clock.now() - options.maxAgeMs;
    if (change.kind === "jobs") {
      const jobs = new Set(change.masterJobIds);
      const views = await store.views({ customer: change.customer, recipeId: change.recipeId, postedSince });
      const now = performance.now();
      for (const view of views) if (view.jobIds.some((id) => jobs.has(id))) request(view, now);
    } else {
      // A change to one named alert (a click on it) redraws it however long ago it was posted: the person is looking.
      const since = change.alertTs === undefined ? postedSince : 0;
      const views = await store.views({ watchId: change.watchId, postedSince: since });
      const now = performance.now();
      for (const view of views) {
        if (change.alertTs === undefined || view.ts === change.alertTs || view.threadTs === change.alertTs)
          request(view, now);
      }
    }
  }

  /** The next view to draw: due, most visible kind first, then the longest waiting. */
  function next(now: number): Pending | undefined {
    let best: Pending | undefined;
    for (const pending of waiting.values()) {
      if (pending.dueAt > now) continue;
      if (
        !best ||
        PRIORITY[pending.view.shows.kind] < PRIORITY[best.view.shows.kind] ||
        (PRIORITY[pending.view.shows.kind] === PRIORITY[best.view.shows.kind] &&
          pending.requestedAt < best.requestedAt)
      )
        best = pending;
    }
    return best;
  }

  function pump(): void {
    if (stopped) return;
    const now = performance.now();
    // A burst of changes settles first, so what is drawn first is the most visible of all of them.
    const quietAt = Math.min(lastRequestAt + coalesceMs, (firstRequestAt ?? now) + 5 * coalesceMs);
    const startAt = Math.max(pausedUntil, waiting.size > 0 ? quietAt : 0);
    if (now < startAt) {
      wakeAt(startAt);
      return;
    }
    firstRequestAt = null;
    if (waiting.size === 0 && drawing.size === 0) concurrency = fullConcurrency;
    while (drawing.size < concurrency) {
      const pending = next(now);
      if (!pending) break;
      const key = keyOf(pending.view);
      waiting.delete(key);
      drawing.set(key, null);
      const draw = drawOne(key, pending, ++started).finally(() => draws.delete(draw));
      draws.add(draw);
    }
    const soonest = Math.min(...[...waiting.values()].map((pending) => pending.dueAt));
    if (Number.isFinite(soonest) && drawing.size < concurrency) wakeAt(soonest);
    settleIdle();
  }

  function wakeAt(at: number): void {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(
      () => {
        timer = null;
        pump();
      },
      Math.max(0, at - performance.now()),
    );
  }

  async function drawOne(key: string, pending: Pending, order: number): Promise<void> {
    const startedAtMs = performance.now();
    let result: DrawResult;
    try {
      result = await drawer.draw(pending.view, clock.now());
    } catch (error) {
      result = { failed: error instanceof Error ? error.message : String(error) };
    }
    const now = performance.now();
    const again = drawing.get(key) ?? null;
    drawing.delete(key);
    const report: RedrawReport = {
      view: pending.view,
      result,
      waitedMs: now - pending.requestedAt,
      started: order,
      requestedAtMs: pending.requestedAt,
      startedAtMs,
    };
    if (typeof result === "object") {
      const rateLimited = /rate.?limit/i.test(result.failed);
      if (rateLimited) {
        pausedUntil = Math.max(pausedUntil, now + rateLimitPauseMs);
        // One at a time while Slack is limiting, so the most visible still go first.
        concurrency = 1;
      }
      const attempts = rateLimited ? pending.attempts : pending.attempts + 1;
      if (attempts < maxAttempts) {
        // Drawn again, with whatever changed meanwhile: nothing is lost, the newest state wins.
        waiting.set(key, {
          view: again?.view ?? pending.view,
          requestedAt: pending.requestedAt,
          dueAt: rateLimited ? pausedUntil : now + rateLimitPauseMs * 2 ** attempts,
          attempts,
        });
      } else {
        logger?.warn(
          { channel: pending.view.channel, ts: pending.view.ts, error: result.failed },
          "view not redrawn",
        );
        options.onDrawn?.(report);
      }
    } else {
      options.onDrawn?.(report);
      if (again) waiting.set(key, { ...again, dueAt: now });
    }
    pump();
  }

  function settleIdle(): void {
    if (waiting.size > 0 || drawing.size > 0 || lookups.size > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  return {
    changed(change) {
      if (stopped) return;
      const lookup = lookUp(change)
        .catch((error: unknown) => {
          logger?.error({ err: error, change }, "could not find the views a change affects");
        })
        .finally(() => {
          lookups.delete(lookup);
          pump();
        });
      lookups.add(lookup);
    },

    idle() {
      return new Promise((resolve) => {
        idleWaiters.push(resolve);
        settleIdle();
      });
    },

    async stop() {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      waiting.clear();
      await Promise.allSettled([...lookups]);
      await Promise.allSettled([...draws]);
      waiting.clear();
      stopped = false;
      settleIdle();
    },
  };
}
