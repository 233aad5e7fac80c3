// Whether the store can be written now, told truthfully: every call is watched (a failure marks the store unreachable,
// a write that succeeds marks it reachable again), a cheap write probe runs on a timer, and a SQLite file that was
// deleted or replaced under the running bot is noticed (its inode) and refuses new writes until an operator acts.
import { AsyncLocalStorage } from "node:async_hooks";
import { statSync } from "node:fs";
import type { Logger } from "pino";
import type { Clock } from "../clock.js";
import type { AsyncStore } from "./store.js";

export type StoreCondition =
  | { state: "ok" }
  /** the last call (or probe) failed; the next write that succeeds ends it */
  | { state: "unreachable"; since: number; error: string }
  /** the SQLite file open under the bot is not the one at its path any more: nothing written now would be kept */
  | { state: "gone"; since: number; reason: string };

/** Thrown instead of writing to a store that is gone, so nothing the bot cannot keep is confirmed. */
export class StoreGoneError extends Error {
  override readonly name = "StoreGoneError";
}

/** Which calls change the store: a write that succeeds proves the store can be written; a read does not. */
const CALL_KINDS: Readonly<Record<keyof AsyncStore, "read" | "write" | "close">> = {
  createRepeat: "write",
  markInFlight: "write",
  recordResults: "write",
  markWaiting: "write",
  finishRepeat: "write",
  unfinishedRepeats: "read",
  repeatJobs: "read",
  batchesReported: "read",
  markResultsPosted: "write",
  unpostedResults: "read",
  recentRepeats: "read",
  claim: "write",
  release: "write",
  forgetClaimsBefore: "write",
  upsertWatch: "write",
  removeWatch: "write",
  watches: "read",
  watch: "read",
  updateWatchPoll: "write",
  setMute: "write",
  mutedUntil: "read",
  mutedBy: "read",
  mutes: "read",
  alertThread: "read",
  saveAlertThread: "write",
  alertThreads: "read",
  botRepeatsOf: "read",
  startFollowUp: "write",
  followUpOf: "read",
  unfinishedFollowUps: "read",
  followedJobs: "read",
  recordFollowedOutcomes: "write",
  markFailedAgainReported: "write",
  saveReportedCounts: "write",
  finishFollowUp: "write",
  saveSummaryTs: "write",
  summaryTsOf: "read",
  saveRecoveryPlan: "write",
  recoveryPlan: "read",
  stopRecovery: "write",
  saveDigest: "write",
  removeDigest: "write",
  digestOf: "read",
  digests: "read",
  claimDigestDay: "write",
  recordWatchFailures: "write",
  watchFailuresSince: "read",
  forgetWatchFailuresBefore: "write",
  refusedRepeatsOf: "read",
  saveView: "write",
  views: "read",
  alertState: "read",
  takeAlert: "write",
  releaseAlert: "write",
  resolveAlert: "write",
  reopenAlert: "write",
  handResolvedJobs: "read",
  markEscalated: "write",
  setEscalation: "write",
  escalationOf: "read",
  close: "close",
};

export type StoreCallKind = "read" | "write";

/** The kind of each store method (close aside), for wrappers that treat reads and writes differently. */
export function storeCallKind(method: keyof AsyncStore): StoreCallKind | "close" {
  return CALL_KINDS[method];
}

/**
 * Wraps every method of a store with `around`; close passes through. One typed loop over CALL_KINDS, so a method
 * added to the Store interface and not classified there does not compile.
 */
export function wrapStoreCalls(
  store: AsyncStore,
  around: (method: keyof AsyncStore, kind: StoreCallKind, call: () => Promise<unknown>) => Promise<unknown>,
): AsyncStore {
  const wrapped: Record<string, unknown> = {};
  for (const method of Object.keys(CALL_KINDS) as (keyof AsyncStore)[]) {
    const original = store[method] as (...args: unknown[]) => Promise<unknown>;
    const kind = CALL_KINDS[method];
    wrapped[method] =
      kind === "close"
        ? (...args: unknown[]) => original.apply(store, args)
        : (...args: unknown[]) => around(method, kind, () => original.apply(store, args));
  }
  // Every key of AsyncStore is set above, each with the original's signature.
  return wrapped as unknown as AsyncStore;
}

