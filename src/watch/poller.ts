// The watch poller: lists each watched recipe's failed jobs newer than its cursor, evenly spread within the poller's
// share of Workato's rate limit, and turns new failures into alerts. Cursors move only after the alert is delivered;
// what was delivered is recorded per signature first, so a crash or restart neither repeats nor loses an alert.
import { performance } from "node:perf_hooks";
import type { Logger } from "pino";
import type { Decision } from "../access/access-check.js";
import type { AlertThreadRecord, WatchRecord, WatchStore } from "../store/store.js";
import type { WorkatoClient } from "../workato/client.js";
import { type CustomerRef, parseCustomerRef } from "../workato/customer-ref.js";
import { WorkatoApiError } from "../workato/errors.js";
import type { JobSummary } from "../workato/schemas.js";
import {
  type AlertMessage,
  type AlertSink,
  type AlertTarget,
  CHANNEL_GONE_ERRORS,
  type FailedJob,
  type FailureGroup,
} from "./alert-sink.js";
import { errorSignature } from "./error-signature.js";
import { POLLER_REQUESTS_PER_MINUTE, planPolls } from "./poll-budget.js";

export const DEFAULT_ALERT_WINDOW_MS = 60 * 60_000;
/** Pages of 50 (Workato's page) older than the newest failure a poll reads at most before giving up on the rest. */
export const DEFAULT_MAX_PAGES = 5;
/** 401/403/404 answers in a row after which a watch is paused. */
export const AUTH_FAILURES_BEFORE_PAUSE = 3;
/** Job ids kept per alert thread to recognise failures already alerted (after a crash before the cursor moved). */
const THREAD_JOB_IDS_KEPT = 500;
const IDLE_RECHECK_MS = 5000;
const RECIPE_NAME_TTL_MS = 24 * 60 * 60_000;

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

export interface WatchPollerOptions {
  store: WatchStore;
  workato: WorkatoClient;
  alerts: AlertSink;
  /** WATCH_INTERVAL_SECONDS: the interval asked for; the budget may stretch it */
  intervalSeconds: number;
  /** epoch ms; the clock for cursors, mutes and the alert window */
  now?: () => number;
  logger: Logger;
  /** same-signature failures within this time of the last one go to the alert's thread; default 1 h */
  windowMs?: number;
  maxPages?: number;
  /** requests per minute the poller may send; default 800 (80% of Workato's 1,000) */
  budgetPerMinute?: number;
  /** polls waiting on Workato at once; default 16 */
  maxConcurrentPolls?: number;
  /**
   * Whether the watch's channel may still be shown this customer's jobs (the access policy, which may have changed
   * since the watch was made), asked before anything is posted. A denied watch is paused without a word in the
   * channel: telling it would show the customer there.
   */
  mayAlert?: (watch: WatchRecord, customer: CustomerRef) => Promise<Decision>;
}

export interface PollerStats {
  polls: number;
  requests: number;
  /** average list requests per poll, as the budget uses it */
  requestsPerPoll: number;
}

export interface WatchPoller {
  /** polls every unpaused watch in turn, forever, until stop() */
  start(): void;
  /** stops starting polls and waits for the ones under way */
  stop(): Promise<void>;
  /** one poll of one watch now (a poll of the same watch already under way is shared, never doubled) */
  pollOnce(watchId: number): Promise<PollOutcome>;
  /** the interval each watch actually gets, in seconds */
  effectiveIntervalSeconds(): number;
  stats(): PollerStats;
}

/** Requests one poll sent, for the budget's average. */
interface Spent {
  requests: number;
}

interface Listing {
  /** failed jobs newer than the cursor, newest first */
  fresh: JobSummary[];
  /** the newest failed job listed (the cursor's next position), if any */
  newest: JobSummary | null;
  /** stopped at maxPages before reaching the cursor */
  truncated: boolean;
  pages: number;
}

