// Keeps App Home true for the people looking at it: who opened their Home tab in the last 10 minutes (in memory), and
// a republish of their Home, coalesced, when something it shows changes in the store (an alert resolved or muted, a
// repeat finished, a watch paused). Changes are noticed on the store itself, so no handler has to remember to say so.
import type { Logger } from "pino";
import type { Clock } from "../../clock.js";
import type { AsyncStore } from "../../store/store.js";

/** Someone who opened Home this recently is taken to be looking at it still. */
export const HOME_RECENT_MS = 10 * 60_000;
/** Changes within this long of the first are drawn in one republish. */
const COALESCE_MS = 2_000;
/**
 * Between two publishes: views.publish is Tier 4 (100+ a minute per workspace), so a burst for many people stays
 * near 100 a minute and changes meanwhile are coalesced into the next round.
 */
const PUBLISH_GAP_MS = 600;

export interface HomeRefresher {
  /** The person opened their Home tab now (app_home_opened): they get republished on changes for 10 minutes. */
  opened(userId: string): void;
  /** Something Home shows changed: republishes, soon and coalesced, for everyone who opened Home recently. */
  changed(): void;
  /** Resolves once no republish is scheduled or running (tests, shutdown). */
  settled(): Promise<void>;
  stop(): void;
}

export interface HomeRefresherOptions {
  clock: Clock;
  /** draws and publishes one person's Home from the store */
  publish: (userId: string) => Promise<void>;
  logger: Logger;
  coalesceMs?: number;
  publishGapMs?: number;
}

export function createHomeRefresher(options: HomeRefresherOptions): HomeRefresher {
  const { clock, publish, logger } = options;
  const coalesceMs = options.coalesceMs ?? COALESCE_MS;
  const gapMs = options.publishGapMs ?? PUBLISH_GAP_MS;
  // In memory: a replica knows the openings it received. Lost on restart, that costs one stale Home until the
  // person next opens it, which republishes it anyway; a stored list would cost a write on every open.
  const openedAt = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;
  let round: Promise<void> | undefined;
  let dirty = false;
  let stopped = false;

  function recentViewers(): string[] {
    const since = clock.now() - HOME_RECENT_MS;
    for (const [userId, at] of openedAt) if (at < since) openedAt.delete(userId);
    return [...openedAt.keys()];
  }

  function schedule(): void {
    if (stopped || timer !== undefined || round !== undefined) return;
    timer = setTimeout(() => {
      timer = undefined;
      round = republish().finally(() => {
        round = undefined;
        if (dirty) schedule();
      });
    }, coalesceMs);
    timer.unref();
  }

  async function republish(): Promise<void> {
    dirty = false;
    const viewers = recentViewers();
    for (const [index, userId] of viewers.entries()) {
      if (stopped) return;
      if (index > 0) await new Promise((resolve) => setTimeout(resolve, gapMs).unref());
      try {
        await publish(userId);
      } catch (error) {
        logger.warn({ err: error, user: userId }, "could not republish a Home tab");
      }
    }
    if (viewers.length > 0) logger.debug({ people: viewers.length }, "home tabs republished");
  }

  return {
    opened(userId) {
      openedAt.delete(userId);
      openedAt.set(userId, clock.now());
    },
    changed() {
      if (openedAt.size === 0) return;
      dirty = true;
      schedule();
    },
    async settled() {
      while (timer !== undefined || round !== undefined) {
        await (round ?? new Promise((resolve) => setTimeout(resolve, coalesceMs / 4)));
      }
    },
    stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
    },
  };
}

/** Whether a write changes what some Home shows: a watch's poll bookkeeping does only when it pauses or resumes. */
type Changes<T> = {
  [K in keyof T]?: (...args: T[K] extends (...a: infer A) => unknown ? A : never) => boolean;
};

const HOME_CHANGES: Changes<AsyncStore> = {
  saveAlertThread: () => true,
  setMute: () => true,
  upsertWatch: () => true,
  removeWatch: () => true,
  updateWatchPoll: (_id, update) => "pausedReason" in update,
  createRepeat: () => true,
  finishRepeat: () => true,
  saveReportedCounts: () => true,
  finishFollowUp: () => true,
  takeAlert: () => true,
  releaseAlert: () => true,
  resolveAlert: () => true,
  reopenAlert: () => true,
  markEscalated: () => true,
};

/** The same store, calling `changed` after each write that changes what some Home shows. */
export function noticingHomeChanges(store: AsyncStore, changed: () => void): AsyncStore {
  const noticing: AsyncStore = { ...store };
  for (const key of Object.keys(HOME_CHANGES) as (keyof AsyncStore)[]) {
    const matters = HOME_CHANGES[key] as (...args: unknown[]) => boolean;
    const method = store[key] as (...args: unknown[]) => Promise<unknown>;
    Object.assign(noticing, {
      [key]: async (...args: unknown[]) => {
        const result = await method(...args);
        if (matters(...args)) changed();
        return result;
      },
    });
  }
  return noticing;
}