/**
 * An error that says the database cannot be reached or written (from calls that do not go through the watched
 * store, such as the shared tables replicas coordinate through): network errors, Postgres's connection, shutdown and
 * resource classes (08, 53, 57), SQLite's disk and I/O errors.
 */
export function isStoreOutage(error: unknown): boolean {
  if (error instanceof StoreGoneError) return true;
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === "string") {
    if (/^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENOTFOUND)$/.test(code)) return true;
    if (/^(08|53|57)[0-9A-Z]{3}$/.test(code)) return true;
    if (/^SQLITE_(FULL|IOERR|READONLY|CANTOPEN|CORRUPT|NOTADB|BUSY|LOCKED)/.test(code)) return true;
  }
  return /Connection terminated|timeout exceeded when trying to connect/.test(error.message);
}

// ── What one command saw of the store ──────────────────────────────────────────────────────────────────────────

/** The store calls made on behalf of one piece of work (a command), followed through its async calls. */
export interface StoreCallsSeen {
  /** calls not yet answered */
  pending: number;
  /** writes among them: while one is unanswered, whether it changed anything is not known */
  pendingWrites: number;
  /** a call failed (or was refused): what the work answers may rest on state it could not read or write */
  failed: boolean;
}

const seenByWork = new AsyncLocalStorage<StoreCallsSeen>();

/** Runs work while counting in `seen` the store calls it makes, however deep in its callees they are. */
export function watchStoreCalls<T>(seen: StoreCallsSeen, work: () => Promise<T>): Promise<T> {
  return seenByWork.run(seen, work);
}

// ── The health of the store ──────────────────────────────────────────────────────────────────────────────────

export interface StoreHealthRecorder {
  /** a store call failed (counted in store_errors_total) */
  storeError(kind: StoreCallKind): void;
  /** 1 while the store can be written, 0 while it cannot */
  storeUp(up: boolean): void;
}

export interface StoreHealth {
  condition(): StoreCondition;
  /** the store every part of the app uses: watched, and refusing writes once the file is gone */
  readonly store: AsyncStore;
  /** Starts the probe (and the file check); the first runs after `everyMs`. */
  start(): void;
  stop(): void;
  /** one probe and file check now; what the timer runs */
  check(): Promise<StoreCondition>;
}

export interface StoreHealthOptions {
  store: AsyncStore;
  clock: Clock;
  logger: Logger;
  metrics?: StoreHealthRecorder;
  /** the probe's interval, default 5 s */
  everyMs?: number;
  /** the SQLite file the store has open (not ":memory:"): checked for being deleted or replaced */
  sqlitePath?: string;
  /** names this replica's probe row among replicas sharing one database */
  replica: string;
}

const DEFAULT_PROBE_MS = 5000;

interface FileIdentity {
  dev: number;
  ino: number;
}