export function createWatchPoller(options: WatchPollerOptions): WatchPoller {
  const { store, workato, alerts, logger } = options;
  const now = options.now ?? Date.now;
  const windowMs = options.windowMs ?? DEFAULT_ALERT_WINDOW_MS;
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  const budgetPerMinute = options.budgetPerMinute ?? POLLER_REQUESTS_PER_MINUTE;
  const maxConcurrent = options.maxConcurrentPolls ?? 16;
  const log = logger.child({ component: "watch-poller" });

  const inFlight = new Map<number, Promise<PollOutcome>>();
  const messages = createAlertMessages();
  const sleeper = createSleeper();
  const stats = { polls: 0, requests: 0, requestsPerPoll: 1 };
  let running = false;
  let loop: Promise<void> | null = null;

  // The budget's hard edge: however polls overlap, the poller's own requests start at least this far apart. One at a
  // time, each measured from when the previous one really went (not when it was due), so a stalled event loop
  // catching up never sends a burst.
  const { minRequestGapMs } = planPolls({
    watches: 0,
    targetIntervalSeconds: options.intervalSeconds,
    budgetPerMinute,
  });
  let lastRequestAt = Number.NEGATIVE_INFINITY;
  let requestQueue: Promise<void> = Promise.resolve();
  function requestSlot(spent: Spent): Promise<void> {
    spent.requests++;
    stats.requests++;
    requestQueue = requestQueue.then(async () => {
      const wait = lastRequestAt + minRequestGapMs - performance.now();
      if (wait > 0) await delay(wait);
      lastRequestAt = performance.now();
    });
    return requestQueue;
  }

  function activeWatches(): WatchRecord[] {
    return store.watches().filter((watch) => watch.pausedReason === null);
  }

  function plan(watches: number) {
    return planPolls({
      watches,
      targetIntervalSeconds: options.intervalSeconds,
      requestsPerPoll: stats.requestsPerPoll,
      budgetPerMinute,
    });
  }

  // Recipe names change rarely and each lookup spends budget, so a watch looks its name up about once a day.
  const recipeNames = new Map<string, { name: string; expiresAt: number }>();
  async function recipeName(customer: CustomerRef, recipeId: number, spent: Spent): Promise<string | null> {
    const key = `${customer.pathSegment}/${recipeId}`;
    const cached = recipeNames.get(key);
    if (cached && cached.expiresAt > performance.now()) return cached.name;
    try {
      await requestSlot(spent);
      const { name } = await workato.getRecipe(customer, recipeId, { priority: "background" });
      recipeNames.set(key, { name, expiresAt: performance.now() + RECIPE_NAME_TTL_MS });
      return name;
    } catch {
      return null;
    }
  }

  async function listNewFailures(
    watch: WatchRecord,
    customer: CustomerRef,
    pageLimit: number,
    spent: Spent,
  ): Promise<Listing> {
    const cursorTime = timeOf(watch.cursorStartedAt);
    const isSeen = (job: JobSummary) => {
      if (job.id === watch.cursorJobId) return true;
      const startedAt = timeOf(job.started_at);
      // Same start time as the cursor but listed before it: newer by Workato's order, so not seen.
      return cursorTime !== null && startedAt !== null && startedAt < cursorTime;
    };
    const fresh: JobSummary[] = [];
    let newest: JobSummary | null = null;
    let offsetJobId: string | undefined;
    let pages = 0;
    let walked = 0;
    while (pages < pageLimit) {
      await requestSlot(spent);
      const page = await workato.listJobs(
        customer,
        watch.recipeId,
        { status: "failed", ...(offsetJobId !== undefined ? { offsetJobId } : {}) },
        { priority: "background" },
      );
      pages++;
      newest ??= page.items[0] ?? null;
      for (const job of page.items) {
        if (isSeen(job)) return { fresh, newest, truncated: false, pages };
        if (job.status === "failed") fresh.push(job);
      }
      walked += page.items.length;
      const last = page.items.at(-1);
      // Every failed job of the recipe listed (no cursor yet, or it is gone): no need to ask for an empty page.
      if (last === undefined || walked >= page.job_failed_count)
        return { fresh, newest, truncated: false, pages };
      offsetJobId = last.id;
    }
    return { fresh, newest, truncated: true, pages };
  }

  function isMuted(watchId: number, signature: string, at: number): number | null {
    const until = Math.max(store.mutedUntil(watchId, signature) ?? 0, store.mutedUntil(watchId, "*") ?? 0);
    return until > at ? until : null;
  }

  /**
   * New failures by what happens to them: muted, already alerted (a poll that posted but did not get to move the
   * cursor), more of a kind alerted within the window (a reply in its thread), or a kind to alert afresh.
   */
  function sortFailures(watch: WatchRecord, fresh: readonly JobSummary[], at: number) {
    let muted = 0;
    let alreadyAlerted = 0;
    const freshGroups: { group: FailureGroup; firstEver: boolean }[] = [];
    const followUps = new Map<string, { group: FailureGroup; thread: AlertThreadRecord }[]>();
    for (const group of groupBySignature(fresh)) {
      if (isMuted(watch.id, group.signature, at) !== null) {
        muted += group.jobs.length;
        continue;
      }
      const thread = store.alertThread(watch.id, group.signature, 0);
      const known = new Set(thread?.jobIds ?? []);
      const jobs = group.jobs.filter((job) => !known.has(job.id));
      alreadyAlerted += group.jobs.length - jobs.length;
      if (jobs.length === 0) continue;
      const unseen = { ...group, jobs };
      if (thread && thread.lastSeenAt >= at - windowMs) {
        const replies = followUps.get(thread.ts) ?? [];
        replies.push({ group: unseen, thread });
        followUps.set(thread.ts, replies);
      } else {
        freshGroups.push({ group: unseen, firstEver: thread === undefined });
      }
    }
    return { freshGroups, followUps, muted, alreadyAlerted };
  }

  async function pollWatch(watchId: number, spent: Spent): Promise<PollOutcome> {
    const watch = store.watch(watchId);
    if (!watch) return { kind: "skipped", why: "no_such_watch" };
    if (watch.pausedReason !== null) return { kind: "skipped", why: "paused" };
    const wlog = log.child({ watch: watch.id, channel: watch.channel, recipeId: watch.recipeId });
    const parsed = parseCustomerRef(watch.customer);
    if (!parsed.ok) return pause(watch, null, `The stored customer is not valid: ${parsed.message}`, wlog);
    const customer = parsed.ref;
    const isFirstPoll = watch.cursorJobId === null && watch.lastPolledAt === null;

    let listing: Listing;
    try {
      listing = await listNewFailures(watch, customer, isFirstPoll ? 1 : maxPages, spent);
    } catch (error) {
      return listingFailed(watch, customer, error, wlog);
    }
    const at = now();

    if (isFirstPoll) {
      // Only mark where "new" starts: what failed before the watch existed is history, not news.
      store.updateWatchPoll(watch.id, {
        cursorJobId: listing.newest?.id ?? null,
        cursorStartedAt: listing.newest?.started_at ?? null,
        lastPolledAt: at,
        consecutiveAuthFailures: 0,
      });
      wlog.info({ cursor: listing.newest?.id ?? null }, "watch cursor set");
      return { kind: "cursor_set", cursorJobId: listing.newest?.id ?? null };
    }

    const { freshGroups, followUps, ...counts } = sortFailures(watch, listing.fresh, at);
    const outcome = { newFailures: listing.fresh.length, alerted: 0, followedUp: 0, ...counts };

    if (freshGroups.length > 0 || followUps.size > 0) {
      const decision = (await options.mayAlert?.(watch, customer)) ?? { ok: true };
      if (!decision.ok) return pause(watch, null, `Alerts are not allowed here: ${decision.reason}`, wlog);
      const target: AlertTarget = {
        watch,
        customer,
        recipeName: await recipeName(customer, watch.recipeId, spent),
      };
      if (freshGroups.length > 0) {
        const groups = freshGroups.map(({ group }) => group);
        const mention = watch.mentions.length > 0 && freshGroups.some(({ firstEver }) => firstEver);
        const posted = await alerts.postAlert({ target, groups, mention, truncated: listing.truncated, at });
        if (!posted.ok) return deliveryFailed(watch, target, posted.error, wlog);
        for (const group of groups) {
          store.saveAlertThread({
            watchId: watch.id,
            signature: group.signature,
            channel: watch.channel,
            ts: posted.ts,
            firstSeenAt: at,
            lastSeenAt: at,
            count: group.jobs.length,
            jobIds: group.jobs.map((job) => job.id).slice(0, THREAD_JOB_IDS_KEPT),
          });
        }
        messages.remember({
          target,
          channel: watch.channel,
          ts: posted.ts,
          mention,
          truncated: listing.truncated,
          postedAt: at,
          groups: groups.map((group) => ({
            signature: group.signature,
            firstLine: group.firstLine,
            jobs: group.jobs,
            total: group.jobs.length,
            lastSeenAt: at,
            mutedUntil: null,
          })),
        });
        outcome.alerted = groups.length;
        wlog.info({ signatures: groups.length, jobs: countJobs(groups), mention }, "alert posted");
      }

      for (const [threadTs, replies] of followUps) {
        const posted = await alerts.postFollowUp({
          target,
          channel: replies[0]?.thread.channel ?? watch.channel,
          threadTs,
          groups: replies.map(({ group, thread }) => ({
            group,
            total: thread.count + group.jobs.length,
            firstSeenAt: thread.firstSeenAt,
          })),
        });
        if (!posted.ok) return deliveryFailed(watch, target, posted.error, wlog);
        for (const { group, thread } of replies) {
          store.saveAlertThread({
            ...thread,
            lastSeenAt: at,
            count: thread.count + group.jobs.length,
            jobIds: [...group.jobs.map((job) => job.id), ...thread.jobIds].slice(0, THREAD_JOB_IDS_KEPT),
          });
        }
        outcome.followedUp += replies.length;
        await redrawAlert(watch.id, replies[0]?.thread.channel ?? watch.channel, threadTs, at, wlog);
      }
    }

    store.updateWatchPoll(watch.id, {
      ...(listing.newest !== null
        ? { cursorJobId: listing.newest.id, cursorStartedAt: listing.newest.started_at ?? null }
        : {}),
      lastPolledAt: at,
      consecutiveAuthFailures: 0,
    });
    if (listing.truncated) wlog.warn({ pages: listing.pages }, "more new failures than one poll reads");
    return { kind: "checked", ...outcome };
  }

  /** The alert's counts, drawn again from the store; skipped when the message is not known (see createAlertMessages). */
  async function redrawAlert(watchId: number, channel: string, ts: string, at: number, wlog: Logger) {
    const message = messages.get(channel, ts);
    if (!message) {
      wlog.info({ ts }, "alert count not redrawn: the alert was posted before this process started");
      return;
    }
    for (const group of message.groups) {
      const thread = store.alertThread(watchId, group.signature, 0);
      if (thread?.ts === ts) {
        group.total = thread.count;
        group.lastSeenAt = thread.lastSeenAt;
      }
      group.mutedUntil = isMuted(watchId, group.signature, at);
    }
    const updated = await alerts.updateAlert(message);
    if (!updated.ok) wlog.warn({ ts, slackError: updated.error }, "alert count not updated");
  }

  async function listingFailed(
    watch: WatchRecord,
    customer: CustomerRef,
    error: unknown,
    wlog: Logger,
  ): Promise<PollOutcome> {
    if (!(error instanceof WorkatoApiError)) {
      wlog.error({ err: error }, "watch poll failed");
      return {
        kind: "error",
        code: "internal",
        message: error instanceof Error ? error.message : String(error),
      };
    }
    wlog.warn({ code: error.code, status: error.status }, "watch poll failed");
    if (error.code !== "auth" && error.code !== "not_found") {
      return { kind: "error", code: error.code, message: error.message };
    }
    const failures = watch.consecutiveAuthFailures + 1;
    if (failures < AUTH_FAILURES_BEFORE_PAUSE) {
      store.updateWatchPoll(watch.id, { consecutiveAuthFailures: failures });
      return { kind: "error", code: error.code, message: error.message };
    }
    store.updateWatchPoll(watch.id, { consecutiveAuthFailures: failures });
    const target: AlertTarget = { watch, customer, recipeName: null };
    return pause(watch, target, pauseReason(error, failures), wlog);
  }

  async function deliveryFailed(
    watch: WatchRecord,
    target: AlertTarget,
    slackError: string,
    wlog: Logger,
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
    return pause(watch, target, reason, wlog, { notify: false });
  }

  async function pause(
    watch: WatchRecord,
    target: AlertTarget | null,
    reason: string,
    wlog: Logger,
    { notify = true } = {},
  ): Promise<PollOutcome> {
    store.updateWatchPoll(watch.id, { pausedReason: reason });
    wlog.warn({ reason }, "watch paused");
    if (notify && target) {
      const told = await alerts.notifyPaused(
        { ...target, watch: { ...watch, pausedReason: reason } },
        reason,
      );
      if (!told.ok) wlog.warn({ slackError: told.error }, "could not tell the channel the watch paused");
    }
    return { kind: "paused", reason };
  }

  function pollOnce(watchId: number): Promise<PollOutcome> {
    const underWay = inFlight.get(watchId);
    if (underWay) return underWay;
    const spent: Spent = { requests: 0 };
    const poll = pollWatch(watchId, spent)
      .catch((error: unknown): PollOutcome => {
        log.error({ err: error, watch: watchId }, "watch poll crashed");
        return {
          kind: "error",
          code: "internal",
          message: error instanceof Error ? error.message : String(error),
        };
      })
      .finally(() => {
        inFlight.delete(watchId);
        // What polls really cost (pages, recipe names) stretches the interval, so rounds keep to the budget.
        if (spent.requests > 0) {
          stats.polls++;
          stats.requestsPerPoll = stats.requestsPerPoll * 0.98 + spent.requests * 0.02;
        }
      });
    inFlight.set(watchId, poll);
    return poll;
  }

  async function runLoop(): Promise<void> {
    while (running) {
      const watches = activeWatches();
      if (watches.length === 0) {
        await sleeper.sleep(Math.min(options.intervalSeconds * 1000, IDLE_RECHECK_MS));
        continue;
      }
      const { intervalSeconds, spacingMs } = plan(watches.length);
      const roundStart = performance.now();
      for (const [index, watch] of watches.entries()) {
        await sleeper.sleepUntil(roundStart + index * spacingMs);
        while (running && inFlight.size >= maxConcurrent) await Promise.race(inFlight.values());
        if (!running) return;
        void pollOnce(watch.id);
      }
      messages.forgetBefore(now() - windowMs);
      await sleeper.sleepUntil(roundStart + intervalSeconds * 1000);
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      sleeper.reset();
      log.info({ intervalSeconds: options.intervalSeconds, budgetPerMinute }, "watch poller started");
      loop = runLoop().catch((error: unknown) =>
        log.error({ err: error }, "watch poller stopped by an error"),
      );
    },
    async stop() {
      running = false;
      sleeper.cancelAll();
      await loop;
      loop = null;
      await Promise.allSettled([...inFlight.values()]);
    },
    pollOnce,
    effectiveIntervalSeconds() {
      return plan(activeWatches().length).intervalSeconds;
    },
    stats() {
      return { ...stats };
    },
  };
}

