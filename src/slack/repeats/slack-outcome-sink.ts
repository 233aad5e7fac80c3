// The outcome follower's OutcomeSink in Slack: the repeat's summary is edited in place as its new jobs finish, jobs
// that failed again are posted in its thread (grouped, with Details / Repeat again), and the end is said once.
import type { Logger } from "pino";
import type { FailedAgainJob, FollowUpEnd, OutcomeSink } from "../../lineage/outcome-sink.js";
import type { FollowCounts } from "../../store/follow-up-store.js";
import type { AsyncStore, RepeatRecord } from "../../store/store.js";
import { parseCustomerRef } from "../../workato/customer-ref.js";
import type { SlackMessage } from "../blocks/elements.js";
import {
  buildFailedAgainReply,
  buildStillRunningReply,
  type SummaryOutcomes,
} from "../blocks/outcome-blocks.js";
import { buildRepeatSummary } from "../blocks/repeat-blocks.js";
import type { Poster } from "../io/poster.js";

export interface SlackOutcomeSinkDeps {
  poster: Pick<Poster, "post" | "update">;
  store: Pick<AsyncStore, "summaryTsOf" | "repeatJobs" | "recoveryPlan">;
  logger: Logger;
  /** the follow-up's time limit, as the summary states it when reached */
  limitMinutes: number;
}

export function createSlackOutcomeSink(deps: SlackOutcomeSinkDeps): OutcomeSink {
  const { poster, store, logger } = deps;

  /**
   * The summary rebuilt from the store with the outcomes: every Workato answer of the repeat's requests and, for a
   * recovery someone stopped, who stopped it and the jobs never sent, so an edit never drops the stop.
   */
  async function summaryWith(repeat: RepeatRecord, outcomes: SummaryOutcomes): Promise<SlackMessage> {
    const [jobs, plan] = await Promise.all([store.repeatJobs(repeat.id), store.recoveryPlan(repeat.id)]);
    const results = jobs.flatMap((job) => (job.status.state === "done" ? [job.status.result] : []));
    const stop = { stoppedBy: plan?.stoppedBy ?? null, notSent: jobs.length - results.length };
    return buildRepeatSummary({ results, userId: repeat.userId, outcomes, stop });
  }

  /** Throws when Slack refused, so the follower tells this sink again next round (it records only what worked). */
  async function editSummary(repeat: RepeatRecord, outcomes: SummaryOutcomes): Promise<boolean> {
    const ts = await store.summaryTsOf(repeat.id);
    if (ts === null) return false;
    const updated = await poster.update(repeat.channel, ts, await summaryWith(repeat, outcomes));
    if (!updated.ok) throw new Error(`could not edit the repeat's summary: ${updated.error}`);
    return true;
  }

  async function postInThread(repeat: RepeatRecord, message: SlackMessage, what: string): Promise<void> {
    const posted = await poster.post(repeat.channel, message, repeat.threadTs);
    if (!posted.ok) throw new Error(`could not post ${what}: ${posted.error}`);
  }

  return {
    async progress(repeat: RepeatRecord, counts: FollowCounts) {
      // Without a summary to edit (its post failed) progress waits for the end, which is posted anew.
      await editSummary(repeat, { counts, state: "following" });
    },

    async failedAgain(repeat: RepeatRecord, jobs: FailedAgainJob[]) {
      const customer = parseCustomerRef(repeat.customer);
      if (!customer.ok) {
        logger.error({ repeatId: repeat.id }, "a followed repeat names a customer that no longer parses");
        return;
      }
      const where = { customer: customer.ref, recipeId: repeat.recipeId, recipeName: null };
      await postInThread(repeat, buildFailedAgainReply({ where, jobs }), "the jobs that failed again");
    },

    async finished(repeat: RepeatRecord, end: FollowUpEnd) {
      const outcomes: SummaryOutcomes = {
        counts: end.counts,
        state: end.reason === "settled" ? "settled" : "time_limit",
        limitMinutes: deps.limitMinutes,
      };
      const edited = await editSummary(repeat, outcomes);
      if (!edited) await postInThread(repeat, await summaryWith(repeat, outcomes), "a repeat's outcomes");
      if (end.reason === "time_limit" && end.stillRunning.length > 0) {
        // The summary already says the follow-up ended; a refused list of ids is not worth telling it all again.
        const posted = await poster.post(
          repeat.channel,
          buildStillRunningReply({ jobs: end.stillRunning, limitMinutes: deps.limitMinutes }),
          repeat.threadTs,
        );
        if (!posted.ok)
          logger.warn({ slackError: posted.error, repeatId: repeat.id }, "still-running list refused");
      }
    },
  };
}
