// Repeats typed as a command, waiting for the person to confirm them. The confirm button carries only a token: the
// ids stay on the server, so a button cannot be edited into another repeat. Unconfirmed ones expire. In one process
// they wait in memory; with replicas, in Postgres (cluster/shared-pending-repeats.ts), as the click may reach another.
import { randomBytes } from "node:crypto";
import type { Clock } from "../clock.js";
import type { CustomerRef } from "../workato/customer-ref.js";

export interface PendingRepeat {
  userId: string;
  channel: string;
  customer: CustomerRef;
  recipeId: number;
  jobIds: string[];
  /** set for `repeat … failed [since …] [again]`: the plan stored with the repeat when it is confirmed */
  recovery?: { since: number | null; again: boolean };
  /** a typed id list ended with `again`: jobs already repeated are repeated on purpose, re-checked at the confirm */
  again?: true;
}

export interface PendingRepeats {
  add(repeat: PendingRepeat): Promise<string>;
  /** the repeat a token stands for, while it has not expired */
  get(token: string): Promise<PendingRepeat | undefined>;
}

/** As long as the response_url that shows the confirmation works. */
export const PENDING_TTL_MS = 30 * 60_000;

export function newPendingToken(): string {
  return randomBytes(12).toString("hex");
}

export function createPendingRepeats(clock: Clock): PendingRepeats {
  const pending = new Map<string, { repeat: PendingRepeat; expiresAt: number }>();
  return {
    async add(repeat) {
      const at = clock.now();
      for (const [token, entry] of pending) if (entry.expiresAt <= at) pending.delete(token);
      const token = newPendingToken();
      pending.set(token, { repeat, expiresAt: at + PENDING_TTL_MS });
      return token;
    },
    async get(token) {
      const entry = pending.get(token);
      return entry && entry.expiresAt > clock.now() ? entry.repeat : undefined;
    },
  };
}
