// How often each watch can be polled within the background share of Workato's jobs limit, and how far apart the polls
// go so they spread evenly over the interval instead of bursting at its start. Arithmetic only: the budget
// (workato/budget.ts) paces the requests themselves.
import { BACKGROUND_SHARE_OF_LIMIT, backgroundGapMs } from "../workato/budget.js";
import { JOBS_REQUESTS_PER_MINUTE } from "../workato/limits.js";

/** The poller never takes more than this share: the rest stays free for people's commands and buttons. */
export const POLLER_SHARE_OF_LIMIT = BACKGROUND_SHARE_OF_LIMIT;
export const POLLER_REQUESTS_PER_MINUTE = JOBS_REQUESTS_PER_MINUTE * POLLER_SHARE_OF_LIMIT;

export interface PollBudgetInput {
  /** active (not paused) watches */
  watches: number;
  /** the interval asked for (WATCH_INTERVAL_SECONDS) */
  targetIntervalSeconds: number;
  /** list requests one poll costs on average; at least 1, more when polls page through many new failures */
  requestsPerPoll?: number;
  /** what the budget gives background jobs calls; default POLLER_REQUESTS_PER_MINUTE */
  budgetPerMinute?: number;
}

export interface PollPlan {
  /** how long each watch actually waits between two of its polls */
  intervalSeconds: number;
  /** time between the starts of two consecutive polls (of different watches) */
  spacingMs: number;
  /** the gap the budget keeps between two background requests */
  minRequestGapMs: number;
}

export function planPolls(input: PollBudgetInput): PollPlan {
  const budgetPerMinute = input.budgetPerMinute ?? POLLER_REQUESTS_PER_MINUTE;
  if (!(budgetPerMinute > 0)) throw new RangeError("the poll budget must be a positive number of requests");
  if (!(input.targetIntervalSeconds > 0)) throw new RangeError("the watch interval must be positive");
  const watches = Math.max(0, Math.floor(input.watches));
  const requestsPerPoll = Math.max(1, input.requestsPerPoll ?? 1);
  const minRequestGapMs = backgroundGapMs(budgetPerMinute);
  // One full round of every watch takes watches × requestsPerPoll requests, each minRequestGapMs after the last.
  const budgetSeconds = (watches * requestsPerPoll * minRequestGapMs) / 1000;
  const intervalSeconds = Math.max(input.targetIntervalSeconds, budgetSeconds);
  return {
    intervalSeconds,
    spacingMs: watches === 0 ? intervalSeconds * 1000 : (intervalSeconds * 1000) / watches,
    minRequestGapMs,
  };
}
