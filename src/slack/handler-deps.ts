// What the Slack handlers need, passed in once when the app is built.
import type { Logger } from "pino";
import type { AccessChecker } from "../access/access-check.js";
import type { BackgroundWork } from "../background.js";
import type { Clock } from "../clock.js";
import type { RepeatClaims } from "../repeat/claims.js";
import type { PendingRepeats } from "../repeat/pending-repeats.js";
import type { RepeatScheduler } from "../repeat/repeat-scheduler.js";
import type { Store } from "../store/store.js";
import type { WatchPoller } from "../watch/poller.js";
import type { WorkatoClient } from "../workato/client.js";
import type { Poster } from "./io/poster.js";

export interface HandlerDeps {
  workato: WorkatoClient;
  scheduler: RepeatScheduler;
  poster: Poster;
  claims: RepeatClaims;
  pendingRepeats: PendingRepeats;
  access: AccessChecker;
  store: Store;
  poller: WatchPoller;
  /** WATCH_INTERVAL_SECONDS */
  watchIntervalSeconds: number;
  background: BackgroundWork;
  logger: Logger;
  clock: Clock;
}
