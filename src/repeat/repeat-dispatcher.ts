// The durable repeat queue's one dispatcher: whichever replica gets a click only records the repeat (queueRepeat);
// the replica holding the "repeat-dispatcher" lease picks every unfinished repeat up from the store and sends it
// through its one scheduler, so pacing and coalescing hold across replicas. A repeat already under way that no
// driver here owns (its replica died or handed over) goes through the resume path: reconcile in-flight, then drive.
import type { Logger } from "pino";
import type { Lease } from "../cluster/lease.js";
import type { RepeatRecord } from "../store/store.js";
import { parseCustomerRef } from "../workato/customer-ref.js";
import type { RepeatReporter } from "./repeat-reporter.js";
import { type RepeatResumeDeps, resumeRepeat } from "./repeat-resume.js";
import {
  driveRepeat,
  openAndRecordRepeat,
  type RepeatRequest,
  type RepeatRunnerDeps,
} from "./repeat-runner.js";
import type { RepeatDemand, RepeatScheduler } from "./repeat-scheduler.js";

/** What the replica that recorded a repeat tells the queue. */
export interface RepeatQueue {
  /** A repeat was just recorded here: the dispatcher looks now, on this replica or (announced) on the leader. */
  recorded(repeatId: number): void;
}

export interface RepeatDispatcher extends RepeatQueue {
  /** Starts following the lease: while it is held, unfinished repeats are driven from the store. */
  start(): void;
  /**
   * Hand-over: sends nothing more, waits (up to `inFlightWaitMs`) for requests already sent to be answered and
   * recorded, so the next holder never reconciles a request still on its way; the caller then releases the lease.
   */
  stop(inFlightWaitMs?: number): Promise<void>;
}

export interface RepeatDispatcherOptions extends Omit<RepeatResumeDeps, "scheduler"> {
  /** "repeat-dispatcher": only its holder sends repeats */
  lease: Pick<Lease, "isHeld" | "onChange">;
  /** one scheduler per term of the lease: a term that ended must never send again */
  newScheduler(): RepeatScheduler;
  /** how often the holder looks for repeats recorded elsewhere; default 250 ms */
  pollMs?: number;
  /** tells the other replicas a repeat was recorded (Postgres NOTIFY); absent in one process */
  announce?: () => void;
  /** wakes the dispatcher when another replica announced one; returns the unsubscribe */
  onAnnounced?: (wake: () => void) => () => void;
}

const DEFAULT_POLL_MS = 250;
/** A repeat whose drive failed (the store did not answer) is tried again after this long, not at every poll. */
const RETRY_FAILED_AFTER_MS = 5_000;
const DEFAULT_IN_FLIGHT_WAIT_MS = 10_000;

/** A driver's wait ends with this when its term does: the repeat is left to the next term, here or elsewhere. */
class TermEnded extends Error {
  constructor() {
    super("the repeat-dispatcher lease was given up; the next holder carries this repeat on");
  }
}

interface Term {
  readonly scheduler: RepeatScheduler;
  /** rejects with TermEnded when the term ends, so its drivers stop waiting for a scheduler that sends no more */
  readonly ended: Promise<never>;
  end(): void;
  /** repeats a driver of this term is carrying; anything else unfinished is a fresh repeat or a take-over */
  readonly owned: Set<number>;
  /** per demand, the jobs marked in flight and not yet answered */
  readonly inFlight: Set<Set<string>>;
}

/** Records the repeat (it is not sent here) and tells the queue; the one replica's flow for a click or confirmation. */
export async function queueRepeat(
  deps: Pick<RepeatRunnerDeps, "store" | "claims" | "clock"> & { repeatQueue: RepeatQueue },
  request: RepeatRequest,
  reporter: RepeatReporter,
  log: Logger,
): Promise<void> {
  const record = await openAndRecordRepeat(deps, request, reporter, log);
  if (record) deps.repeatQueue.recorded(record.id);
}

