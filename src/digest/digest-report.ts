// What a channel's daily digest says, gathered from the store alone (no Workato calls): per watched recipe the
// failures alerted in the last 24 hours, how many of them a repeat fixed, what still fails, and stopped recipes.
import type { AccessChecker } from "../access/access-check.js";
import type { DigestSchedule, DigestStore } from "../store/digest-store.js";
import { type AsyncStore, type Promised, RECIPE_STOPPED_SIGNATURE } from "../store/store.js";
import { type CustomerRef, parseCustomerRef } from "../workato/customer-ref.js";

export const DIGEST_PERIOD_MS = 24 * 60 * 60_000;
/** kinds of error named per recipe; the rest are counted */
const KINDS_SHOWN = 3;

export type DigestReportStore = Pick<AsyncStore, "watches" | "botRepeatsOf" | "alertThreads" | "alertState"> &
  Pick<Promised<DigestStore>, "watchFailuresSince">;

export interface DigestRecipe {
  customer: CustomerRef;
  recipeId: number;
  /** failed jobs alerted in the period, a job and its failed repeats counted once (muted kinds are not alerted) */
  failures: number;
  /** the most frequent kinds of error, with their counts */
  kinds: { firstLine: string; count: number }[];
  /** failed jobs a repeat by this bot ran again successfully */
  repeatedAndSucceeded: number;
  /** failed jobs repeated by this bot whose outcome is not known yet */
  repeating: number;
  /** failed jobs neither fixed nor being repeated */
  stillFailing: number;
  /** the recipe was stopped by Workato or a person, as the alert said, and is not known to run again */
  stopped: { cause: string; since: number } | null;
  /** the watch no longer polls (Workato refused it, or the channel went away) */
  pausedReason: string | null;
  /** what people did with the recipe's alerts seen in the period: who has one, who resolved one by hand, escalations */
  onCall: DigestOnCall;
}

export interface DigestOnCall {
  /** Slack user ids of whoever is on an alert now, distinct */
  takenBy: string[];
  /** alerts resolved by hand in the period, with who and why */
  resolvedByHand: { userId: string; reason: string }[];
  /** alerts that escalated (nobody took or resolved them in time) */
  escalated: number;
}

export interface DigestReport {
  schedule: DigestSchedule;
  from: number;
  to: number;
  /** only the recipes of customers the channel may see */
  recipes: DigestRecipe[];
}

export async function buildDigestReport(
  deps: { store: DigestReportStore; access: Pick<AccessChecker, "canView"> },
  schedule: DigestSchedule,
  at: number,
): Promise<DigestReport> {
  const from = at - DIGEST_PERIOD_MS;
  const recipes: DigestRecipe[] = [];
  const stoppedThreads = (await deps.store.alertThreads({ unresolvedSince: 0 })).filter(
    (thread) => thread.signature === RECIPE_STOPPED_SIGNATURE && thread.channel === schedule.channel,
  );
  for (const watch of await deps.store.watches({ channel: schedule.channel })) {
    const parsed = parseCustomerRef(watch.customer);
    if (!parsed.ok) continue;
    // The channel's own rules decide, as for its alerts: a customer it may not see is neither named nor counted.
    const decision = await deps.access.canView(
      { channel: schedule.channel, userId: schedule.setBy },
      parsed.ref,
    );
    if (!decision.ok) continue;
    const failures = await deps.store.watchFailuresSince([watch.id], from);
    const masters = [...new Set(failures.map((failure) => failure.masterJobId))];
    const repeats = await deps.store.botRepeatsOf(watch.customer, watch.recipeId, masters);
    const succeeded = new Set(
      repeats.filter((r) => r.followed?.state === "succeeded").map((r) => r.masterJobId),
    );
    const running = new Set(
      repeats
        .filter((r) => r.followed === null || r.followed.state === "running")
        .map((r) => r.masterJobId)
        .filter((master) => !succeeded.has(master)),
    );
    const stopped = stoppedThreads.find((thread) => thread.watchId === watch.id);
    const onCall = await onCallOf(deps.store, watch.id, from);
    recipes.push({
      customer: parsed.ref,
      recipeId: watch.recipeId,
      failures: masters.length,
      kinds: kindsOf(failures),
      repeatedAndSucceeded: succeeded.size,
      repeating: running.size,
      stillFailing: masters.filter((master) => !succeeded.has(master) && !running.has(master)).length,
      stopped: stopped ? { cause: stopped.firstLine, since: stopped.firstSeenAt } : null,
      pausedReason: watch.pausedReason,
      onCall,
    });
  }
  return { schedule, from, to: at, recipes };
}

/** Who took, resolved by hand or was called for the watch's alerts seen since `from`. */
async function onCallOf(store: DigestReportStore, watchId: number, from: number): Promise<DigestOnCall> {
  const onCall: DigestOnCall = { takenBy: [], resolvedByHand: [], escalated: 0 };
  for (const thread of await store.alertThreads({ watchId })) {
    if (thread.lastSeenAt < from) continue;
    const state = await store.alertState(thread.channel, thread.ts);
    if (!state) continue;
    if (state.takenBy !== null && !onCall.takenBy.includes(state.takenBy)) onCall.takenBy.push(state.takenBy);
    if (state.resolvedBy !== null && state.resolvedAt !== null && state.resolvedAt >= from) {
      onCall.resolvedByHand.push({ userId: state.resolvedBy, reason: state.resolvedReason ?? "" });
    }
    if (state.escalatedSteps > 0) onCall.escalated++;
  }
  return onCall;
}

function kindsOf(failures: readonly { signature: string; firstLine: string }[]): DigestRecipe["kinds"] {
  const kinds = new Map<string, { firstLine: string; count: number }>();
  for (const failure of failures) {
    const kind = kinds.get(failure.signature) ?? { firstLine: failure.firstLine, count: 0 };
    kind.count++;
    kinds.set(failure.signature, kind);
  }
  return [...kinds.values()].sort((a, b) => b.count - a.count).slice(0, KINDS_SHOWN);
}