function identityOf(path: string): FileIdentity | null {
  try {
    const stats = statSync(path);
    return { dev: stats.dev, ino: stats.ino };
  } catch {
    return null;
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === "string" ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}

export function createStoreHealth(options: StoreHealthOptions): StoreHealth {
  const { clock, metrics } = options;
  const log = options.logger.child({ component: "store-health" });
  const everyMs = options.everyMs ?? DEFAULT_PROBE_MS;
  const opened =
    options.sqlitePath !== undefined && options.sqlitePath !== ":memory:"
      ? identityOf(options.sqlitePath)
      : null;
  let condition: StoreCondition = { state: "ok" };
  let timer: NodeJS.Timeout | undefined;
  let probes = 0;
  let stopped = false;
  metrics?.storeUp(true);

  function failed(kind: StoreCallKind, error: unknown): void {
    metrics?.storeError(kind);
    // A call cut short by shutdown closing the store is not an outage.
    if (condition.state === "gone" || stopped) return;
    if (condition.state === "ok") {
      log.error(
        { err: error, kind },
        "the store cannot be used: commands answer that the database is unreachable",
      );
      metrics?.storeUp(false);
    }
    condition = { state: "unreachable", since: clock.now(), error: describe(error) };
  }

  function wrote(): void {
    if (condition.state !== "unreachable") return;
    log.warn({ downForMs: clock.now() - condition.since }, "the store can be written again");
    condition = { state: "ok" };
    metrics?.storeUp(true);
  }

  const store = wrapStoreCalls(options.store, async (method, kind, call) => {
    const seen = seenByWork.getStore();
    if (kind === "write" && condition.state === "gone") {
      if (seen) seen.failed = true;
      metrics?.storeError("write");
      throw new StoreGoneError(`not written (${method}): ${condition.reason}`);
    }
    if (seen) {
      seen.pending += 1;
      if (kind === "write") seen.pendingWrites += 1;
    }
    try {
      const result = await call();
      if (kind === "write") wrote();
      return result;
    } catch (error) {
      if (seen) seen.failed = true;
      failed(kind, error);
      throw error;
    } finally {
      if (seen) {
        seen.pending -= 1;
        if (kind === "write") seen.pendingWrites -= 1;
      }
    }
  });

  /** The file the store has open is still the one at its path; otherwise the store is gone, for good. */
  function checkFile(): void {
    if (opened === null || options.sqlitePath === undefined || condition.state === "gone") return;
    const now = identityOf(options.sqlitePath);
    if (now !== null && now.dev === opened.dev && now.ino === opened.ino) return;
    // The path is in the log only: /healthz may be public.
    const reason =
      now === null
        ? "the SQLite file was deleted while the bot ran"
        : "the SQLite file was replaced by another file while the bot ran";
    condition = { state: "gone", since: clock.now(), reason };
    metrics?.storeUp(false);
    // Loud on purpose: nothing the bot writes now would be seen again, so it takes no new work until an operator
    // restores the file or restarts the bot on purpose.
    log.fatal(
      { path: options.sqlitePath },
      `${reason} (${options.sqlitePath}): the bot takes no new work; restore the file, or restart the bot on purpose`,
    );
  }

  async function probe(): Promise<void> {
    if (condition.state === "gone") return;
    // A row written and removed: a real write (a disk that is full or read-only fails it), cheap, and its own key
    // per replica and per probe, so no leftover of a crash can make it a no-op.
    probes += 1;
    const key = `health-probe:${options.replica}:${probes}`;
    const written = (async () => {
      await store.claim(key, "health-probe", clock.now());
      await store.release(key);
    })().catch(() => {
      // Recorded by the wrapper.
    });
    // A database that takes no connection and answers nothing fails no call: a probe unanswered for a whole interval
    // says it is unreachable all the same (the write that lands at last makes it reachable again).
    let unanswered: NodeJS.Timeout | undefined;
    const silence = new Promise<void>((resolve) => {
      unanswered = setTimeout(() => {
        failed("write", new Error(`the store answered no write for ${everyMs} ms`));
        resolve();
      }, everyMs);
      unanswered.unref();
    });
    await Promise.race([written, silence]);
    clearTimeout(unanswered);
  }

  async function check(): Promise<StoreCondition> {
    checkFile();
    await probe();
    return condition;
  }

  function schedule(): void {
    timer = setTimeout(() => {
      check().finally(() => {
        if (timer !== undefined) schedule();
      });
    }, everyMs);
    timer.unref();
  }

  return {
    condition: () => condition,
    store,
    start() {
      stopped = false;
      if (timer === undefined) schedule();
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
      timer = undefined;
    },
    check,
  };
}
