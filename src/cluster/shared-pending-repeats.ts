// Typed repeats waiting for their confirmation, in Postgres: the person may confirm on another replica than the one
// that showed the confirmation. The same contract as the in-memory PendingRepeats; rows are read back through zod.
import type { Pool } from "pg";
import { z } from "zod";
import type { Clock } from "../clock.js";
import {
  newPendingToken,
  PENDING_TTL_MS,
  type PendingRepeat,
  type PendingRepeats,
} from "../repeat/pending-repeats.js";
import { queryRows } from "../store/postgres-pool.js";
import { parseCustomerRef } from "../workato/customer-ref.js";
import { PENDING_REPEATS_TABLE } from "./cluster-schema.js";

const storedRepeat = z.object({
  userId: z.string(),
  channel: z.string(),
  /** CustomerRef.display, parsed again when read */
  customer: z.string(),
  recipeId: z.number().int(),
  jobIds: z.array(z.string()),
  recovery: z.object({ since: z.number().nullable(), again: z.boolean() }).optional(),
  /** a typed id list ended with `again` */
  again: z.literal(true).optional(),
});

export function createSharedPendingRepeats(pool: Pool, clock: Clock): PendingRepeats {
  return {
    async add(repeat) {
      const at = clock.now();
      const token = newPendingToken();
      const stored: z.infer<typeof storedRepeat> = { ...repeat, customer: repeat.customer.display };
      await pool.query(`DELETE FROM ${PENDING_REPEATS_TABLE} WHERE expires_at <= $1`, [at]);
      await pool.query(
        `INSERT INTO ${PENDING_REPEATS_TABLE} (token, repeat, expires_at) VALUES ($1, $2, $3)`,
        [token, JSON.stringify(stored), at + PENDING_TTL_MS],
      );
      return token;
    },
    async get(token) {
      const rows = await queryRows<{ repeat: string }>(
        pool,
        `SELECT repeat FROM ${PENDING_REPEATS_TABLE} WHERE token = $1 AND expires_at > $2`,
        [token, clock.now()],
      );
      const row = rows[0];
      if (!row) return undefined;
      const parsed = storedRepeat.safeParse(JSON.parse(row.repeat));
      if (!parsed.success) return undefined;
      const customer = parseCustomerRef(parsed.data.customer);
      if (!customer.ok) return undefined;
      const pending: PendingRepeat = { ...parsed.data, customer: customer.ref };
      return pending;
    },
  };
}
