// The App Home tab: published for a person each time they open it (Slack's app_home_opened), built from the store,
// and published again while they look at it when what it shows changes (home-refresh.ts).
import type { App } from "@slack/bolt";
import { buildHomeView } from "../blocks/home-blocks.js";
import type { HandlerDeps } from "../handler-deps.js";
import { gatherHome } from "./home-data.js";
import { homeNames } from "./home-names.js";

export type AppHomeDeps = Pick<
  HandlerDeps,
  "store" | "access" | "clock" | "poster" | "permalinks" | "logger" | "background" | "names" | "home"
>;

/** Builds and publishes one person's Home tab; false when Slack refused it (logged by the poster). */
export async function publishAppHome(deps: AppHomeDeps, userId: string): Promise<boolean> {
  const input = await gatherHome({ ...deps, names: homeNames(deps.names) }, userId);
  const published = await deps.poster.publishHome(userId, buildHomeView(input));
  return published.ok;
}

export function registerAppHome(app: App, deps: AppHomeDeps): void {
  app.event("app_home_opened", async ({ event }) => {
    // The Messages tab opens the same event; only the Home tab has a view to draw.
    if (event.tab !== "home") return;
    const userId = event.user;
    deps.logger.info({ user: userId }, "app home opened");
    deps.home?.opened(userId);
    // Opening the tab is the refresh: each open draws it again from the store, which costs no Workato call.
    deps.background.run("app home", async () => {
      await publishAppHome(deps, userId);
    });
  });
}
