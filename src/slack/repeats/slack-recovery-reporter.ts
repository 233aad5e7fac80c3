// A recovery's RepeatReporter in Slack: the parent is a progress message updated in place (bar, counts, ETA, Stop),
// every job's result goes into the thread in compact replies, then the one summary the follow-up edits in place, all
// through a thread pacer so Slack's limits and waits never lose a result nor slow Workato's requests. A result is marked posted only once Slack took its reply,
// so the driver of a resumed recovery posts exactly the recorded results the thread does not hold yet.
import type { Logger } from "pino";
import type { RepeatReporter } from "../../repeat/repeat-reporter.js";
import type { RepeatRecord } from "../../store/store.js";
import type { JobRepeatResult } from "../../workato/client.js";
import { type CustomerRef, parseCustomerRef } from "../../workato/customer-ref.js";
import { section } from "../blocks/elements.js";
import { buildErrorMessage } from "../blocks/help-blocks.js";
import { buildRecoveryProgress, estimatedRepeatMs, type RecoveryState } from "../blocks/recovery-blocks.js";
import { buildResultsReply } from "../blocks/recovery-result-blocks.js";
import { buildRepeatSummary } from "../blocks/repeat-blocks.js";
import type { HandlerDeps } from "../handler-deps.js";
import { createThreadPacer, type ThreadPacer } from "../io/thread-pacer.js";
import { rememberPosted, rememberSummary } from "./slack-repeat-reporter.js";

export interface RecoveryReportTo {
  channel: string;
  userId: string;
  /** epoch ms the failures were read back to; null: all Workato listed */
  since: number | null;
  /** a resumed recovery's thread and record */
  threadTs?: string;
  repeatId?: number;
  /** for private answers to the person who confirmed; a resumed recovery has none */
  responseUrl?: string;
  /** the recorded repeat this reporter drives (the dispatcher's); absent for the one that opens the parent */
  record?: Pick<RepeatRecord, "customer" | "recipeId">;
}

const RECIPE_NAME_WAIT_MS = 500;

