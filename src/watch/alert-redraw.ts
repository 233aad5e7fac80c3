// Redrawing one alert in place from the store and the lineage: after a follow-up, after repeats (whoever made them),
// after a mute. Records which kinds resolved, and skips the Slack call when nothing it shows changed.
import type { Logger } from "pino";
import type { LineageReader } from "../lineage/lineage-reader.js";
import type { AlertThreadRecord, AsyncStore } from "../store/store.js";
import type { CallPriority } from "../workato/limits.js";
import type { AlertMessages } from "./alert-messages.js";
import type { AlertSink, AlertTarget } from "./alert-sink.js";
import { alertView, fingerprintOf, resolvedSignatures } from "./alert-view.js";

export interface AlertRedrawDeps {
  store: Pick<AsyncStore, "mutedUntil" | "mutedBy" | "saveAlertThread" | "alertState" | "escalationOf">;
  lineage: LineageReader;
  alerts: AlertSink;
  messages: AlertMessages;
}

/** "failed" carries why: Slack's error, or that the repeats could not be read. */
export type Redrawn = "redrawn" | "unchanged" | { failed: string };

/** `threads`: the rows of one message (same watch and ts). */
export async function redrawAlert(
  deps: AlertRedrawDeps,
  target: AlertTarget,
  threads: readonly AlertThreadRecord[],
  at: number,
  priority: CallPriority,
  log: Logger,
  { keepIfUnknown = false } = {},
): Promise<Redrawn> {
  const drawn = await alertView(deps, target, threads, at, priority);
  if (!drawn) return "unchanged";
  // A re-check that could not read the repeats keeps what the alert shows rather than guess it back to "open".
  if (keepIfUnknown && drawn.unknown > 0) return { failed: "repeat state unknown" };
  const view = drawn.message;
  const fingerprint = fingerprintOf(view);
  if (deps.messages.drawn(view.channel, view.ts) === fingerprint) return "unchanged";
  const updated = await deps.alerts.updateAlert(view);
  if (!updated.ok) {
    log.warn({ ts: view.ts, slackError: updated.error }, "alert not redrawn");
    return { failed: updated.error };
  }
  deps.messages.remember(view.channel, view.ts, fingerprint, at);
  const resolved = new Set(resolvedSignatures(view));
  for (const thread of threads) {
    const nowResolved = resolved.has(thread.signature);
    if (nowResolved === (thread.resolvedAt !== null)) continue;
    await deps.store.saveAlertThread({ ...thread, resolvedAt: nowResolved ? at : null });
  }
  if (resolved.size > 0)
    log.info({ ts: view.ts, resolved: [...resolved] }, "alert resolved in part or whole");
  return "redrawn";
}
