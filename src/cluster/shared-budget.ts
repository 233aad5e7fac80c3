// The Workato budget shared by every replica on one Postgres: each family's limit is a rate-limiter-flexible counter
// in the database (fixed windows planned in limit-windows.ts), background work takes a second, smaller counter first,
// and people's calls on this replica go before its background calls. repeat_jobs stays with the repeat dispatcher.
import type { Pool } from "pg";
import type { Logger } from "pino";
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import type { Clock } from "../clock.js";
import { queryRows } from "../store/postgres-pool.js";
import { BACKGROUND_SHARE_OF_LIMIT, createLocalBudget, type WorkatoBudget } from "../workato/budget.js";
import { type CallPriority, type FamilyLimit, type LimitFamily, WORKATO_LIMITS } from "../workato/limits.js";
import { BUDGET_TABLE } from "./cluster-schema.js";
import {
  planWindows,
  sustainedPerMinute,
  type WindowMargins,
  type WindowPlan,
  WORKATO_WINDOW_MARGINS,
} from "./limit-windows.js";

export interface SharedBudgetOptions {
  pool: Pool;
  /**
   * The system clock in production: rate-limiter-flexible dates its windows by Date.now(), and this clock is what
   * the replica's skew against the database is measured with at start.
   */
  clock: Clock;
  logger: Logger;
  /** Workato's figures unless a test wants smaller ones; perMinute counts per `margins.countingWindowMs` */
  limits?: Partial<Record<LimitFamily, FamilyLimit>>;
  backgroundShare?: number;
  margins?: Partial<WindowMargins>;
  /**
   * repeat_jobs pacing. Default: this process's local budget, which is right because one elected dispatcher (under
   * its lease) sends every repeat; the lease's fence margin and release gap keep the 1 s gap across a hand-over.
   */
  repeatBudget?: WorkatoBudget;
  /** While Postgres does not answer, each replica paces itself alone at 1/this of every limit; default 4. */
  fallbackReplicas?: number;
}

type SharedFamily = Exclude<LimitFamily, "repeat">;

/** Background callers retry a full window this much after people's, so a fresh window goes to people first. */
const BACKGROUND_YIELD_MS = 25;
/** How long to wait before asking a counter again after Postgres failed. */
const STORE_RETRY_MS = 1_000;
/** Skew above half the planned allowance is worth a warning: two replicas may be off in opposite directions. */
const SKEW_WARNING_SHARE = 0.5;

interface Waiter {
  resolve(): void;
}

interface Counter {
  shared: RateLimiterPostgres;
  /** used while the database does not answer */
  fallback: RateLimiterMemory;
  plan: WindowPlan;
  key: string;
}

interface FamilyGate {
  all: Counter;
  background: Counter;
  people: Waiter[];
  backgroundWaiters: Waiter[];
  /** the background call at the head of the queue already took its background slot */
  backgroundSlotTaken: boolean;
  pumping: boolean;
  wake: (() => void) | null;
}

