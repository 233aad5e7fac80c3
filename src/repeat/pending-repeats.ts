// Repeats typed as a command, waiting for the person to confirm them. The confirm button carries only a token: the
// ids stay here on the server, so a button cannot be edited into another repeat. Unconfirmed ones expire.
import { randomBytes } from "node:crypto";
import type { Clock } from "../clock.js";
import type { CustomerRef } from "../workato/customer-ref.js";

export interface PendingRepeat {
  userId: string;
  channel: string;
  customer: CustomerRef;
  recipeId: number;
  jobIds: string[];
}

export interface PendingRepeats {
  add(repeat: PendingRepeat): string;
  /** the repeat a token stands for, while it has not expired */
  get(token: string): PendingRepeat | undefined;
}

/** As long as the response_url that shows the confirmation works. */
const PENDING_TTL_MS = 30 * 60_000;

export function createPendingRepeats(clock: Clock): PendingRepeats {
  const pending = new Map<string, { repeat: PendingRepeat; expiresAt: number }>();
  return {
    add(repeat) {
      const at = clock.now();
      for (const [token, entry] of pending) if (entry.expiresAt <= at) pending.delete(token);
      const token = randomBytes(12).toString("hex");
      pending.set(token, { repeat, expiresAt: at + PENDING_TTL_MS });
      return token;
    },
    get(token) {
      const entry = pending.get(token);
      return entry && entry.expiresAt > clock.now() ? entry.repeat : undefined;
    },
  };
}
