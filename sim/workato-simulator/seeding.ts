// seedFailures: an outage's worth of failed master jobs spread over a time range, some already repeated.
import type { SimState } from "./state.js";
import type { RepeatOutcome, SeededFailures, SeedFailuresOptions, SimJob } from "./types.js";

interface PlannedJob {
  at: number;
  create(): void;
}

/** Spreads `part` of `total` slots evenly: slot i is chosen when the running share crosses an integer. */
function isChosen(i: number, part: number, total: number): boolean {
  return Math.floor(((i + 1) * part) / total) > Math.floor((i * part) / total);
}

export function seedFailures(state: SimState, options: SeedFailuresOptions): SeededFailures {
  const { customer, recipeId, count, from, to, errorMessage } = options;
  const succeededCount = options.succeeded ?? 0;
  const repeated = options.repeated ?? {};
  const outcomes: RepeatOutcome[] = [
    ...Array<RepeatOutcome>(repeated.succeeded ?? 0).fill("succeeded"),
    ...Array<RepeatOutcome>(repeated.pending ?? 0).fill("pending"),
    ...Array<RepeatOutcome>(repeated.failed ?? 0).fill("failed"),
  ];
  if (!(to.getTime() > from.getTime())) throw new Error("seedFailures: `to` must be after `from`");
  if (!Number.isInteger(count) || count < 0)
    throw new Error("seedFailures: count must be a whole number ≥ 0");
  if (outcomes.length > count) throw new Error("seedFailures: more repeated jobs than failures");
  state.requireRecipe(customer, recipeId);

  const total = count + succeededCount;
  const spacingMs = (to.getTime() - from.getTime()) / Math.max(total, 1);
  const failures: SimJob[] = [];
  const succeeded: SimJob[] = [];
  const repeats: SimJob[] = [];
  const plan: PlannedJob[] = [];

  // Slot i starts at from + i·spacing; which slots are successes, and which failures were repeated, is spread evenly.
  let failureIndex = 0;
  for (let slot = 0; slot < total; slot++) {
    const at = from.getTime() + slot * spacingMs;
    const startedAt = new Date(Math.floor(at));
    if (succeededCount > 0 && isChosen(slot, succeededCount, total)) {
      plan.push({ at, create: () => void succeeded.push(state.addJob(customer, recipeId, { startedAt })) });
      continue;
    }
    // Counted from the newest failure, so `repeated` lands on the most recent ones first when not all are repeated.
    const fromNewest = count - 1 - failureIndex;
    failureIndex++;
    let master: SimJob | undefined;
    plan.push({
      at,
      create: () => {
        master = state.addJob(customer, recipeId, {
          status: "failed",
          startedAt,
          ...(errorMessage !== undefined ? { error: errorMessage } : {}),
        });
        failures.push(master);
      },
    });
    if (outcomes.length === 0 || !isChosen(fromNewest, outcomes.length, count)) continue;
    const outcome = outcomes[Math.floor((fromNewest * outcomes.length) / count)] ?? "succeeded";
    // Halfway to the next slot: after its master, before the next job, so paging sees them interleaved.
    const repeatAt = at + Math.max(spacingMs / 2, 1);
    plan.push({
      at: repeatAt,
      create: () => {
        if (master === undefined) return;
        const repeat = state.addJob(customer, recipeId, {
          status: outcome,
          startedAt: new Date(Math.floor(repeatAt)),
          isRepeat: true,
          masterJobId: master.id,
          title: master.title,
          ...(outcome === "pending" ? { completedAt: null, lines: master.lines.slice(0, 1) } : {}),
          ...(outcome === "failed" ? { error: master.error } : {}),
        });
        master.repeatCount += 1;
        repeats.push(repeat);
      },
    });
  }
  // Created oldest first, so each addition is a push when the range is newer than the recipe's other jobs.
  plan.sort((a, b) => a.at - b.at);
  for (const job of plan) job.create();
  return { failures: failures.reverse(), repeats: repeats.reverse(), succeeded: succeeded.reverse() };
}
