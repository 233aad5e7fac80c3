// ViewStore on Postgres: the same table and queries as sqlite-views.ts, answering as promises.
import type { Pool } from "pg";
import { queryRows } from "./postgres-pool.js";
import type { Promised } from "./store.js";
import { definedViews, type ViewRow, viewColumns } from "./view-rows.js";
import type { ViewStore } from "./view-store.js";

export function createPostgresViews(pool: Pool): Promised<ViewStore> {
  return {
    async saveView(view) {
      await pool.query(
        `INSERT INTO posted_views (channel, ts, thread_ts, kind, customer, recipe_id, watch_id, job_ids, shows, posted_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
         ON CONFLICT (channel, ts) DO UPDATE SET thread_ts = excluded.thread_ts, kind = excluded.kind,
           customer = excluded.customer, recipe_id = excluded.recipe_id, watch_id = excluded.watch_id,
           job_ids = excluded.job_ids, shows = excluded.shows`,
        viewColumns(view),
      );
    },
    async views(filter) {
      return definedViews(
        await queryRows<ViewRow>(
          pool,
          `SELECT * FROM posted_views
           WHERE ($1::text IS NULL OR customer = $1) AND ($2::bigint IS NULL OR recipe_id = $2)
             AND ($3::bigint IS NULL OR watch_id = $3) AND posted_at >= $4
           ORDER BY posted_at, channel, ts`,
          [filter.customer ?? null, filter.recipeId ?? null, filter.watchId ?? null, filter.postedSince],
        ),
      );
    },
  };
}