/** Failures grouped by signature, in order of each signature's newest failure. */
export function groupBySignature(jobs: readonly JobSummary[]): FailureGroup[] {
  const groups = new Map<string, FailureGroup>();
  for (const job of jobs) {
    const { signature, firstLine } = errorSignature(job.error ?? null);
    const failed: FailedJob = {
      id: job.id,
      masterJobId: job.master_job_id ?? job.id,
      startedAt: job.started_at ?? null,
    };
    const group = groups.get(signature);
    if (group) group.jobs.push(failed);
    else groups.set(signature, { signature, firstLine, jobs: [failed] });
  }
  return [...groups.values()];
}

/** Why a watch stopped, for the channel and for `watches`; Workato's own wording stays in the logs. */
export function pauseReason(error: WorkatoApiError, times: number): string {
  const inARow = `${times} times in a row`;
  if (error.status === 401) {
    return `Workato rejected the bot's API token (401) ${inARow}. Check WORKATO_API_TOKEN and the data centre; the API client's role needs Jobs "List" and "Get details" access to customer workspaces.`;
  }
  if (error.code === "auth") {
    return `Workato refused access (${error.status ?? 403}) ${inARow}: the API client's role needs Jobs "List" and "Get details" access (Workspace admin > API clients > Client roles > Customer workspaces > Projects).`;
  }
  return `Workato found no such customer or recipe (404) ${inARow}. Check the customer and recipe ids.`;
}

