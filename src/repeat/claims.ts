// Remembers which repeat buttons and commands were already acted on, in the store, so a double click or a
// redelivered request never starts a second repeat, even across a restart.
import type { Clock } from "../clock.js";
import type { AsyncStore, ClaimStore } from "../store/store.js";

export type ClaimResult = { ok: true } | { ok: false; claimedBy: string };

export interface RepeatClaims {
  /** The first caller for a key gets it; later ones learn who has it. */
  claim(key: string, userId: string): Promise<ClaimResult>;
  /** Gives a key back when the repeat could not start, so it can be tried again. */
  release(key: string): Promise<void>;
}

/** Slack redelivers within minutes and buttons are removed once used; a day is ample. */
const CLAIM_TTL_MS = 24 * 60 * 60 * 1000;
const SWEEP_EVERY_MS = 60 * 60 * 1000;

export function createRepeatClaims(store: Pick<AsyncStore, keyof ClaimStore>, clock: Clock): RepeatClaims {
  let lastSweep = 0;
  return {
    async claim(key, userId) {
      const at = clock.now();
      if (at - lastSweep > SWEEP_EVERY_MS) {
        await store.forgetClaimsBefore(at - CLAIM_TTL_MS);
        lastSweep = at;
      }
      return await store.claim(key, userId, at);
    },
    async release(key) {
      await store.release(key);
    },
  };
}
