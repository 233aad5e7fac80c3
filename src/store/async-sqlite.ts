// The SQLite store behind the asynchronous contract the app uses, so one code path serves SQLite and Postgres.
import type { AsyncStore, Store } from "./store.js";

/**
 * Every method answers with a resolved promise (a throw becomes a rejection). Listing the methods against
 * AsyncStore makes tsc name any method added to Store and not wrapped here.
 */
export function asyncSqliteStore(store: Store): AsyncStore {
  return {
    createRepeat: async (...args) => store.createRepeat(...args),
    markInFlight: async (...args) => store.markInFlight(...args),
    recordResults: async (...args) => store.recordResults(...args),
    markWaiting: async (...args) => store.markWaiting(...args),
    finishRepeat: async (...args) => store.finishRepeat(...args),
    unfinishedRepeats: async () => store.unfinishedRepeats(),
    repeatJobs: async (...args) => store.repeatJobs(...args),
    batchesReported: async (...args) => store.batchesReported(...args),
    markResultsPosted: async (...args) => store.markResultsPosted(...args),
    unpostedResults: async (...args) => store.unpostedResults(...args),
    recentRepeats: async (...args) => store.recentRepeats(...args),
    claim: async (...args) => store.claim(...args),
    release: async (...args) => store.release(...args),
    forgetClaimsBefore: async (...args) => store.forgetClaimsBefore(...args),
    upsertWatch: async (...args) => store.upsertWatch(...args),
    removeWatch: async (...args) => store.removeWatch(...args),
    watches: async (...args) => store.watches(...args),
    watch: async (...args) => store.watch(...args),
    updateWatchPoll: async (...args) => store.updateWatchPoll(...args),
    setMute: async (...args) => store.setMute(...args),
    mutedUntil: async (...args) => store.mutedUntil(...args),
    alertThread: async (...args) => store.alertThread(...args),
    saveAlertThread: async (...args) => store.saveAlertThread(...args),
    mutes: async (...args) => store.mutes(...args),
    alertThreads: async (...args) => store.alertThreads(...args),
    botRepeatsOf: async (...args) => store.botRepeatsOf(...args),
    startFollowUp: async (...args) => store.startFollowUp(...args),
    followUpOf: async (...args) => store.followUpOf(...args),
    unfinishedFollowUps: async () => store.unfinishedFollowUps(),
    followedJobs: async (...args) => store.followedJobs(...args),
    recordFollowedOutcomes: async (...args) => store.recordFollowedOutcomes(...args),
    markFailedAgainReported: async (...args) => store.markFailedAgainReported(...args),
    saveReportedCounts: async (...args) => store.saveReportedCounts(...args),
    finishFollowUp: async (...args) => store.finishFollowUp(...args),
    saveSummaryTs: async (...args) => store.saveSummaryTs(...args),
    summaryTsOf: async (...args) => store.summaryTsOf(...args),
    saveRecoveryPlan: async (...args) => store.saveRecoveryPlan(...args),
    recoveryPlan: async (...args) => store.recoveryPlan(...args),
    stopRecovery: async (...args) => store.stopRecovery(...args),
    saveDigest: async (...args) => store.saveDigest(...args),
    removeDigest: async (...args) => store.removeDigest(...args),
    digestOf: async (...args) => store.digestOf(...args),
    digests: async () => store.digests(),
    claimDigestDay: async (...args) => store.claimDigestDay(...args),
    recordWatchFailures: async (...args) => store.recordWatchFailures(...args),
    watchFailuresSince: async (...args) => store.watchFailuresSince(...args),
    forgetWatchFailuresBefore: async (...args) => store.forgetWatchFailuresBefore(...args),
    close: async () => store.close(),
  };
}