export function createSlackRecoveryReporter(
  deps: Pick<HandlerDeps, "poster" | "names" | "store" | "clock">,
  to: RecoveryReportTo,
  log: Logger,
): RepeatReporter {
  const { poster, clock } = deps;
  let threadTs = to.threadTs;
  let repeatId: number | null = to.repeatId ?? null;
  let pacer: ThreadPacer<JobRepeatResult> | null = null;
  let scope: Parameters<typeof buildRecoveryProgress>[0] | null = null;
  const counts = { enqueued: 0, failed: 0, unknown: 0 };
  /** jobs whose result is counted and in the thread or queued for it: a result recorded before loadOnce read it
   *  reaches batch() too, and must not be counted or posted twice */
  const known = new Set<string>();
  let postedBefore = 0;
  let total = 0;
  let sentAtStart = 0;
  let firstResultAt: number | null = null;
  /** while the store cannot be written: the progress message says so instead of an ETA */
  let paused = false;

  const sent = () => counts.enqueued + counts.failed + counts.unknown;

  function etaMs(): number | null {
    const remaining = total - sent();
    if (firstResultAt === null) return null;
    const elapsed = clock.now() - firstResultAt;
    const sentSince = sent() - sentAtStart;
    // Shared slots make the real rate lower than Workato's limit: measure it once a few requests are in.
    if (elapsed < 3000 || sentSince <= 0) return estimatedRepeatMs(remaining);
    return Math.round((remaining / sentSince) * elapsed);
  }

  function progress(state: RecoveryState, stoppedBy?: string, notSent?: number) {
    if (!scope) throw new Error("recovery progress before its parent was opened");
    return buildRecoveryProgress({
      ...scope,
      repeatId,
      total,
      ...counts,
      etaMs: etaMs(),
      state,
      paused,
      ...(stoppedBy !== undefined ? { stoppedBy } : {}),
      ...(notSent !== undefined ? { notSent } : {}),
    });
  }

  function pacerFor(ts: string): ThreadPacer<JobRepeatResult> {
    pacer ??= createThreadPacer<JobRepeatResult>({
      poster,
      channel: to.channel,
      threadTs: ts,
      composeReply: (items, posted) => buildResultsReply(items, { firstNumber: posted + 1, total }),
      alreadyPosted: postedBefore,
      posted: (results) =>
        rememberPosted(
          deps.store,
          repeatId,
          results.map((result) => result.jobId),
          log,
        ),
      log,
    });
    return pacer;
  }

  /** Queues the results not counted yet; returns them. */
  function addNew(results: readonly JobRepeatResult[]): JobRepeatResult[] {
    const fresh = results.filter((result) => !known.has(result.jobId));
    for (const result of fresh) {
      known.add(result.jobId);
      counts[result.outcome]++;
    }
    if (fresh.length > 0 && threadTs !== undefined) pacerFor(threadTs).add(fresh);
    return fresh;
  }

  async function nameOf(customer: CustomerRef, recipeId: number): Promise<string | null> {
    return Promise.race([
      deps.names.recipe(customer, recipeId),
      new Promise<null>((resolve) => setTimeout(() => resolve(null), RECIPE_NAME_WAIT_MS).unref()),
    ]);
  }

  let loading: Promise<void> | null = null;
  /** The driver of a recorded recovery (not the one that opened it) reads where it stands from the store once. */
  function loadOnce(): Promise<void> {
    loading ??= (async () => {
      if (scope !== null || repeatId === null || !to.record) return;
      const [jobs, unposted] = await Promise.all([
        deps.store.repeatJobs(repeatId),
        deps.store.unpostedResults(repeatId),
      ]);
      total = jobs.length;
      const notInThread = new Set(unposted.map((result) => result.jobId));
      for (const job of jobs) {
        if (job.status.state !== "done" || notInThread.has(job.jobId)) continue;
        known.add(job.jobId);
        counts[job.status.result.outcome]++;
        postedBefore++;
      }
      // Recorded before a crash (or just now, by the runner) but not in the thread yet: they go first.
      addNew(unposted);
      sentAtStart = sent();
      const customer = parseCustomerRef(to.record.customer);
      if (!customer.ok) return;
      scope = {
        customer: customer.ref,
        recipeId: to.record.recipeId,
        recipeName: await nameOf(customer.ref, to.record.recipeId),
        customerName: deps.names.customer(customer.ref),
        since: to.since,
        repeatId,
        userId: to.userId,
        total,
        ...counts,
        etaMs: null,
        state: "running",
      };
    })();
    return loading;
  }

  /** The progress message, redrawn in place: a pause is never a reply of its own, so never read as a result. */
  async function showPaused(now: boolean): Promise<void> {
    paused = now;
    if (threadTs === undefined) return;
    await loadOnce();
    if (scope) pacerFor(threadTs).progress(progress("running"));
  }

  return {
    async opened(repeat) {
      total = repeat.jobIds.length;
      const name = await nameOf(repeat.customer, repeat.recipeId);
      scope = {
        customer: repeat.customer,
        recipeId: repeat.recipeId,
        recipeName: name,
        customerName: deps.names.customer(repeat.customer),
        since: to.since,
        repeatId: null,
        userId: to.userId,
        total,
        enqueued: 0,
        failed: 0,
        unknown: 0,
        etaMs: null,
        state: "running",
      };
      const opening = await poster.post(to.channel, progress("running"));
      if (!opening.ok) return { ok: false, error: opening.error };
      threadTs = opening.ts;
      return { ok: true, threadTs };
    },

    async recorded(_at, id) {
      repeatId = id;
      // Now the Stop button can name the repeat; whoever drives it (reporterForRecord) takes the updates from here.
      if (threadTs !== undefined) await poster.update(to.channel, threadTs, progress("running"));
    },

    async batch(results) {
      if (threadTs === undefined) return;
      await loadOnce();
      firstResultAt ??= clock.now();
      addNew(results);
      pacerFor(threadTs).progress(progress("running"));
    },

    async summary(results, ending) {
      if (threadTs === undefined) return;
      await loadOnce();
      const thread = pacerFor(threadTs);
      const stoppedBy = ending.stoppedBy ?? undefined;
      thread.progress(progress(stoppedBy === undefined ? "finished" : "stopped", stoppedBy, ending.notSent));
      const summary = buildRepeatSummary({ results, userId: to.userId, stop: ending });
      // The follow-up edits this one summary in place as the new jobs finish: no second summary, even after a restart.
      thread.reply(summary, async (ts) => {
        if (repeatId !== null) await rememberSummary(deps.store, repeatId, ts, log);
      });
      // The repeat is finished only once its thread holds every result.
      await thread.drained();
    },

    async restarted(inFlight) {
      if (threadTs === undefined) return;
      await loadOnce();
      const thread = pacerFor(threadTs);
      const note = `:arrows_counterclockwise: The bot restarted during this repeat; carrying on. ${
        inFlight > 0
          ? `Checking with Workato what happened to the ${inFlight} jobs whose request was in flight.`
          : ""
      }`;
      thread.reply({ text: note, blocks: [section(note)] });
      if (scope) thread.progress(progress("running"));
    },

    async paused() {
      await showPaused(true);
    },

    async resumed() {
      await showPaused(false);
    },

    async cannotStart(reason) {
      if (reason.kind === "cannot_record") {
        if (threadTs !== undefined) {
          await poster.post(
            to.channel,
            buildErrorMessage(
              "I could not record this repeat safely, so nothing was repeated.",
              "Try again in a moment.",
            ),
            threadTs,
          );
        }
        return;
      }
      if (to.responseUrl !== undefined) {
        await poster.respond(
          to.responseUrl,
          buildErrorMessage(
            `Slack refused my message (${reason.error}), so the repeat was not started. Nothing was repeated.`,
            "Check that I am a member of this channel (/invite @workato-jobs), then try again.",
          ),
        );
      }
    },
  };
}
