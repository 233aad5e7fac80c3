// Remembers which repeat buttons and commands were already acted on, so a double click or a redelivered request
// never starts a second repeat. In memory for now; the durable store takes this over.

export type ClaimResult = { ok: true } | { ok: false; claimedBy: string };

export interface RepeatClaims {
  /** The first caller for a key gets it; later ones learn who has it. */
  claim(key: string, userId: string): ClaimResult;
  /** Gives a key back when the repeat could not start, so it can be tried again. */
  release(key: string): void;
}

/** Slack redelivers within minutes and buttons are removed once used; a day is ample. */
const CLAIM_TTL_MS = 24 * 60 * 60 * 1000;

export function createRepeatClaims(now: () => number = Date.now): RepeatClaims {
  const claims = new Map<string, { userId: string; at: number }>();

  function forgetExpired(at: number): void {
    for (const [key, claim] of claims) {
      // Map iteration is in insertion order, so the first fresh claim ends the sweep.
      if (at - claim.at < CLAIM_TTL_MS) break;
      claims.delete(key);
    }
  }

  return {
    claim(key, userId) {
      const at = now();
      forgetExpired(at);
      const existing = claims.get(key);
      if (existing) return { ok: false, claimedBy: existing.userId };
      claims.set(key, { userId, at });
      return { ok: true };
    },
    release(key) {
      claims.delete(key);
    },
  };
}
