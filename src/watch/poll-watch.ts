// One poll of one watch: its new failures listed, the alert decisions made and delivered, then the cursor moved (only
// after delivery, so a crash neither repeats nor loses an alert); or why nothing moved, or why the watch paused.
import type { Logger } from "pino";
import type { Decision } from "../access/access-check.js";
import type { Clock } from "../clock.js";
import type { LineageReader } from "../lineage/lineage-reader.js";
import type { AsyncStore, WatchRecord, WatchStore } from "../store/store.js";
import type { ViewStore } from "../store/view-store.js";
import type { WorkatoClient } from "../workato/client.js";
import { type CustomerRef, parseCustomerRef } from "../workato/customer-ref.js";
import { WorkatoApiError } from "../workato/errors.js";
import { decideAlerts, groupBySignature, storedAlertHistory } from "./alert-decisions.js";
import { deliverAlerts } from "./alert-delivery.js";
import type { AlertMessages } from "./alert-messages.js";
import { type AlertSink, type AlertTarget, CHANNEL_GONE_ERRORS } from "./alert-sink.js";
import { type Listing, type LookBack, listNewFailures, type RequestCount } from "./failure-listing.js";

/** 401/403/404 answers in a row after which a watch is paused. */
export const AUTH_FAILURES_BEFORE_PAUSE = 3;
/** Recipe names change rarely and each lookup spends budget, so a watch looks its name up about once a day. */
const RECIPE_NAME_MAX_AGE_MS = 24 * 60 * 60_000;

export type PollOutcome =
  /** the first poll of a watch: the cursor now marks what already happened, and nothing was alerted */
  | { kind: "cursor_set"; cursorJobId: string | null }
  | {
      kind: "checked";
      newFailures: number;
      /** signatures posted as new top-level alerts (all in one message) */
      alerted: number;
      /** signatures reported in an existing alert's thread */
      followedUp: number;
      /** failures left out because their signature (or the whole watch) is muted */
      muted: number;
      /** failures already alerted by an earlier poll that did not get to move the cursor */
      alreadyAlerted: number;
    }
  | { kind: "paused"; reason: string }
  | { kind: "skipped"; why: "paused" | "no_such_watch" }
  /** nothing moved; the next round tries again */
  | { kind: "error"; code: string; message: string };

export interface PollWatchDeps {
  store: Pick<AsyncStore, keyof WatchStore | keyof ViewStore | "alertState" | "escalationOf">;
  workato: Pick<WorkatoClient, "listJobs" | "getRecipe">;
  alerts: AlertSink;
  messages: AlertMessages;
  clock: Clock;
  /** same-signature failures within this time of the last one go to the alert's thread */
  windowMs: number;
  maxPages: number;
  /** the window behind the cursor re-read for long-running jobs that failed late */
  lookBack: LookBack;
  lineage: LineageReader;
  /** see WatchPollerOptions.mayAlert */
  mayAlert?: (watch: WatchRecord, customer: CustomerRef) => Promise<Decision>;
  log: Logger;
}

export async function pollWatch(
  deps: PollWatchDeps,
  watchId: number,
  spent: RequestCount,
): Promise<PollOutcome> {
  const { store } = deps;
  const watch = await store.watch(watchId);
  if (!watch) return { kind: "skipped", why: "no_such_watch" };
  if (watch.pausedReason !== null) return { kind: "skipped", why: "paused" };
  const log = deps.log.child({ watch: watch.id, channel: watch.channel, recipeId: watch.recipeId });
  const parsed = parseCustomerRef(watch.customer);
  if (!parsed.ok) return pause(deps, watch, null, `The stored customer is not valid: ${parsed.message}`, log);
  const customer = parsed.ref;
  const isFirstPoll = watch.cursorJobId === null && watch.lastPolledAt === null;

  let listing: Listing;
  try {
    listing = await listNewFailures(
      deps.workato,
      watch,
      customer,
      isFirstPoll ? 1 : deps.maxPages,
      spent,
      isFirstPoll ? { windowMs: 0, maxPages: 0 } : deps.lookBack,
    );
  } catch (error) {
    return listingFailed(deps, watch, customer, error, log);
  }
  const at = deps.clock.now();

  if (isFirstPoll) {
    // Only mark where "new" starts: what failed before the watch existed is history, not news.
    await store.updateWatchPoll(watch.id, {
      cursorJobId: listing.newest?.id ?? null,
      cursorStartedAt: listing.newest?.started_at ?? null,
      cursorCompletedAt: listing.newestCompletedAt,
      lastPolledAt: at,
      consecutiveAuthFailures: 0,
    });
    log.info({ cursor: listing.newest?.id ?? null }, "watch cursor set");
    return { kind: "cursor_set", cursorJobId: listing.newest?.id ?? null };
  }

  const { freshGroups, followUps, muted, alreadyAlerted } = decideAlerts(
    listing.fresh,
    await storedAlertHistory(
      store,
      watch.id,
      groupBySignature(listing.fresh).map((group) => group.signature),
    ),
    at,
    deps.windowMs,
  );
  let alerted = 0;
  let followedUp = 0;
  if (freshGroups.length > 0 || followUps.size > 0) {
    const decision = (await deps.mayAlert?.(watch, customer)) ?? { ok: true };
    if (!decision.ok) return pause(deps, watch, null, `Alerts are not allowed here: ${decision.reason}`, log);
    const target: AlertTarget = {
      watch,
      customer,
      recipeName: await recipeName(deps, customer, watch.recipeId),
    };
    const delivered = await deliverAlerts(deps, {
      watch,
      target,
      decisions: { freshGroups, followUps },
      truncated: listing.truncated,
      at,
      log,
    });
    if (!delivered.ok) return deliveryFailed(deps, watch, target, delivered.slackError, log);
    ({ alerted, followedUp } = delivered);
  }

  await store.updateWatchPoll(watch.id, {
    ...(listing.newest !== null
      ? { cursorJobId: listing.newest.id, cursorStartedAt: listing.newest.started_at ?? null }
      : {}),
    cursorCompletedAt: listing.newestCompletedAt,
    lastPolledAt: at,
    consecutiveAuthFailures: 0,
  });
  if (listing.truncated) log.warn({ pages: listing.pages }, "more new failures than one poll reads");
  return { kind: "checked", newFailures: listing.fresh.length, alerted, followedUp, muted, alreadyAlerted };
}

