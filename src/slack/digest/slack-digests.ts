// The daily digest scheduler wired to Slack: reports gathered from the store, drawn by the digest builder, posted
// in each channel through the Poster.
import type { AccessChecker } from "../../access/access-check.js";
import type { Clock } from "../../clock.js";
import { buildDigestReport, type DigestReportStore } from "../../digest/digest-report.js";
import {
  createDigestScheduler,
  type DigestScheduler,
  type DigestScheduleStore,
} from "../../digest/digest-scheduler.js";
import { type Names, recipeKey } from "../../names/names.js";
import { buildDigestMessage } from "../blocks/digest-blocks.js";
import type { HandlerDeps } from "../handler-deps.js";
import { type Permalinks, permalinkKey } from "../io/permalinks.js";
import type { Poster } from "../io/poster.js";

export interface SlackDigestDeps extends Pick<HandlerDeps, "logger"> {
  store: DigestReportStore & DigestScheduleStore;
  access: Pick<AccessChecker, "canView">;
  poster: Pick<Poster, "post">;
  /** each recipe's latest alert thread is linked from its line; without it, no links */
  permalinks?: Pick<Permalinks, "ofMany">;
  clock: Clock;
  /** without it, customers and recipes are shown by id */
  names?: Pick<Names, "customer" | "recipes">;
  /** whether this replica sends digests now (the lease); one process: always */
  shouldRun?: () => boolean;
  checkEveryMs?: number;
}

export function createSlackDigests(deps: SlackDigestDeps): DigestScheduler {
  return createDigestScheduler({
    store: deps.store,
    clock: deps.clock,
    shouldRun: deps.shouldRun ?? (() => true),
    report: (schedule, at) => buildDigestReport(deps, schedule, at),
    deliver: async (report) => {
      // The report holds only recipes whose customer the channel may see, so their names may be shown.
      const recipeNames =
        (await deps.names?.recipes(report.recipes, { priority: "background" })) ?? new Map<string, string>();
      const recipes = report.recipes.map((recipe) => ({
        ...recipe,
        recipeName: recipeNames.get(recipeKey(recipe.customer.display, recipe.recipeId)) ?? null,
        customerName: deps.names?.customer(recipe.customer) ?? null,
      }));
      const links = deps.permalinks ? await latestAlertThreads(deps, report.schedule.channel) : undefined;
      const posted = await deps.poster.post(
        report.schedule.channel,
        buildDigestMessage({ ...report, recipes }, links),
      );
      return posted.ok ? { ok: true } : posted;
    },
    logger: deps.logger,
    ...(deps.checkEveryMs !== undefined ? { checkEveryMs: deps.checkEveryMs } : {}),
  });
}

/** The permalink of each watched recipe's newest alert thread in the channel, by recipeKey(customer, recipeId). */
async function latestAlertThreads(
  deps: Pick<SlackDigestDeps, "store" | "permalinks">,
  channel: string,
): Promise<Map<string, string>> {
  const latest: { key: string; channel: string; ts: string }[] = [];
  for (const watch of await deps.store.watches({ channel })) {
    // Oldest first: the last is the newest.
    const thread = (await deps.store.alertThreads({ watchId: watch.id })).at(-1);
    if (thread)
      latest.push({ key: recipeKey(watch.customer, watch.recipeId), channel: thread.channel, ts: thread.ts });
  }
  const links = (await deps.permalinks?.ofMany(latest)) ?? new Map<string, string>();
  return new Map(
    latest.flatMap(({ key, ...message }) => {
      const link = links.get(permalinkKey(message));
      return link ? [[key, link] as const] : [];
    }),
  );
}