export function createRepeatDispatcher(options: RepeatDispatcherOptions): RepeatDispatcher {
  const { lease, store } = options;
  const log = options.logger.child({ component: "repeat-dispatcher" });
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  let term: Term | null = null;
  let stopped = true;
  let pollTimer: NodeJS.Timeout | undefined;
  let scanning: Promise<void> | null = null;
  let scanAgain = false;
  const unsubscribe: (() => void)[] = [];
  // Repeats this process has driven, in any term: taking one up again is not a restart, whatever stopped its drive.
  const drivenHere = new Set<number>();

  function beginTerm(): void {
    if (term || stopped) return;
    let end = () => {};
    const ended = new Promise<never>((_, reject) => {
      end = () => reject(new TermEnded());
    });
    ended.catch(() => {});
    term = { scheduler: options.newScheduler(), ended, end, owned: new Set(), inFlight: new Set() };
    log.info("dispatching repeats: this replica holds the repeat-dispatcher lease");
    scan();
  }

  function endTerm(): Term | null {
    const ended = term;
    if (!ended) return null;
    term = null;
    // The next term (here or elsewhere) takes this term's repeats over from the store.
    ended.scheduler.stop();
    ended.end();
    log.info("no longer dispatching repeats");
    return ended;
  }

  /** One look at the store at a time; a wake during a look asks for another right after. */
  function scan(): void {
    if (scanning) {
      scanAgain = true;
      return;
    }
    scanning = pickUp()
      .catch((error: unknown) => log.error({ err: error }, "could not read unfinished repeats"))
      .finally(() => {
        scanning = null;
        if (scanAgain) {
          scanAgain = false;
          scan();
        }
      });
  }

  async function pickUp(): Promise<void> {
    const current = term;
    if (!current || !lease.isHeld()) return;
    for (const record of await store.unfinishedRepeats()) {
      if (term !== current || !lease.isHeld()) return;
      if (current.owned.has(record.id)) continue;
      current.owned.add(record.id);
      options.background.run("dispatch repeat", () => dispatch(current, record));
    }
  }

  async function dispatch(current: Term, record: RepeatRecord): Promise<void> {
    const repeatLog = options.logger.child({
      repeatId: record.id,
      channel: record.channel,
      user: record.userId,
    });
    const deps = { ...options, scheduler: tracked(current) };
    const before = drivenHere.has(record.id) ? "store_outage" : "restart";
    drivenHere.add(record.id);
    try {
      const jobs = await store.repeatJobs(record.id);
      const fresh =
        jobs.every((job) => job.status.state === "waiting") && (await store.batchesReported(record.id)) === 0;
      const customer = parseCustomerRef(record.customer);
      if (fresh && customer.ok) {
        const jobIds = jobs.map((job) => job.jobId);
        repeatLog.info({ jobs: jobIds.length }, "dispatching repeat");
        await driveRepeat(deps, record, customer.ref, jobIds, options.reporterFor(record), repeatLog);
      } else {
        // Under way before this term: its driver is gone (a crash, a deploy, another replica's hand-over).
        repeatLog.info("taking over a repeat under way");
        await resumeRepeat(deps, record, repeatLog, before);
      }
      current.owned.delete(record.id);
      drivenHere.delete(record.id);
    } catch (error) {
      if (error instanceof TermEnded) {
        repeatLog.info(error.message);
        return;
      }
      repeatLog.error({ err: error }, "could not dispatch a repeat; trying again shortly");
      setTimeout(() => current.owned.delete(record.id), RETRY_FAILED_AFTER_MS).unref();
    }
  }

  /** The term's scheduler, counting what is in flight so a hand-over can wait for the answers. */
  function tracked(current: Term): Pick<RepeatScheduler, "repeat"> {
    return {
      repeat(demand: RepeatDemand) {
        const inFlight = new Set<string>();
        current.inFlight.add(inFlight);
        const answered = (jobIds: readonly string[]) => {
          for (const jobId of jobIds) inFlight.delete(jobId);
        };
        const driven = current.scheduler.repeat({
          ...demand,
          onSend: async (jobIds) => {
            await demand.onSend?.(jobIds);
            for (const jobId of jobIds) inFlight.add(jobId);
          },
          onRetry: async (jobIds) => {
            answered(jobIds);
            await demand.onRetry?.(jobIds);
          },
          onBatch: async (results, batchNumber) => {
            await demand.onBatch?.(results, batchNumber);
            answered(results.map((result) => result.jobId));
          },
        });
        // Answers still arriving after the term ended are recorded and reported (the callbacks above stay wired).
        void driven.finally(() => current.inFlight.delete(inFlight)).catch(() => {});
        return Promise.race([driven, current.ended]);
      },
    };
  }

  function schedulePoll(): void {
    pollTimer = setTimeout(() => {
      if (term) scan();
      if (!stopped) schedulePoll();
    }, pollMs);
    pollTimer.unref();
  }

  return {
    recorded(repeatId) {
      if (term && lease.isHeld()) scan();
      else options.announce?.();
      log.debug({ repeatId, dispatchingHere: term !== null }, "repeat queued");
    },
    start() {
      if (!stopped) return;
      stopped = false;
      unsubscribe.push(lease.onChange((held) => (held ? beginTerm() : endTerm())));
      if (options.onAnnounced) unsubscribe.push(options.onAnnounced(() => term && scan()));
      if (lease.isHeld()) beginTerm();
      schedulePoll();
    },
    async stop(inFlightWaitMs = DEFAULT_IN_FLIGHT_WAIT_MS) {
      stopped = true;
      clearTimeout(pollTimer);
      for (const off of unsubscribe.splice(0)) off();
      const ended = endTerm();
      if (!ended) return;
      const deadline = options.clock.now() + inFlightWaitMs;
      const unanswered = () => [...ended.inFlight].reduce((n, jobs) => n + jobs.size, 0);
      while (unanswered() > 0 && options.clock.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      if (unanswered() > 0) log.warn({ jobs: unanswered() }, "handing over with repeat requests unanswered");
    },
  };
}
