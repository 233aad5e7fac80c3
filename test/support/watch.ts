// A watch as the store holds it before its first poll, for tests that build messages about one or compare with it.
import type { WatchRecord } from "../../src/store/store.js";

export type WatchFields = Pick<
  WatchRecord,
  "id" | "channel" | "customer" | "recipeId" | "mentions" | "createdBy" | "createdAt"
>;

export function unpolledWatch(fields: WatchFields): WatchRecord {
  return {
    ...fields,
    cursorJobId: null,
    cursorStartedAt: null,
    cursorCompletedAt: null,
    lastPolledAt: null,
    consecutiveAuthFailures: 0,
    pausedReason: null,
    runbookUrl: null,
  };
}
