// The rows of the posted_views table (same names in SQLite and Postgres) and their mapping to records; what a view
// shows is JSON checked with zod on the way out, so a row written by another version cannot be drawn wrong.
import { z } from "zod";
import type { ViewRecord, ViewShows } from "./view-store.js";

export interface ViewRow {
  channel: string;
  ts: string;
  thread_ts: string | null;
  kind: string;
  customer: string;
  recipe_id: number | string;
  watch_id: number | string | null;
  job_ids: string;
  shows: string;
  posted_at: number | string;
}

const showsSchema: z.ZodType<ViewShows> = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("alert"), watchId: z.number() }),
  z.object({
    kind: z.literal("alert_follow_up"),
    watchId: z.number(),
    groups: z.array(z.object({ signature: z.string(), jobIds: z.array(z.string()), total: z.number() })),
  }),
  z.object({
    kind: z.literal("recipe_stopped"),
    watchId: z.number(),
    cause: z.string(),
    stoppedAt: z.string().nullable(),
  }),
  z.object({
    kind: z.literal("job_list"),
    query: z.object({
      status: z.string().optional(),
      rerunOnly: z.boolean().optional(),
      offsetJobId: z.string().optional(),
      offsetStartedAt: z.number().optional(),
      newer: z.boolean().optional(),
    }),
  }),
]);

/** The column values of a record, in the order both stores insert them. */
export function viewColumns(view: ViewRecord): (string | number | null)[] {
  return [
    view.channel,
    view.ts,
    view.threadTs,
    view.shows.kind,
    view.customer,
    view.recipeId,
    view.shows.kind === "job_list" ? null : view.shows.watchId,
    JSON.stringify(view.jobIds),
    JSON.stringify(view.shows),
    view.postedAt,
  ];
}

/** The record of a row, or undefined when what it shows cannot be read (it is then never redrawn). */
export function toView(row: ViewRow): ViewRecord | undefined {
  const shows = showsSchema.safeParse(JSON.parse(row.shows));
  const jobIds = z.array(z.string()).safeParse(JSON.parse(row.job_ids));
  if (!shows.success || !jobIds.success) return undefined;
  return {
    channel: row.channel,
    ts: row.ts,
    threadTs: row.thread_ts,
    customer: row.customer,
    recipeId: Number(row.recipe_id),
    jobIds: jobIds.data,
    shows: shows.data,
    postedAt: Number(row.posted_at),
  };
}

export function definedViews(rows: readonly ViewRow[]): ViewRecord[] {
  return rows.map(toView).filter((view): view is ViewRecord => view !== undefined);
}
