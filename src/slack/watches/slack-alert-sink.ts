// The watch poller's AlertSink in Slack: builds each alert with the pure builders and sends it through the Poster;
// a redraw uses the same builder as the first post. Each alert names its customer as the directory knows it, looked
// up here so every alert (new, redrawn, stopped, paused) gets it the same way; the poller checked that the channel
// may see the customer before alerting.
import type { Names } from "../../names/names.js";
import { type AlertSink, type AlertTarget, NOTHING_HANDLED } from "../../watch/alert-sink.js";
import type { WorkatoLinks } from "../../workato/workato-links.js";
import { buildAlertFollowUp, buildAlertMessage, buildWatchPausedMessage } from "../blocks/alert-blocks.js";
import { buildEscalationReply } from "../blocks/alert-on-call-blocks.js";
import { buildRecipeStoppedMessage, buildRunningAgainReply } from "../blocks/recipe-stopped-blocks.js";
import type { Poster } from "../io/poster.js";

export function createSlackAlertSink(
  poster: Pick<Poster, "post" | "update">,
  /** without it, customers are shown by id */
  names?: Pick<Names, "customer">,
  /** where each alert's Open in Workato goes (none without it) */
  links?: WorkatoLinks,
): AlertSink {
  function named<T extends { target: AlertTarget }>(alert: T): T {
    return {
      ...alert,
      target: { ...alert.target, customerName: names?.customer(alert.target.customer) ?? null },
    };
  }
  return {
    postAlert(alert) {
      return poster.post(
        alert.target.watch.channel,
        buildAlertMessage(
          {
            ...named(alert),
            postedAt: alert.at,
            groups: alert.groups.map((group) => ({
              ...group,
              total: group.jobs.length,
              outstanding: group.jobs,
              handled: NOTHING_HANDLED,
              lastSeenAt: alert.at,
              mutedUntil: null,
            })),
          },
          links,
        ),
      );
    },

    postFollowUp(followUp) {
      return poster.post(followUp.channel, buildAlertFollowUp(named(followUp)), followUp.threadTs);
    },

    updateAlert(message) {
      return poster.update(message.channel, message.ts, buildAlertMessage(named(message), links));
    },

    updateFollowUp(message) {
      return poster.update(message.channel, message.ts, buildAlertFollowUp(named(message)));
    },

    updateRecipeStopped(message) {
      return poster.update(message.channel, message.ts, buildRecipeStoppedMessage(named(message), links));
    },

    notifyPaused(target, reason) {
      return poster.post(
        target.watch.channel,
        buildWatchPausedMessage({
          // By id: a watch stops without asking whether the channel may still see its customer.
          customer: target.customer,
          recipeId: target.watch.recipeId,
          recipeName: target.recipeName,
          reason,
        }),
      );
    },

    postRecipeStopped(alert) {
      return poster.post(alert.target.watch.channel, buildRecipeStoppedMessage(named(alert), links));
    },

    postEscalation(escalation) {
      return poster.post(escalation.channel, buildEscalationReply(escalation), escalation.threadTs);
    },

    postRunningAgain(reply) {
      return poster.post(reply.channel, buildRunningAgainReply(reply), reply.threadTs);
    },
  };
}
