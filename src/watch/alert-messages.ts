// The top-level alerts this process posted, so a follow-up can redraw one with new counts: a message holding several
// signatures needs all of them, and the store keeps counts but not the error lines. An alert posted before a restart
// is not here; its follow-ups still go to its thread (the store has its ts) and say the total there.
import type { AlertMessage } from "./alert-sink.js";

export interface AlertMessages {
  remember(message: AlertMessage): void;
  get(channel: string, ts: string): AlertMessage | undefined;
  /** drops alerts none of whose signatures can get a follow-up any more */
  forgetBefore(cutoff: number): void;
}

export function createAlertMessages(): AlertMessages {
  const byKey = new Map<string, AlertMessage>();
  const key = (channel: string, ts: string) => `${channel}\u0000${ts}`;
  return {
    remember(message) {
      byKey.set(key(message.channel, message.ts), message);
    },
    get(channel, ts) {
      return byKey.get(key(channel, ts));
    },
    forgetBefore(cutoff) {
      for (const [k, message] of byKey) {
        if (message.groups.every((group) => group.lastSeenAt < cutoff)) byKey.delete(k);
      }
    },
  };
}
