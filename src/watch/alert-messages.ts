// What each open alert showed when this process last drew it (a fingerprint of its counts), so an alert is redrawn
// only when something changed. Lost on restart: the first re-check after one redraws each open alert once.
export interface AlertMessages {
  drawn(channel: string, ts: string): string | undefined;
  remember(channel: string, ts: string, fingerprint: string, at: number): void;
  /** drops what was drawn before `cutoff` */
  forgetBefore(cutoff: number): void;
}

export function createAlertMessages(): AlertMessages {
  const byKey = new Map<string, { fingerprint: string; at: number }>();
  const key = (channel: string, ts: string) => `${channel}\u0000${ts}`;
  return {
    drawn(channel, ts) {
      return byKey.get(key(channel, ts))?.fingerprint;
    },
    remember(channel, ts, fingerprint, at) {
      byKey.set(key(channel, ts), { fingerprint, at });
    },
    forgetBefore(cutoff) {
      for (const [k, drawn] of byKey) if (drawn.at < cutoff) byKey.delete(k);
    },
  };
}
