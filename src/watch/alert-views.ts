// The watch's posted views: recording each alert, thread reply and stopped-recipe alert in the registry as it is
// posted, and drawing each again from the store and the lineage when the redrawer asks (see src/views/redrawer.ts).
import type { Logger } from "pino";
import {
  type AlertThreadRecord,
  type AsyncStore,
  RECIPE_STOPPED_SIGNATURE,
  type WatchRecord,
} from "../store/store.js";
import type { ViewRecord, ViewShows } from "../store/view-store.js";
import { parseIsoTime } from "../time.js";
import type { DrawResult, ViewDrawer } from "../views/redrawer.js";
import type { WorkatoClient } from "../workato/client.js";
import { parseCustomerRef } from "../workato/customer-ref.js";
import { WorkatoApiError } from "../workato/errors.js";
import type { AlertMessages } from "./alert-messages.js";
import { onCallOf } from "./alert-on-call.js";
import { type AlertRedrawDeps, redrawAlert } from "./alert-redraw.js";
import type { AlertTarget, FailedJob, FollowUpGroup, SinkResult } from "./alert-sink.js";
import { splitHandled } from "./alert-view.js";

const RECIPE_NAME_MAX_AGE_MS = 24 * 60 * 60_000;

/** Records a view the watch just posted; `jobs` are what it shows (their masters are what a change names). */
export async function recordWatchView(
  store: Pick<AsyncStore, "saveView">,
  watch: WatchRecord,
  posted: { channel: string; ts: string; threadTs?: string; at: number },
  shows: ViewShows,
  jobs: readonly FailedJob[],
): Promise<void> {
  await store.saveView({
    channel: posted.channel,
    ts: posted.ts,
    threadTs: posted.threadTs ?? null,
    customer: watch.customer,
    recipeId: watch.recipeId,
    jobIds: [...new Set(jobs.map((job) => job.masterJobId))],
    shows,
    postedAt: posted.at,
  });
}

/** The jobs of one alert's threads (the alert's own and its replies'): what its parent view shows. */
export function jobsOfAlert(threads: readonly AlertThreadRecord[]): FailedJob[] {
  return threads.flatMap((thread) => thread.jobs);
}

export interface AlertViewDrawerDeps extends AlertRedrawDeps {
  store: AlertRedrawDeps["store"] & Pick<AsyncStore, "alertThreads" | "alertThread" | "watch">;
  workato: Pick<WorkatoClient, "getRecipe">;
  log: Logger;
}

