// A real Bolt app on a free port carrying the watch buttons a test registers, wired to a watch harness (simulator,
// fake Slack, SQLite), with a signed requester into it; the app and the harness are closed after each test.
import { App, HTTPReceiver } from "@slack/bolt";
import { afterEach } from "vitest";
import { freePort } from "../../sim/free-port.js";
import { createSlackRequester, type SlackRequester } from "../../sim/slack-requests.js";
import type { AccessPolicy } from "../../src/access/policy.js";
import { createBackgroundWork } from "../../src/background.js";
import { createPoster } from "../../src/slack/io/poster.js";
import type { MuteDeps } from "../../src/slack/watches/mute-actions.js";
import type { StartRecipeDeps } from "../../src/slack/watches/start-recipe-actions.js";
import { silentLogger, startWatchHarness, type WatchHarness } from "./watch-harness.js";

export type WatchButtonDeps = MuteDeps & StartRecipeDeps;

export interface WatchButtonsApp {
  harness: WatchHarness;
  send: SlackRequester;
}

export interface WatchButtonsAppOptions {
  signingSecret: string;
  /** the access policy of the harness; none: everyone in the workspace may view */
  policy?: AccessPolicy;
  /** registers the action handlers under test, e.g. `(app, deps) => onMute(app, deps)` */
  register(app: App, deps: WatchButtonDeps): void;
}

export function watchButtonsAppPerTest(options: WatchButtonsAppOptions): () => Promise<WatchButtonsApp> {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return async () => {
    const harness = await startWatchHarness(options.policy ? { policy: options.policy } : {});
    cleanups.push(() => harness.close());
    const port = await freePort();
    const app = new App({
      token: "xoxb-test-token",
      receiver: new HTTPReceiver({
        signingSecret: options.signingSecret,
        endpoints: "/slack/events",
        processBeforeResponse: false,
      }),
      deferInitialization: true,
      clientOptions: { slackApiUrl: harness.slack.apiUrl },
    });
    const background = createBackgroundWork(silentLogger);
    options.register(app, {
      store: harness.asyncStore,
      access: harness.access,
      poster: createPoster(app.client, silentLogger),
      background,
      logger: silentLogger,
      clock: { now: () => harness.clock.now },
      workato: harness.workato,
      // The poller of the harness: a click's change redraws the views it posted.
      get poller() {
        return harness.poller;
      },
    });
    await app.init();
    await app.start(port);
    cleanups.push(async () => {
      await app.stop();
      await background.settled();
    });
    const send = createSlackRequester({
      appUrl: `http://127.0.0.1:${port}`,
      signingSecret: options.signingSecret,
      fake: harness.slack,
    });
    return { harness, send };
  };
}
