// What became of the failed jobs a person is looking at or clicked, read at interactive priority (fresh for a click
// about to send); a reader that fails outright makes every job "unknown", so no button offers, and no click sends,
// a repeat by guesswork.
import type { Logger } from "pino";
import type { Handling } from "../../lineage/lineage.js";
import type { HandlingLookup, MasterJob } from "../../lineage/lineage-reader.js";
import { parseIsoTime } from "../../time.js";
import type { CustomerRef } from "../../workato/customer-ref.js";
import type { CallPriority } from "../../workato/limits.js";
import type { JobSummary } from "../../workato/schemas.js";
import { isMasterJob, masterJobIdOf } from "../blocks/job-buttons.js";
import type { HandlerDeps } from "../handler-deps.js";

/**
 * `use` "display" may rest on a listing read a few seconds ago; "action" (a click or confirm about to send) on one
 * read after it, so a repeat made in Workato since is never sent again.
 */
export async function readHandling(
  deps: Pick<HandlerDeps, "lineage">,
  target: { customer: CustomerRef; recipeId: number },
  masters: readonly MasterJob[],
  log: Logger,
  use: "display" | "action",
  /** "background" for a redraw no one is waiting on */
  priority: CallPriority = "interactive",
): Promise<HandlingLookup> {
  try {
    return await deps.lineage.read(target.customer, target.recipeId, masters, {
      priority,
      fresh: use === "action",
    });
  } catch (error) {
    log.error({ err: error }, "could not read what became of the jobs; repeat state unknown");
    const unknown: Handling = { kind: "unknown", reason: "repeat state unknown: the bot could not read it" };
    return () => unknown;
  }
}

/** The failed master jobs of a page, each once, with its start where the page shows the master itself. */
export function failedMastersOf(jobs: readonly JobSummary[]): MasterJob[] {
  const masters = new Map<string, MasterJob>();
  for (const job of jobs) {
    if (job.status !== "failed") continue;
    const id = masterJobIdOf(job);
    // A failed repeat's master started earlier, at a time this page does not show.
    const startedAt = isMasterJob(job) ? parseIsoTime(job.started_at) : null;
    const known = masters.get(id);
    if (!known || (known.startedAt === null && startedAt !== null)) masters.set(id, { id, startedAt });
  }
  return [...masters.values()];
}

/**
 * Master jobs known by id (a button's value, a typed command, a confirmed plan), with a time none of them started
 * before when one is known: a button's `t` (s), a recovery's `since` (ms). Without it the listing is read as far
 * as the reader pages, and on a recipe with more repeats than that every job comes out "unknown".
 */
export function mastersById(
  jobIds: readonly string[],
  startedNoEarlierThan: { seconds?: number | undefined } | { ms: number | null } = {},
): MasterJob[] {
  const startedAt =
    "ms" in startedNoEarlierThan
      ? startedNoEarlierThan.ms
      : startedNoEarlierThan.seconds === undefined
        ? null
        : startedNoEarlierThan.seconds * 1000;
  return jobIds.map((id) => ({ id, startedAt }));
}
