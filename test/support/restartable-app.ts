// For end-to-end tests that kill -9 the app: the Workato simulator (with CUSTOMER's recipe RECIPE), the fake Slack, and
// the app as its own process on one SQLite file, so a restart finds what the killed one stored; closed after each test.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";
import { CUSTOMER, RECIPE, SIGNING_SECRET } from "../../sim/app-harness.js";
import { type AppProcess, startAppProcess } from "../../sim/app-process.js";
import { type FakeSlack, type FakeSlackOptions, startFakeSlack } from "../../sim/fake-slack/index.js";
import {
  type SimulatorOptions,
  startWorkatoSimulator,
  type WorkatoSimulator,
} from "../../sim/workato-simulator/index.js";

export interface RestartableApp {
  readonly sim: WorkatoSimulator;
  readonly slack: FakeSlack;
  /** Starts the app as its own process on this test's SQLite file. */
  startBot(): Promise<AppProcess>;
  /** kill -9, as a crash would, then `whileDown` (e.g. change the fakes), then start again on the same file. */
  killAndRestart(bot: AppProcess, whileDown?: () => void): Promise<AppProcess>;
}

export interface RestartableAppOptions {
  sim?: SimulatorOptions;
  slack?: FakeSlackOptions;
}

export function restartableAppPerTest(): (options?: RestartableAppOptions) => Promise<RestartableApp> {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return async (options = {}) => {
    const dir = mkdtempSync(join(tmpdir(), "workato-jobs-restart-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const sim = await startWorkatoSimulator(options.sim);
    sim.addCustomer({ id: CUSTOMER });
    sim.addRecipe(CUSTOMER, { id: RECIPE, name: "Orders" });
    const slack = await startFakeSlack(options.slack);
    cleanups.push(
      () => sim.close(),
      () => slack.close(),
    );
    const startBot = async (): Promise<AppProcess> => {
      const bot = await startAppProcess({
        SLACK_BOT_TOKEN: "xoxb-test-token",
        SLACK_SIGNING_SECRET: SIGNING_SECRET,
        SLACK_API_URL: slack.apiUrl,
        WORKATO_API_TOKEN: sim.token,
        WORKATO_BASE_URL: sim.url,
        SQLITE_PATH: join(dir, "bot.db"),
        REPEAT_COALESCE_MS: "200",
        LOG_LEVEL: "info",
      });
      cleanups.push(() => bot.stop());
      return bot;
    };
    return {
      sim,
      slack,
      startBot,
      async killAndRestart(bot, whileDown) {
        bot.child.kill("SIGKILL");
        await bot.stop();
        whileDown?.();
        return startBot();
      },
    };
  };
}