/** Opens the budget after checking its table exists and this replica's clock agrees with the database's. */
export async function openSharedBudget(options: SharedBudgetOptions): Promise<WorkatoBudget> {
  const margins = { ...WORKATO_WINDOW_MARGINS, ...options.margins };
  const log = options.logger.child({ component: "shared-budget" });
  await queryRows(options.pool, `SELECT 1 FROM ${BUDGET_TABLE} LIMIT 0`);
  const skewMs = await clockSkewMs(options.pool, options.clock);
  if (Math.abs(skewMs) > margins.clockSkewMs * SKEW_WARNING_SHARE) {
    log.warn(
      { skewMs, allowedMs: margins.clockSkewMs },
      "this replica's clock is off from the database's: Workato's limits may be exceeded; sync the clock (NTP)",
    );
  }
  const share = options.backgroundShare ?? BACKGROUND_SHARE_OF_LIMIT;
  const fallbackReplicas = options.fallbackReplicas ?? 4;
  const repeat =
    options.repeatBudget ?? createLocalBudget({ limits: { repeat: limitOf("repeat", options) } });
  const gates = new Map<SharedFamily, FamilyGate>();

  function counter(family: SharedFamily, lane: "all" | "background", limit: number): Counter {
    const plan = planWindows(limit, margins);
    const duration = plan.durationMs / 1000;
    return {
      shared: new RateLimiterPostgres({
        storeClient: options.pool,
        tableName: BUDGET_TABLE,
        tableCreated: true,
        clearExpiredByTimeout: false,
        keyPrefix: "workato",
        points: plan.points,
        duration,
      }),
      fallback: new RateLimiterMemory({
        points: Math.max(1, Math.floor(plan.points / fallbackReplicas)),
        duration,
      }),
      plan,
      key: `${family}:${lane}`,
    };
  }

  function gateOf(family: SharedFamily): FamilyGate {
    let gate = gates.get(family);
    if (!gate) {
      const limit = limitOf(family, options).perMinute;
      gate = {
        all: counter(family, "all", limit),
        background: counter(family, "background", Math.floor(limit * share)),
        people: [],
        backgroundWaiters: [],
        backgroundSlotTaken: false,
        pumping: false,
        wake: null,
      };
      log.info(
        { family, all: gate.all.plan, background: gate.background.plan },
        "shared Workato budget: windows planned",
      );
      gates.set(family, gate);
    }
    return gate;
  }

  let storeDown = false;
  const reachable = () => {
    if (storeDown) log.info("shared budget reachable again");
    storeDown = false;
  };

  /** 0 when a slot was taken, else how long until the counter's window ends. */
  async function take(counter: Counter): Promise<number> {
    try {
      await counter.shared.consume(counter.key);
      reachable();
      return 0;
    } catch (refusal) {
      if (refusal instanceof RateLimiterRes) {
        reachable();
        return Math.max(1, refusal.msBeforeNext);
      }
      if (!storeDown) log.warn({ err: refusal }, "shared budget unreachable: pacing this replica alone");
      storeDown = true;
      try {
        await counter.fallback.consume(counter.key);
        return 0;
      } catch (fallbackRefusal) {
        if (fallbackRefusal instanceof RateLimiterRes) return Math.max(1, fallbackRefusal.msBeforeNext);
        return STORE_RETRY_MS;
      }
    }
  }

  // One loop per family and replica asks the counters, so waiting calls cost no queries: people first, then
  // background calls, each of which must win a background slot before it may compete for the family's slot.
  async function pump(gate: FamilyGate): Promise<void> {
    if (gate.pumping) return;
    gate.pumping = true;
    try {
      for (;;) {
        const person = gate.people[0];
        const next = person ?? gate.backgroundWaiters[0];
        if (!next) return;
        let waitMs: number;
        if (!person && !gate.backgroundSlotTaken) {
          waitMs = await take(gate.background);
          if (waitMs === 0) gate.backgroundSlotTaken = true;
        } else {
          waitMs = await take(gate.all);
          if (waitMs === 0) {
            if (person) gate.people.shift();
            else {
              gate.backgroundWaiters.shift();
              gate.backgroundSlotTaken = false;
            }
            next.resolve();
          }
        }
        if (waitMs > 0) await sleep(gate, person ? waitMs : waitMs + BACKGROUND_YIELD_MS);
      }
    } finally {
      gate.pumping = false;
    }
  }

  function slot(family: SharedFamily, priority: CallPriority): Promise<void> {
    const gate = gateOf(family);
    return new Promise<void>((resolve) => {
      if (priority === "interactive") {
        gate.people.push({ resolve });
        // A person arriving while background calls wait out a window is served at the window's end, not after.
        gate.wake?.();
      } else {
        gate.backgroundWaiters.push({ resolve });
      }
      void pump(gate);
    });
  }

  return {
    async schedule(family, priority, task) {
      if (family === "repeat") return repeat.schedule(family, priority, task);
      await slot(family, priority);
      // The slot is the request's: nothing more to wait for before it leaves.
      return task(async () => {});
    },
    sent(family) {
      if (family === "repeat") repeat.sent(family);
    },
    backgroundPerMinute(family) {
      if (family === "repeat") return repeat.backgroundPerMinute(family);
      return sustainedPerMinute(gateOf(family).background.plan);
    },
  };
}

function limitOf(family: LimitFamily, options: SharedBudgetOptions): FamilyLimit {
  return options.limits?.[family] ?? WORKATO_LIMITS[family];
}

/** Sleeps `ms`, or less if a person's call arrives meanwhile. */
function sleep(gate: FamilyGate, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      gate.wake = null;
      resolve();
    };
    const timer = setTimeout(done, ms);
    gate.wake = done;
  });
}

/** The database's clock minus this replica's, halfway through one round trip. */
export async function clockSkewMs(pool: Pool, clock: Clock): Promise<number> {
  const before = clock.now();
  const rows = await queryRows<{ ms: number }>(
    pool,
    "SELECT (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS ms",
  );
  const after = clock.now();
  const databaseMs = rows[0]?.ms;
  if (databaseMs === undefined) throw new Error("the database did not tell its time");
  return databaseMs - (before + after) / 2;
}
