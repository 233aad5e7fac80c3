// The narrow parts of the store the lineage modules use, callable on the SQLite store and the Postgres one alike.
import type { FollowUpStore } from "../store/follow-up-store.js";
import type { RepeatStore } from "../store/store.js";

/** Each method may answer now (SQLite) or later (Postgres); callers always await. */
export type Awaitable<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => R | Promise<Awaited<R>> : T[K];
};

/**
 * The repeats this bot made, by master job: who asked, when, and what their follow-up learnt; and the jobs Workato
 * refused to repeat, and why.
 */
export type BotRepeatLookup = Awaitable<Pick<FollowUpStore, "botRepeatsOf" | "refusedRepeatsOf">>;

/** What the outcome follower keeps durably: followed jobs, their outcomes, and what the sink was told. */
export type FollowUpPersistence = Awaitable<
  Pick<
    FollowUpStore,
    | "startFollowUp"
    | "followUpOf"
    | "unfinishedFollowUps"
    | "followedJobs"
    | "recordFollowedOutcomes"
    | "markFailedAgainReported"
    | "saveReportedCounts"
    | "finishFollowUp"
  >
>;

/** The bot's repeats, job by job: what it is sending right now, or sent without a clear answer. */
export type BotRepeatQueue = Awaitable<
  Pick<RepeatStore, "unfinishedRepeats" | "repeatJobs" | "recentRepeats">
>;
