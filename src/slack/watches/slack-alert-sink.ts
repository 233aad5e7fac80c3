// The watch poller's AlertSink in Slack: builds each alert with the pure builders and sends it through the Poster.
import { type AlertSink, NOTHING_HANDLED } from "../../watch/alert-sink.js";
import { buildAlertFollowUp, buildAlertMessage, buildWatchPausedMessage } from "../blocks/alert-blocks.js";
import { buildEscalationReply } from "../blocks/alert-on-call-blocks.js";
import { buildRecipeStoppedMessage, buildRunningAgainReply } from "../blocks/recipe-stopped-blocks.js";
import type { Poster } from "../io/poster.js";

export function createSlackAlertSink(poster: Pick<Poster, "post" | "update">): AlertSink {
  return {
    postAlert(alert) {
      return poster.post(
        alert.target.watch.channel,
        buildAlertMessage({
          ...alert,
          postedAt: alert.at,
          groups: alert.groups.map((group) => ({
            ...group,
            total: group.jobs.length,
            outstanding: group.jobs,
            handled: NOTHING_HANDLED,
            lastSeenAt: alert.at,
            mutedUntil: null,
          })),
        }),
      );
    },

    postFollowUp(followUp) {
      return poster.post(followUp.channel, buildAlertFollowUp(followUp), followUp.threadTs);
    },

    updateAlert(message) {
      return poster.update(message.channel, message.ts, buildAlertMessage(message));
    },

    notifyPaused(target, reason) {
      return poster.post(
        target.watch.channel,
        buildWatchPausedMessage({
          customer: target.customer,
          recipeId: target.watch.recipeId,
          recipeName: target.recipeName,
          reason,
        }),
      );
    },

    postRecipeStopped(alert) {
      return poster.post(alert.target.watch.channel, buildRecipeStoppedMessage(alert));
    },

    updateRecipeStopped(alert, at) {
      return poster.update(at.channel, at.ts, buildRecipeStoppedMessage(alert));
    },

    postEscalation(escalation) {
      return poster.post(escalation.channel, buildEscalationReply(escalation), escalation.threadTs);
    },

    postRunningAgain(reply) {
      return poster.post(reply.channel, buildRunningAgainReply(reply), reply.threadTs);
    },
  };
}
