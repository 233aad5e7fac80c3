// The jobs this bot repeated and has no clear answer for: still queued, on the wire, or answered "unknown" (the
// request may have run). Neither Workato's listing (read earlier, or cached) nor the bot's enqueued repeats show
// them, so without this a second click would send the same job again.
import type { BotRepeatQueue } from "./store-seams.js";

/** Newest repeats of one recipe looked at for unclear answers; more than this finishing within a cache time is rare. */
const RECENT_REPEATS = 50;

/** Master job id → the unfinished repeat of this bot carrying it, for the jobs asked about. */
export async function unansweredRepeatsOf(
  queue: BotRepeatQueue,
  customer: string,
  recipeId: number,
  asked: ReadonlySet<string>,
): Promise<Map<string, number>> {
  const carrying = new Map<string, number>();
  for (const repeat of await queue.unfinishedRepeats()) {
    if (repeat.customer !== customer || repeat.recipeId !== recipeId) continue;
    await addUnclearJobs(queue, repeat.id, asked, carrying, true);
  }
  return carrying;
}

/**
 * Master job id → a finished repeat of this bot that got no clear answer for it, finished at or after
 * `listingReadFrom`: such a request may have run after Workato's listing was read, so the listing cannot rule it out.
 */
export async function unclearAnswersSince(
  queue: BotRepeatQueue,
  customer: string,
  recipeId: number,
  asked: ReadonlySet<string>,
  listingReadFrom: number,
): Promise<Map<string, number>> {
  const unclear = new Map<string, number>();
  const rows = await queue.recentRepeats({ customer, recipeId, limit: RECENT_REPEATS });
  for (const { repeat, unknown } of rows) {
    if (unknown === 0 || repeat.finishedAt === null || repeat.finishedAt < listingReadFrom) continue;
    await addUnclearJobs(queue, repeat.id, asked, unclear, false);
  }
  return unclear;
}

async function addUnclearJobs(
  queue: BotRepeatQueue,
  repeatId: number,
  asked: ReadonlySet<string>,
  into: Map<string, number>,
  withUnsent: boolean,
): Promise<void> {
  for (const job of await queue.repeatJobs(repeatId)) {
    if (!asked.has(job.jobId)) continue;
    const { status } = job;
    const unclear =
      (withUnsent && (status.state === "waiting" || status.state === "in_flight")) ||
      (status.state === "done" && status.result.outcome === "unknown");
    if (unclear) into.set(job.jobId, repeatId);
  }
}
