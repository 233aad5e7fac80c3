// The one pacing seam for Workato's limits: every call asks its family's budget for a slot, people before background
// work, and background work only within its share so people always find room. Here the interface and the in-process
// implementation (bottleneck); a shared, multi-replica implementation replaces the local one behind the interface.
import { createHash } from "node:crypto";
import { performance } from "node:perf_hooks";
import Bottleneck from "bottleneck";
import { type CallPriority, type FamilyLimit, type LimitFamily, WORKATO_LIMITS } from "./limits.js";

export interface WorkatoBudget {
  /**
   * Runs `task` in the next slot of `family`'s limit: interactive calls before background ones, background ones
   * never above their share. The task awaits `untilSendable` right before its request leaves; it also keeps the
   * family's gap from when the previous request really left (see `sent`), for tasks that do work between their
   * slot and their request (a repeat composes its batch).
   */
  schedule<T>(
    family: LimitFamily,
    priority: CallPriority,
    task: (untilSendable: () => Promise<void>) => Promise<T>,
  ): Promise<T>;
  /** A request of `family` really left now (undici wrote its headers), which may be later than its slot. */
  sent(family: LimitFamily): void;
  /** The most requests a minute background calls of `family` get. */
  backgroundPerMinute(family: LimitFamily): number;
}

/** Background work never takes more than this share of a limit: the rest stays free for people's commands and buttons. */
export const BACKGROUND_SHARE_OF_LIMIT = 0.8;
/**
 * Background requests are spaced 1% wider than their share needs: the time between our sending a request and Workato
 * counting it varies (measured here: a few hundred ms over a minute of polling), and must never tip a minute over.
 */
const BACKGROUND_SPACING_MARGIN = 1.01;

/** The gap between two background requests that keeps them within `perMinute`. */
export function backgroundGapMs(perMinute: number): number {
  return (60_000 / perMinute) * BACKGROUND_SPACING_MARGIN;
}

export interface LocalBudgetOptions {
  /** Workato's figures unless a test wants smaller ones */
  limits?: Partial<Record<LimitFamily, FamilyLimit>>;
  backgroundShare?: number;
}

// bottleneck runs lower numbers first.
const INTERACTIVE_RANK = 2;
const BACKGROUND_RANK = 7;

interface FamilyPacer {
  /** paces request starts of the whole family; they may overlap in flight, as Workato limits starts */
  readonly all: Bottleneck;
  /** one background request at a time enters `all`, and the next only a background gap after it started */
  readonly background: Bottleneck;
  readonly backgroundGapMs: number;
  readonly backgroundPerMinute: number;
  readonly minIntervalMs: number;
  /** when the family's last request really left (performance.now()) */
  lastSentAt: number;
}

/** A budget for this process alone: right while one replica talks to the account. */
export function createLocalBudget(options: LocalBudgetOptions = {}): WorkatoBudget {
  const share = options.backgroundShare ?? BACKGROUND_SHARE_OF_LIMIT;
  const pacers = new Map<LimitFamily, FamilyPacer>();

  function pacerOf(family: LimitFamily): FamilyPacer {
    let pacer = pacers.get(family);
    if (!pacer) {
      const limit = options.limits?.[family] ?? WORKATO_LIMITS[family];
      const backgroundPerMinute = limit.perMinute * share;
      pacer = {
        all: new Bottleneck({ minTime: limit.minIntervalMs }),
        background: new Bottleneck({ maxConcurrent: 1 }),
        backgroundGapMs: backgroundGapMs(backgroundPerMinute),
        backgroundPerMinute,
        minIntervalMs: limit.minIntervalMs,
        lastSentAt: Number.NEGATIVE_INFINITY,
      };
      pacers.set(family, pacer);
    }
    return pacer;
  }

  function gated<T>(pacer: FamilyPacer, task: (untilSendable: () => Promise<void>) => Promise<T>) {
    return () =>
      task(async () => {
        const wait = pacer.lastSentAt + pacer.minIntervalMs - performance.now();
        if (wait > 0) await delay(wait);
        pacer.lastSentAt = performance.now();
      });
  }

  return {
    schedule(family, priority, task) {
      const pacer = pacerOf(family);
      if (priority === "interactive") {
        return pacer.all.schedule({ priority: INTERACTIVE_RANK }, gated(pacer, task));
      }
      // The background turn is held from the moment the request starts until a background gap later, so the share
      // is measured from when requests really went: a stalled event loop catching up never sends a burst.
      return new Promise((resolve, reject) => {
        void pacer.background.schedule(async () => {
          await new Promise<void>((started) => {
            const run = gated(pacer, task);
            pacer.all
              .schedule({ priority: BACKGROUND_RANK }, () => {
                started();
                return run();
              })
              .then(resolve, (error: unknown) => {
                started();
                reject(error);
              });
          });
          await delay(pacer.backgroundGapMs);
        });
      });
    },
    sent(family) {
      const pacer = pacerOf(family);
      pacer.lastSentAt = Math.max(pacer.lastSentAt, performance.now());
    },
    backgroundPerMinute(family) {
      return pacerOf(family).backgroundPerMinute;
    },
  };
}

const shared = new Map<string, WorkatoBudget>();

/** The local budget of this Workato account, shared by every client in the process; the token is only hashed into the key. */
export function localBudgetFor(baseUrl: string, token: string): WorkatoBudget {
  const key = `${new URL(baseUrl).origin}#${createHash("sha256").update(token).digest("hex")}`;
  let budget = shared.get(key);
  if (!budget) {
    budget = createLocalBudget();
    shared.set(key, budget);
  }
  return budget;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
