// Escalation: an open alert nobody took ("I'm on it") or resolved, after each step's time, mentions the next in line
// in its thread, once per step, and shows "escalated to …" on the alert. The step is recorded before the reply is
// posted, so replicas and restarts never call the same step twice (a reply lost to a Slack error is not retried:
// a missed ping beats a doubled one at 3 a.m.). A muted, taken, resolved or paused alert never escalates.
import type { Logger } from "pino";
import type { EscalationStep } from "../store/alert-state-store.js";
import type { AlertThreadRecord, AsyncStore, WatchRecord } from "../store/store.js";
import { parseCustomerRef } from "../workato/customer-ref.js";
import { RESOLUTION_HORIZON_MS } from "./alert-resolution.js";
import type { AlertSink } from "./alert-sink.js";
import { type OnCallRedrawDeps, redrawOnCall } from "./on-call-redraw.js";

export interface EscalationDeps extends OnCallRedrawDeps {
  store: OnCallRedrawDeps["store"] &
    Pick<AsyncStore, "alertThreads" | "watch" | "escalationOf" | "markEscalated" | "mutedUntil">;
  alerts: AlertSink;
  log: Logger;
}

export interface EscalationRound {
  /** open alerts of watches with escalation steps */
  checked: number;
  /** steps called this round */
  escalated: number;
}

/** One pass over the open alerts at time `at`. */
export async function escalateOpenAlerts(deps: EscalationDeps, at: number): Promise<EscalationRound> {
  const open = await deps.store.alertThreads({ unresolvedSince: at - RESOLUTION_HORIZON_MS });
  const alerts = new Map<string, AlertThreadRecord[]>();
  for (const thread of open) {
    const key = `${thread.watchId}\u0000${thread.channel}\u0000${thread.ts}`;
    alerts.set(key, [...(alerts.get(key) ?? []), thread]);
  }
  const round: EscalationRound = { checked: 0, escalated: 0 };
  const watches = new Map<number, { watch: WatchRecord | undefined; steps: EscalationStep[] }>();
  for (const threads of alerts.values()) {
    const first = threads[0];
    if (!first) continue;
    if (!watches.has(first.watchId)) {
      watches.set(first.watchId, {
        watch: await deps.store.watch(first.watchId),
        steps: await deps.store.escalationOf(first.watchId),
      });
    }
    const { watch, steps } = watches.get(first.watchId) ?? { watch: undefined, steps: [] };
    if (!watch || watch.pausedReason !== null || steps.length === 0) continue;
    round.checked++;
    round.escalated += await escalateOne(deps, watch, steps, threads, at);
  }
  return round;
}

async function escalateOne(
  deps: EscalationDeps,
  watch: WatchRecord,
  steps: readonly EscalationStep[],
  threads: readonly AlertThreadRecord[],
  at: number,
): Promise<number> {
  const first = threads[0];
  const customer = parseCustomerRef(watch.customer);
  if (!first || !customer.ok) return 0;
  const state = await deps.store.alertState(first.channel, first.ts);
  if (state?.takenBy || state?.resolvedBy) return 0;
  if (await isMuted(deps.store, watch.id, threads, at)) return 0;
  const postedAt = Math.min(...threads.map((thread) => thread.firstSeenAt));
  const key = { channel: first.channel, ts: first.ts, watchId: watch.id };
  const log = deps.log.child({ watch: watch.id, ts: first.ts });
  let called = 0;
  for (let step = (state?.escalatedSteps ?? 0) + 1; step <= steps.length; step++) {
    const due = steps[step - 1];
    if (!due || at - postedAt < due.afterMs) break;
    // Recorded first: another replica (or this one after a restart) finds the step taken and stays quiet.
    if (!(await deps.store.markEscalated(key, step))) break;
    const target = { watch, customer: customer.ref, recipeName: null };
    const posted = await deps.alerts.postEscalation({
      target,
      channel: first.channel,
      threadTs: first.ts,
      mentions: due.mentions,
      afterMs: due.afterMs,
    });
    if (!posted.ok) log.warn({ step, slackError: posted.error }, "escalation reply not posted");
    else log.info({ step, mentions: due.mentions.length }, "alert escalated");
    called++;
  }
  if (called > 0) await redrawOnCall(deps, { watch, customer: customer.ref, threads }, at, "background", log);
  return called;
}

/** The whole watch muted, or every kind the alert shows. */
async function isMuted(
  store: Pick<AsyncStore, "mutedUntil">,
  watchId: number,
  threads: readonly AlertThreadRecord[],
  at: number,
): Promise<boolean> {
  if (((await store.mutedUntil(watchId, "*")) ?? 0) > at) return true;
  for (const thread of threads)
    if (((await store.mutedUntil(watchId, thread.signature)) ?? 0) <= at) return false;
  return true;
}
