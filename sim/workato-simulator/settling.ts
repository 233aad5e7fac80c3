// How repeats end: the settling policy, per-master scripts, the timers that finish pending repeats, and finishing a job.
import { DEFAULT_FAILURE_MESSAGE, defaultDurationMs, defaultLines } from "./job-defaults.js";
import type { SimState } from "./state.js";
import type { RepeatOutcome, SettleRepeatsOptions, SimJob } from "./types.js";

export interface RepeatSettler {
  /** null: repeats stay pending (the default, as before settling existed) */
  setPolicy(policy: SettleRepeatsOptions | null): void;
  script(masterJobId: string, outcomes: readonly RepeatOutcome[]): void;
  /** Called for every new repeat, `n` being which repeat of its master it is (1-based). */
  enqueued(repeat: SimJob, n: number, override?: { outcome?: RepeatOutcome; afterMs?: number }): void;
  settle(jobId: string, outcome: "succeeded" | "failed", errorMessage?: string): SimJob;
  /** Settles every pending repeat now by its scripted or policy outcome ("succeeded" when neither says; "pending" stays). */
  settleAllPending(): SimJob[];
  close(): void;
}

function pick<T>(value: T | ((masterJobId: string, n: number) => T), masterJobId: string, n: number): T {
  return typeof value === "function"
    ? (value as (masterJobId: string, n: number) => T)(masterJobId, n)
    : value;
}

export function createRepeatSettler(state: SimState, now: () => Date): RepeatSettler {
  let policy: SettleRepeatsOptions | null = null;
  const scripts = new Map<string, readonly RepeatOutcome[]>();
  const timers = new Map<string, NodeJS.Timeout>();
  /** n per pending repeat, so a later settleAllPending() asks the script/policy the same question */
  const ordinals = new Map<string, number>();

  function outcomeFor(masterJobId: string, n: number): RepeatOutcome | undefined {
    const scripted = scripts.get(masterJobId)?.[n - 1];
    if (scripted !== undefined) return scripted;
    return policy === null ? undefined : pick(policy.outcome ?? "succeeded", masterJobId, n);
  }

  /** A finished repeat looks like a finished job: completed_at, all step lines (or up to the failing one), error. */
  function finish(job: SimJob, outcome: "succeeded" | "failed", errorMessage?: string): void {
    const timer = timers.get(job.id);
    if (timer !== undefined) clearTimeout(timer);
    timers.delete(job.id);
    ordinals.delete(job.id);
    const master = state.job(job.masterJobId);
    const sequence = job.startedAt.getTime() % 10_007;
    const trigger = job.lines[0];
    const steps = defaultLines(sequence, outcome);
    job.status = outcome;
    // The clock may stand still in tests: completed_at stays after started_at all the same.
    const earliest = job.startedAt.getTime() + defaultDurationMs(sequence);
    job.completedAt = new Date(Math.max(now().getTime(), earliest));
    job.lines = trigger === undefined ? steps : [trigger, ...steps.slice(1)];
    job.error =
      outcome === "succeeded"
        ? null
        : (errorMessage ?? policy?.errorMessage ?? master?.error ?? DEFAULT_FAILURE_MESSAGE);
  }

  function settle(jobId: string, outcome: "succeeded" | "failed", errorMessage?: string): SimJob {
    const job = state.job(jobId);
    if (job === undefined) throw new Error(`Simulator: no job ${jobId}`);
    if (job.status !== "pending") throw new Error(`Simulator: job ${jobId} is ${job.status}, not pending`);
    finish(job, outcome, errorMessage);
    return job;
  }

  return {
    setPolicy(next) {
      policy = next;
    },
    script(masterJobId, outcomes) {
      scripts.set(masterJobId, [...outcomes]);
    },
    enqueued(repeat, n, override = {}) {
      ordinals.set(repeat.id, n);
      const outcome = override.outcome ?? outcomeFor(repeat.masterJobId, n);
      if (outcome === undefined || outcome === "pending") return;
      const afterMs =
        override.afterMs ?? (policy === null ? 0 : pick(policy.afterMs ?? 0, repeat.masterJobId, n));
      const timer = setTimeout(() => {
        timers.delete(repeat.id);
        if (repeat.status === "pending") finish(repeat, outcome);
      }, afterMs);
      // A test that forgets close() must not be kept alive by a repeat still to settle.
      timer.unref();
      timers.set(repeat.id, timer);
    },
    settle,
    settleAllPending() {
      const settled: SimJob[] = [];
      for (const customer of state.customers()) {
        for (const recipe of customer.recipes.values()) {
          for (const job of recipe.jobs) {
            if (job.status !== "pending" || !job.isRepeat) continue;
            const outcome = outcomeFor(job.masterJobId, ordinals.get(job.id) ?? 1);
            // A repeat scripted to stay running stays running: this is "time passes", not "force everything".
            if (outcome === "pending") continue;
            finish(job, outcome ?? "succeeded");
            settled.push(job);
          }
        }
      }
      return settled;
    },
    close() {
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
    },
  };
}