/** Why a watch stopped, for the channel and for `watches`: Workato's failure as errors.ts words it, and how often. */
export function pauseReason(error: WorkatoApiError, times: number): string {
  return `The last ${times} checks all failed. ${error.message}`;
}

function recipeName(deps: PollWatchDeps, customer: CustomerRef, recipeId: number): Promise<string | null> {
  return deps.workato
    .getRecipe(customer, recipeId, { priority: "background", maxAgeMs: RECIPE_NAME_MAX_AGE_MS })
    .then(
      (recipe) => recipe.name,
      () => null,
    );
}

async function listingFailed(
  deps: PollWatchDeps,
  watch: WatchRecord,
  customer: CustomerRef,
  error: unknown,
  log: Logger,
): Promise<PollOutcome> {
  if (!(error instanceof WorkatoApiError)) {
    log.error({ err: error }, "watch poll failed");
    return {
      kind: "error",
      code: "internal",
      message: error instanceof Error ? error.message : String(error),
    };
  }
  log.warn({ code: error.code, status: error.status }, "watch poll failed");
  if (error.code !== "auth" && error.code !== "not_found") {
    return { kind: "error", code: error.code, message: error.message };
  }
  const failures = watch.consecutiveAuthFailures + 1;
  await deps.store.updateWatchPoll(watch.id, { consecutiveAuthFailures: failures });
  if (failures < AUTH_FAILURES_BEFORE_PAUSE) {
    return { kind: "error", code: error.code, message: error.message };
  }
  const target: AlertTarget = { watch, customer, recipeName: null };
  return pause(deps, watch, target, pauseReason(error, failures), log);
}

async function deliveryFailed(
  deps: PollWatchDeps,
  watch: WatchRecord,
  target: AlertTarget,
  slackError: string,
  log: Logger,
): Promise<PollOutcome> {
  // The cursor stays: the next round finds the same failures and tries again.
  if (!CHANNEL_GONE_ERRORS.has(slackError)) {
    return { kind: "error", code: "delivery", message: `Slack refused the alert: ${slackError}` };
  }
  const reason =
    slackError === "not_in_channel"
      ? "The bot is not a member of this channel, so it cannot post alerts here. Invite it, then watch the recipe again."
      : `Slack does not let the bot post in this channel (${slackError}).`;
  // Telling the channel cannot work: `watches` shows the reason instead.
  return pause(deps, watch, target, reason, log, { notify: false });
}

async function pause(
  deps: PollWatchDeps,
  watch: WatchRecord,
  target: AlertTarget | null,
  reason: string,
  log: Logger,
  { notify = true } = {},
): Promise<PollOutcome> {
  await deps.store.updateWatchPoll(watch.id, { pausedReason: reason });
  log.warn({ reason }, "watch paused");
  if (notify && target) {
    const told = await deps.alerts.notifyPaused(
      { ...target, watch: { ...watch, pausedReason: reason } },
      reason,
    );
    if (!told.ok) log.warn({ slackError: told.error }, "could not tell the channel the watch paused");
  }
  return { kind: "paused", reason };
}
