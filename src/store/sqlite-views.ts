// ViewStore on SQLite: the registry of posted views.
import type { Database } from "better-sqlite3";
import { definedViews, type ViewRow, viewColumns } from "./view-rows.js";
import type { ViewStore } from "./view-store.js";

export function createSqliteViews(db: Database): ViewStore {
  const save = db.prepare(
    `INSERT INTO posted_views (channel, ts, thread_ts, kind, customer, recipe_id, watch_id, job_ids, shows, posted_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (channel, ts) DO UPDATE SET thread_ts = excluded.thread_ts, kind = excluded.kind,
       customer = excluded.customer, recipe_id = excluded.recipe_id, watch_id = excluded.watch_id,
       job_ids = excluded.job_ids, shows = excluded.shows`,
  );
  const select = db.prepare<
    [{ customer: string | null; recipe: number | null; watch: number | null; since: number }],
    ViewRow
  >(
    `SELECT * FROM posted_views
     WHERE (@customer IS NULL OR customer = @customer) AND (@recipe IS NULL OR recipe_id = @recipe)
       AND (@watch IS NULL OR watch_id = @watch) AND posted_at >= @since
     ORDER BY posted_at, channel, ts`,
  );
  return {
    saveView(view) {
      save.run(...viewColumns(view));
    },
    views(filter) {
      return definedViews(
        select.all({
          customer: filter.customer ?? null,
          recipe: filter.recipeId ?? null,
          watch: filter.watchId ?? null,
          since: filter.postedSince,
        }),
      );
    },
  };
}
