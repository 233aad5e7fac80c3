// Durable registry of the messages the bot posted that show stored state (alerts, their thread replies, stopped
// recipes, job lists a repeat was started from): where each is, what it shows, and when it was posted, so a change
// can redraw every message it affects.

/** What a posted message shows, by kind: what drawing it again needs besides the store's other tables. */
export type ViewShows =
  | { kind: "alert"; watchId: number }
  | {
      kind: "alert_follow_up";
      watchId: number;
      /** the kinds of error the reply reports: their new jobs, and the kind's count when it was posted */
      groups: { signature: string; jobIds: string[]; total: number }[];
    }
  | { kind: "recipe_stopped"; watchId: number; cause: string; stoppedAt: string | null }
  /** a page of a recipe's jobs: the query that drew it, run again to draw it anew */
  | { kind: "job_list"; query: JobListQuery };

/** What a job list message lists: its filter and which page (offsetStartedAt in ms). */
export interface JobListQuery {
  status?: string;
  rerunOnly?: boolean;
  offsetJobId?: string;
  offsetStartedAt?: number;
  newer?: boolean;
}

export type ViewKind = ViewShows["kind"];

export interface ViewRecord {
  channel: string;
  ts: string;
  /** the parent message, for a reply in a thread */
  threadTs: string | null;
  /** the customer as stored on the watch or repeat */
  customer: string;
  recipeId: number;
  /** the master job ids whose state it shows: a change to any of them redraws it */
  jobIds: string[];
  shows: ViewShows;
  postedAt: number;
}

export interface ViewFilter {
  customer?: string;
  recipeId?: number;
  watchId?: number;
  /** views posted before this are left alone */
  postedSince: number;
}

export interface ViewStore {
  /** Records a posted view; the same channel and ts again replaces what it shows. */
  saveView(view: ViewRecord): void;
  /** Views matching every field given, oldest first. */
  views(filter: ViewFilter): ViewRecord[];
}
