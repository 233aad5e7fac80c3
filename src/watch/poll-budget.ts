// How often each watch can be polled within the poller's share of Workato's rate limit, and how far apart the polls
// go so they spread evenly over the interval instead of bursting at its start.

/** Workato's limit on the jobs endpoints other than repeat_jobs, shared by everything using the same account. */
export const WORKATO_REQUESTS_PER_MINUTE = 1000;
/** The poller never takes more than this share: the rest stays free for people's commands and buttons. */
export const POLLER_SHARE_OF_LIMIT = 0.8;
export const POLLER_REQUESTS_PER_MINUTE = WORKATO_REQUESTS_PER_MINUTE * POLLER_SHARE_OF_LIMIT;
export const DEFAULT_WATCH_INTERVAL_SECONDS = 60;
/**
 * Requests are spaced 1% wider than the budget's average needs: the time between our sending a request and Workato
 * counting it varies (measured here: a few hundred ms over a minute of polling), and must never tip a minute over.
 */
const SPACING_MARGIN = 1.01;

export interface PollBudgetInput {
  /** active (not paused) watches */
  watches: number;
  /** the interval asked for (WATCH_INTERVAL_SECONDS) */
  targetIntervalSeconds: number;
  /** list requests one poll costs on average; at least 1, more when polls page through many new failures */
  requestsPerPoll?: number;
  /** default POLLER_REQUESTS_PER_MINUTE */
  budgetPerMinute?: number;
}

export interface PollPlan {
  /** how long each watch actually waits between two of its polls */
  intervalSeconds: number;
  /** time between the starts of two consecutive polls (of different watches) */
  spacingMs: number;
  /** the shortest gap between two of the poller's requests that keeps it within its budget */
  minRequestGapMs: number;
  /** true when the budget, not the target, sets the interval */
  limitedByBudget: boolean;
}

export function planPolls(input: PollBudgetInput): PollPlan {
  const budgetPerMinute = input.budgetPerMinute ?? POLLER_REQUESTS_PER_MINUTE;
  if (!(budgetPerMinute > 0)) throw new RangeError("the poll budget must be a positive number of requests");
  if (!(input.targetIntervalSeconds > 0)) throw new RangeError("the watch interval must be positive");
  const watches = Math.max(0, Math.floor(input.watches));
  const requestsPerPoll = Math.max(1, input.requestsPerPoll ?? 1);
  const minRequestGapMs = (60_000 / budgetPerMinute) * SPACING_MARGIN;
  // One full round of every watch takes watches × requestsPerPoll requests, each minRequestGapMs after the last.
  const budgetSeconds = (watches * requestsPerPoll * minRequestGapMs) / 1000;
  const intervalSeconds = Math.max(input.targetIntervalSeconds, budgetSeconds);
  return {
    intervalSeconds,
    spacingMs: watches === 0 ? intervalSeconds * 1000 : (intervalSeconds * 1000) / watches,
    minRequestGapMs,
    limitedByBudget: budgetSeconds > input.targetIntervalSeconds,
  };
}
