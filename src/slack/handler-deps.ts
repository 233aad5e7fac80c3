// What the Slack handlers need, passed in once when the app is built.
import type { Logger } from "pino";
import type { AccessChecker } from "../access/access-check.js";
import type { BackgroundWork } from "../background.js";
import type { Clock } from "../clock.js";
import type { CustomerDirectory } from "../customers/customer-directory.js";
import type { LineageReader } from "../lineage/lineage-reader.js";
import type { MetricsRecorder } from "../metrics/metrics.js";
import type { Names } from "../names/names.js";
import type { RepeatClaims } from "../repeat/claims.js";
import type { PendingRepeats } from "../repeat/pending-repeats.js";
import type { RepeatQueue } from "../repeat/repeat-dispatcher.js";
import type { RunningRepeats } from "../repeat/running-repeats.js";
import type { AsyncStore } from "../store/store.js";
import type { StoreHealth } from "../store/store-health.js";
import type { WatchPoller } from "../watch/poller.js";
import type { WorkatoClient } from "../workato/client.js";
import type { WorkatoLinks } from "../workato/workato-links.js";
import type { HomeRefresher } from "./home/home-refresh.js";
import type { Permalinks } from "./io/permalinks.js";
import type { Poster } from "./io/poster.js";

export interface HandlerDeps {
  workato: WorkatoClient;
  /** where a recorded repeat is handed on; the repeat dispatcher (on the lease holder) sends it */
  repeatQueue: RepeatQueue;
  poster: Poster;
  claims: RepeatClaims;
  pendingRepeats: PendingRepeats;
  access: AccessChecker;
  /** every customer of the admin workspace, cached: names as <customer>, the customers command, 404 checks */
  customers: CustomerDirectory;
  /** customer and recipe names for messages; the id stands in where a name is unknown */
  names: Names;
  store: AsyncStore;
  poller: WatchPoller;
  /** WATCH_INTERVAL_SECONDS */
  watchIntervalSeconds: number;
  background: BackgroundWork;
  logger: Logger;
  clock: Clock;
  /** what became of failed jobs (their repeats and outcomes): lists, buttons and the repeat command ask it */
  lineage: LineageReader;
  /** threads' permalinks (chat.getPermalink, cached), for history and App Home */
  permalinks: Permalinks;
  /** the pages Open in Workato opens (WORKATO_JOB_URL_TEMPLATE, or the data centre's default) */
  links: WorkatoLinks;
  /** the repeats this process sends, so Stop reaches them at once; absent where a test builds no dispatcher */
  runningRepeats?: RunningRepeats;
  /** whether the store can be written; absent where a test builds the handlers without it (taken as healthy) */
  storeHealth?: Pick<StoreHealth, "condition">;
  /** who looks at App Home now, republished on changes; absent where a test builds the handlers without it */
  home?: HomeRefresher;
  /** a person's time zone from their Slack profile (users.info tz); absent where a test builds no Slack directory */
  timeZoneOf?: (userId: string) => Promise<string | null>;
  /** repeat outcomes for /metrics; absent where a test builds the handlers without metrics */
  metrics?: Pick<MetricsRecorder, "repeatJobs">;
}