function timeOf(iso: string | null | undefined): number | null {
  if (iso === null || iso === undefined) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

function countJobs(groups: readonly FailureGroup[]): number {
  return groups.reduce((sum, group) => sum + group.jobs.length, 0);
}

/**
 * The top-level alerts this process posted, so a follow-up can redraw one with new counts: a message holding several
 * signatures needs all of them, and the store keeps counts but not the error lines. An alert posted before a restart
 * is not here; its follow-ups still go to its thread (the store has its ts) and say the total there.
 */
function createAlertMessages() {
  const byKey = new Map<string, AlertMessage>();
  const key = (channel: string, ts: string) => `${channel}\u0000${ts}`;
  return {
    remember(message: AlertMessage) {
      byKey.set(key(message.channel, message.ts), message);
    },
    get(channel: string, ts: string): AlertMessage | undefined {
      return byKey.get(key(channel, ts));
    },
    /** Drops alerts none of whose signatures can get a follow-up any more. */
    forgetBefore(cutoff: number) {
      for (const [k, message] of byKey) {
        if (message.groups.every((group) => group.lastSeenAt < cutoff)) byKey.delete(k);
      }
    },
  };
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Sleeps that stop() cuts short, so the loop ends at once instead of after a whole interval. */
function createSleeper() {
  const pending = new Set<() => void>();
  let cancelled = false;
  const sleep = (ms: number): Promise<void> => {
    if (cancelled || ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        pending.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      pending.add(done);
    });
  };
  return {
    sleep,
    sleepUntil: (at: number) => sleep(at - performance.now()),
    cancelAll() {
      cancelled = true;
      for (const done of [...pending]) done();
    },
    reset() {
      cancelled = false;
    },
  };
}