export function createAlertViewDrawer(deps: AlertViewDrawerDeps): ViewDrawer {
  async function targetOf(watchId: number): Promise<AlertTarget | undefined> {
    const watch = await deps.store.watch(watchId);
    const customer = watch ? parseCustomerRef(watch.customer) : undefined;
    if (!watch || !customer?.ok) return undefined;
    const recipeName = await deps.workato
      .getRecipe(customer.ref, watch.recipeId, { priority: "background", maxAgeMs: RECIPE_NAME_MAX_AGE_MS })
      .then(
        (recipe) => recipe.name,
        () => null,
      );
    return { watch, customer: customer.ref, recipeName };
  }

  async function drawAlert(target: AlertTarget, view: ViewRecord, at: number): Promise<DrawResult> {
    const threads = (await deps.store.alertThreads({ watchId: target.watch.id })).filter(
      (thread) => thread.ts === view.ts && thread.signature !== RECIPE_STOPPED_SIGNATURE,
    );
    if (threads.length === 0) return "gone";
    return redrawAlert(deps, target, threads, at, "background", deps.log);
  }

  async function drawFollowUp(
    target: AlertTarget,
    view: ViewRecord,
    groups: Extract<ViewShows, { kind: "alert_follow_up" }>["groups"],
    at: number,
  ): Promise<DrawResult> {
    if (view.threadTs === null) return "gone";
    const threads = await deps.store.alertThreads({ watchId: target.watch.id });
    const drawn: FollowUpGroup[] = [];
    const all: FailedJob[] = [];
    for (const shown of groups) {
      const thread = threads.find((candidate) => candidate.signature === shown.signature);
      const kept = new Map((thread?.jobs ?? []).map((job) => [job.id, job]));
      // A job no longer kept on the thread (beyond the jobs kept) is still shown, as its own master.
      const jobs = shown.jobIds.map(
        (id): FailedJob => kept.get(id) ?? { id, masterJobId: id, startedAt: null },
      );
      all.push(...jobs);
      drawn.push({
        group: { signature: shown.signature, firstLine: thread?.firstLine ?? "", jobs },
        total: shown.total,
        firstSeenAt: thread?.firstSeenAt ?? view.postedAt,
      });
    }
    const handlingOf = await deps.lineage.read(
      target.customer,
      target.watch.recipeId,
      [...new Map(all.map((job) => [job.masterJobId, job])).values()].map((job) => ({
        id: job.masterJobId,
        startedAt: parseIsoTime(job.startedAt),
      })),
      { priority: "background" },
    );
    for (const group of drawn) {
      const { outstanding, handled } = splitHandled(group.group.jobs, handlingOf);
      group.now = { outstanding, handled };
    }
    // Whoever took the alert is who the reply speaks to, on every redraw as when it was posted.
    const takenBy = (await deps.store.alertState(view.channel, view.threadTs))?.takenBy ?? null;
    const fingerprint = JSON.stringify([
      takenBy,
      drawn.map((group) => [group.now?.outstanding.map((job) => job.id), group.now?.handled]),
    ]);
    if (deps.messages.drawn(view.channel, view.ts) === fingerprint) return "unchanged";
    const updated = await deps.alerts.updateFollowUp({
      target,
      channel: view.channel,
      ts: view.ts,
      threadTs: view.threadTs,
      groups: drawn,
      takenBy,
    });
    return remembered(deps.messages, view, fingerprint, updated, at);
  }

  async function drawRecipeStopped(
    target: AlertTarget,
    view: ViewRecord,
    shows: Extract<ViewShows, { kind: "recipe_stopped" }>,
    at: number,
  ): Promise<DrawResult> {
    const thread = await deps.store.alertThread(target.watch.id, RECIPE_STOPPED_SIGNATURE);
    // A later stop replaced the thread: this alert's stop ended before it.
    const runningAgainAt =
      thread === undefined || thread.ts !== view.ts ? (thread?.firstSeenAt ?? at) : thread.resolvedAt;
    const onCall = onCallOf(
      await deps.store.alertState(view.channel, view.ts),
      await deps.store.escalationOf(target.watch.id),
    );
    const fingerprint = JSON.stringify(["recipe_stopped", runningAgainAt, onCall]);
    if (deps.messages.drawn(view.channel, view.ts) === fingerprint) return "unchanged";
    const updated = await deps.alerts.updateRecipeStopped({
      target,
      channel: view.channel,
      ts: view.ts,
      cause: shows.cause,
      stoppedAt: shows.stoppedAt,
      mention: thread?.ts === view.ts && thread.mentioned,
      at: view.postedAt,
      runningAgainAt,
      onCall,
    });
    return remembered(deps.messages, view, fingerprint, updated, at);
  }

  return {
    async draw(view, at) {
      // Job lists are drawn by the Slack side's list drawer (see WatchPollerOptions.listDrawer).
      if (view.shows.kind === "job_list") return "gone";
      const target = await targetOf(view.shows.watchId);
      if (!target) return "gone";
      try {
        switch (view.shows.kind) {
          case "alert":
            return await drawAlert(target, view, at);
          case "alert_follow_up":
            return await drawFollowUp(target, view, view.shows.groups, at);
          case "recipe_stopped":
            return await drawRecipeStopped(target, view, view.shows, at);
        }
      } catch (error) {
        if (!(error instanceof WorkatoApiError)) throw error;
        return { failed: `repeat state unknown: ${error.message}` };
      }
    },
  };
}

function remembered(
  messages: AlertMessages,
  view: ViewRecord,
  fingerprint: string,
  updated: SinkResult,
  at: number,
): DrawResult {
  if (!updated.ok) return { failed: updated.error };
  messages.remember(view.channel, view.ts, fingerprint, at);
  return "redrawn";
}
