// Every customer (managed user) of the admin workspace, cached: Workato has no search endpoint and allows 60 customer
// requests a minute for the whole workspace, so the list is read rarely, page by page, and searched locally.
import type { Logger } from "pino";
import type { Clock } from "../clock.js";
import type { DirectoryCalls } from "../workato/directory-calls.js";
import { MAX_PER_PAGE } from "../workato/directory-calls.js";
import { describeWorkatoFailure } from "../workato/errors.js";
import type { CallPriority } from "../workato/limits.js";
import type { Customer } from "../workato/schemas.js";

/** What the directory holds now; reading it never waits. */
export interface DirectorySnapshot {
  readonly customers: readonly Customer[];
  /** when the list was last read in full; null before the first read finished */
  readonly loadedAt: number | null;
  /** why the last read failed, worded for a person; null when it did not */
  readonly problem: string | null;
}

export interface CustomerDirectory {
  /** the cached list; starts a background refresh when it is older than the refresh interval */
  snapshot(): DirectorySnapshot;
  /**
   * For a person waiting on a name the snapshot does not know: the first read happens now (its pages ahead of
   * background work); afterwards a miss re-reads the list at most once per `missRefreshMs`. Never throws.
   */
  refreshForMiss(): Promise<DirectorySnapshot>;
  /** the customer with this numeric or external id, if the cached list has it */
  find(ref: { kind: "managed_user_id" | "external_id"; id: string }): Customer | undefined;
  /** waits for a read in progress (tests, shutdown) */
  settled(): Promise<void>;
}

export interface CustomerDirectoryOptions {
  workato: Pick<DirectoryCalls, "listCustomers">;
  clock: Clock;
  logger: Logger;
  /** a full re-read at most this often; default 10 minutes */
  refreshMs?: number;
  /** a re-read because a typed name was not found, at most this often; default 1 minute */
  missRefreshMs?: number;
  /** stop reading after this many pages (a paging loop gone wrong would burn the workspace's quota); default 100 */
  maxPages?: number;
}

const DEFAULT_REFRESH_MS = 10 * 60_000;
const DEFAULT_MISS_REFRESH_MS = 60_000;
const DEFAULT_MAX_PAGES = 100;

export function createCustomerDirectory(options: CustomerDirectoryOptions): CustomerDirectory {
  const { workato, clock, logger } = options;
  const refreshMs = options.refreshMs ?? DEFAULT_REFRESH_MS;
  const missRefreshMs = options.missRefreshMs ?? DEFAULT_MISS_REFRESH_MS;
  const maxPages = options.maxPages ?? DEFAULT_MAX_PAGES;
  let current: DirectorySnapshot = { customers: [], loadedAt: null, problem: null };
  /** when the last read started, successful or not: what both intervals are measured from */
  let lastAttemptAt: number | null = null;
  let inFlight: Promise<DirectorySnapshot> | null = null;

  async function readAll(priority: CallPriority): Promise<Customer[]> {
    const customers: Customer[] = [];
    for (let page = 1; page <= maxPages; page++) {
      const items = await workato.listCustomers({ page, perPage: MAX_PER_PAGE }, { priority });
      customers.push(...items);
      if (items.length < MAX_PER_PAGE) return customers;
    }
    logger.warn({ pages: maxPages }, "customer directory: stopped reading after the page limit");
    return customers;
  }

  function refresh(priority: CallPriority): Promise<DirectorySnapshot> {
    if (inFlight) return inFlight;
    lastAttemptAt = clock.now();
    const startedAt = lastAttemptAt;
    inFlight = readAll(priority)
      .then(
        (customers): DirectorySnapshot => {
          logger.info({ customers: customers.length }, "customer directory read");
          return { customers, loadedAt: startedAt, problem: null };
        },
        (error: unknown): DirectorySnapshot => {
          logger.warn({ err: error }, "customer directory: reading the customers failed");
          // What was known stays usable: a failed refresh only adds the reason.
          const problem = describeWorkatoFailure(error, "reading Workato's list of customers").whatHappened;
          return { ...current, problem };
        },
      )
      .then((next) => {
        current = next;
        inFlight = null;
        return next;
      });
    return inFlight;
  }

  const olderThan = (ms: number) => lastAttemptAt === null || clock.now() - lastAttemptAt >= ms;

  return {
    snapshot() {
      if (current.loadedAt !== null && olderThan(refreshMs)) void refresh("background");
      return current;
    },
    refreshForMiss() {
      if (inFlight) return inFlight;
      // Nobody has read the list yet and a person is waiting: their pages go ahead of background work.
      if (current.loadedAt === null && lastAttemptAt === null) return refresh("interactive");
      if (olderThan(missRefreshMs)) return refresh("background");
      return Promise.resolve(current);
    },
    find(ref) {
      return current.customers.find((customer) =>
        ref.kind === "managed_user_id" ? String(customer.id) === ref.id : customer.externalId === ref.id,
      );
    },
    async settled() {
      await inFlight;
    },
  };
}
