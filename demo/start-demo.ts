// Starts the whole demo in one process: the Workato simulator seeded with customers, recipes and jobs; the fake Slack
// the end-to-end tests use; the real app wired to both through the same harness (HTTP mode, SQLite in a temporary
// file); and the page that stands in for a Slack channel, whose commands and clicks reach the app signed.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { CHANNEL, CUSTOMER, type Harness, RECIPE, startHarness } from "../sim/app-harness.js";
import { isSubcommand, SLASH_COMMAND } from "../src/slack/commands/grammar.js";
import { MAIN_CUSTOMER_NAME, RECOVERY_RECIPE } from "./catalog.js";
import { createChannelFeed, type Person } from "./channel-feed.js";
import { createPageActions } from "./page-actions.js";
import { type PageServer, startPageServer } from "./page-server.js";
import { createRandom } from "./random.js";
import { STOPPED_RECIPE, seedStoppedRecipe, seedWorkspace } from "./seed.js";
import { type ActivityTiming, startWorkatoActivity } from "./workato-activity.js";

export const DEMO_CHANNEL = { id: CHANNEL, name: "integrations-oncall" };
export const DEMO_VIEWER: Person = { id: "U0ALEX", name: "alex" };
/** People and a user group to mention, e.g. on a watch. */
const TEAMMATES: readonly Person[] = [
  { id: "U0PRIYA", name: "priya" },
  { id: "U0SAM", name: "sam" },
  { id: "S0ONCALL", name: "integrations-oncall" },
];
const ONCALL_GROUP = { id: "S0ONCALL", members: ["U0PRIYA", "U0SAM"] };
const DEFAULT_SEED = 20_260_301;
/** Like Workato's jobs list but shorter, so the first page fits on a screen and "Older" has somewhere to go. */
const DEMO_PAGE_SIZE = 20;

export interface DemoOptions {
  /** the page's port; 0 (the default) picks a free one */
  port?: number;
  /** default 127.0.0.1: the page sends signed requests as you, so it stays on this machine */
  host?: string;
  /** new jobs and failures arriving, repeats finishing; default true (tests turn it off to count jobs) */
  liveActivity?: boolean;
  activityTiming?: ActivityTiming;
  /** the made-up history is the same for the same seed */
  seed?: number;
  /** each line the app logs at warn level or above */
  onAppLog?: (line: string) => void;
}

export interface Demo {
  /** the page, e.g. http://127.0.0.1:4321/ */
  url: string;
  harness: Harness;
  /** commands worth trying first; the page offers them too */
  suggestions: string[];
  close(): Promise<void>;
}

const manifestSchema = z.object({
  features: z.object({
    slash_commands: z.array(z.object({ command: z.string(), should_escape: z.boolean().optional() })),
  }),
});

/** Whether Slack turns @names into <@U…> in the command's text: the manifest's should_escape decides. */
function commandEscapesMentions(): boolean {
  const manifest = manifestSchema.parse(
    parseYaml(readFileSync(new URL("../manifest.yml", import.meta.url), "utf8")),
  );
  const command = manifest.features.slash_commands.find((entry) => entry.command === SLASH_COMMAND);
  return command?.should_escape ?? false;
}

function suggestedCommands(escapesMentions: boolean): string[] {
  // Mentions reach the app as <@U…> only when the manifest asks Slack to escape them.
  const watch = `watch ${CUSTOMER} ${RECIPE}${escapesMentions ? " @priya" : ""}`;
  const commands = [
    "help",
    `list acme ${RECIPE} failed`,
    // A few hundred failures: the recovery's progress bar and Stop show for about 13 s.
    `repeat acme ${RECOVERY_RECIPE} failed since 6h`,
    "list ext:globex-eu 41002 failed",
    `show ${CUSTOMER} 169891 j-AJMfQh8c-hsCXcs`,
    "list ext:initech/us-1 7731",
    watch,
    "history",
  ];
  // Only what the grammar knows: a subcommand that is renamed or removed drops out of the suggestions.
  return commands
    .filter((command) => isSubcommand(command.split(" ")[0]))
    .map((command) => `${SLASH_COMMAND} ${command}`);
}

export async function startDemo(options: DemoOptions = {}): Promise<Demo> {
  const dataDir = mkdtempSync(join(tmpdir(), "workato-jobs-demo-"));
  const harness = await startHarness({
    simulator: { pageSize: DEMO_PAGE_SIZE },
    customerName: MAIN_CUSTOMER_NAME,
    env: {
      LOG_LEVEL: "warn",
      SQLITE_PATH: join(dataDir, "demo.db"),
      // Every demo starts on a new store of its own.
      STORE_FIRST_START: "true",
      // New failures arrive every 20–40 s; a watch that looks every 20 s alerts on most of them soon after.
      WATCH_INTERVAL_SECONDS: "20",
    },
    ...(options.onAppLog ? { onLogLine: options.onAppLog } : {}),
  });
  const { slack, sim } = harness;
  slack.setChannelInfo(DEMO_CHANNEL.id, { name: DEMO_CHANNEL.name });
  slack.setUserGroup(ONCALL_GROUP.id, ONCALL_GROUP.members);

  const random = createRandom(options.seed ?? DEFAULT_SEED);
  seedWorkspace(sim, Date.now(), random);
  seedStoppedRecipe(sim, Date.now());
  // Read Workato's list of customers once now, as a first typed name would: messages name customers from the start.
  await harness.app.deps.customers.refreshForMiss();
  // The viewer watches the stopped recipe, so the App Home (the page's Home button) has a watch and its alert to show.
  await harness.app.deps.store.upsertWatch(
    {
      channel: DEMO_CHANNEL.id,
      customer: String(STOPPED_RECIPE.customer),
      recipeId: STOPPED_RECIPE.recipeId,
      mentions: [],
      createdBy: DEMO_VIEWER.id,
    },
    harness.app.deps.clock.now(),
  );
  const activity =
    options.liveActivity === false
      ? null
      : startWorkatoActivity(sim, createRandom(Date.now()), {
          ...(options.activityTiming ? { timing: options.activityTiming } : {}),
        });

  const escapesMentions = commandEscapesMentions();
  const suggestions = suggestedCommands(escapesMentions);
  const feed = createChannelFeed({
    slack,
    channel: DEMO_CHANNEL,
    viewer: DEMO_VIEWER,
    people: TEAMMATES,
    suggestions,
  });

  const actions = createPageActions({
    harness,
    feed,
    channel: DEMO_CHANNEL,
    viewer: DEMO_VIEWER,
    people: TEAMMATES,
    escapesMentions,
  });

  async function stopBehindThePage(): Promise<void> {
    activity?.stop();
    feed.close();
    await harness.close();
    rmSync(dataDir, { recursive: true, force: true });
  }

  let page: PageServer;
  try {
    page = await startPageServer({
      port: options.port ?? 0,
      host: options.host ?? "127.0.0.1",
      feed,
      actions,
    });
  } catch (error) {
    // e.g. the port is taken: nothing of this demo may keep running.
    await stopBehindThePage();
    throw error;
  }

  return {
    url: page.url,
    harness,
    suggestions,
    async close() {
      await page.close();
      await stopBehindThePage();
    },
  };
}
