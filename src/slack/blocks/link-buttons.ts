// Buttons that open a page instead of acting: Open in Workato (job details, alerts) and a watch's Runbook. Their
// URLs come from the installation's WorkatoLinks and the watch as stored; a click is only acked (routes.ts).
import type { Button } from "@slack/types";
import type { WatchRecord } from "../../store/store.js";
import type { CustomerRef } from "../../workato/customer-ref.js";
import type { WorkatoLinks } from "../../workato/workato-links.js";
import { ACTIONS, type ActionIds } from "./action-ids.js";
import { truncate } from "./format.js";
import { SLACK_LIMITS } from "./limits.js";

/** A button that opens `url`; null without one, or with one Slack would refuse (too long, not http[s]). */
export function linkButton(ids: ActionIds, label: string, url: string | null | undefined): Button | null {
  if (!url || url.length > SLACK_LIMITS.buttonUrl || !/^https?:\/\//i.test(url)) return null;
  return {
    type: "button",
    action_id: ids.next(ACTIONS.openLink),
    text: { type: "plain_text", text: truncate(label, SLACK_LIMITS.buttonText) },
    url,
  };
}

export const OPEN_IN_WORKATO = "Open in Workato";
export const RUNBOOK = "Runbook";

/** What an alert's link buttons are drawn from: the watch (its runbook), the customer, and its newest job if any. */
export interface AlertLinksInput {
  target: { watch: Pick<WatchRecord, "recipeId" | "runbookUrl">; customer: CustomerRef };
  /** the newest failure the alert shows; null for an alert about the recipe itself (it stopped) */
  newestJobId: string | null;
}

/**
 * Open in Workato (the newest job, or the recipe) and the watch's Runbook, for the alert builders to put in a row.
 * Without `links` (a builder used on its own) only the runbook shows.
 */
export function alertLinkButtons(
  ids: ActionIds,
  input: AlertLinksInput,
  links: WorkatoLinks | undefined,
): Button[] {
  const { watch, customer } = input.target;
  const workato =
    links === undefined
      ? null
      : input.newestJobId === null
        ? links.recipe(customer, watch.recipeId)
        : links.job(customer, watch.recipeId, input.newestJobId);
  return [linkButton(ids, OPEN_IN_WORKATO, workato), linkButton(ids, RUNBOOK, watch.runbookUrl)].filter(
    (element): element is Button => element !== null,
  );
}
