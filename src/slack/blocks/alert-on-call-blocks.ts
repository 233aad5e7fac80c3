// The on-call part of an alert: the line saying who is on it, who resolved it by hand and why, and who the escalation
// called; its buttons (I'm on it / Release, Resolve… / Reopen); the private "Bob has it" answer with Take over; the
// Resolve dialog; and the escalation's reply in the thread. Pure: data in, blocks out.
import type { KnownBlock, ModalView } from "@slack/types";
import { isSlackUserId, safeMentions } from "../../slack-ids.js";
import { type AlertOnCall, isResolvedByHand, RESOLVE_REASONS } from "../../watch/alert-on-call.js";
import {
  ACTIONS,
  type ActionIds,
  encodeOnCallValue,
  encodeResolveMetadata,
  RESOLVE_VIEW_CALLBACK,
  type ResolveMetadata,
} from "./action-ids.js";
import { actions, button, confirmDialog, context, type SlackMessage, section } from "./elements.js";
import { escapeTruncated, slackDateOfMs } from "./format.js";

export const ON_CALL_BLOCK_ID = "alert_on_call";
/** The Resolve dialog's blocks and actions, read back from its view_submission. */
export const RESOLVE_INPUT = {
  reasonBlock: "resolve_reason",
  reasonAction: "reason",
  otherBlock: "resolve_other",
  otherAction: "other",
} as const;
export const RESOLVE_REASON_MAX = 300;

function who(userId: string): string {
  return isSlackUserId(userId) ? `<@${userId}>` : "someone";
}

/** "👀 <@bob> is on it since …", "✔️ Resolved by <@x>: reason", "📣 escalated to <@sec>"; null when none applies. */
export function onCallLine(onCall: AlertOnCall): string | null {
  const parts: string[] = [];
  if (onCall.resolvedBy !== null)
    parts.push(
      `:heavy_check_mark: Resolved by ${who(onCall.resolvedBy)}: ${escapeTruncated(onCall.resolvedReason ?? "", RESOLVE_REASON_MAX)}`,
    );
  if (onCall.takenBy !== null)
    parts.push(`:eyes: ${who(onCall.takenBy)} is on it since ${slackDateOfMs(onCall.takenAt)}`);
  const escalated = safeMentions(onCall.escalatedTo);
  if (escalated.length > 0 && onCall.resolvedBy === null)
    parts.push(`:mega: escalated to ${escalated.join(" ")}`);
  return parts.length > 0 ? parts.join(" · ") : null;
}

/** The on-call line (when there is one) and buttons of an alert of watch `watchId`. */
export function onCallBlocks(
  ids: ActionIds,
  watchId: number,
  onCall: AlertOnCall,
  options: { resolvable: boolean },
): KnownBlock[] {
  const value = encodeOnCallValue({ w: watchId });
  const line = onCallLine(onCall);
  const resolved = isResolvedByHand(onCall);
  const row = actions(
    [
      resolved
        ? null
        : onCall.takenBy === null
          ? button(ids.next(ACTIONS.takeAlert), "I'm on it", value, { style: "primary" })
          : button(ids.next(ACTIONS.releaseAlert), "Release", value),
      options.resolvable
        ? resolved
          ? button(ids.next(ACTIONS.reopenAlert), "Reopen", value)
          : button(ids.next(ACTIONS.resolveAlert), "Resolve…", value)
        : null,
    ],
    ON_CALL_BLOCK_ID,
  );
  return [...(line !== null ? [context(line)] : []), ...(row ? [row] : [])];
}

/** The private answer to "I'm on it" when someone else has the alert: who, since when, and Take over. */
export function buildTakenByOther(input: {
  holder: string;
  since: number | null;
  watchId: number;
  alertTs: string;
}): SlackMessage {
  const text = `${who(input.holder)} is on this alert since ${slackDateOfMs(input.since)}.`;
  const takeOver = button(
    `${ACTIONS.takeOverAlert}:0`,
    "Take over",
    encodeOnCallValue({ w: input.watchId, m: input.alertTs, o: input.holder }),
    {
      confirm: confirmDialog({
        title: "Take over this alert?",
        text: "The alert will show you as the one on it, and the person who had it is no longer.",
        confirm: "Take over",
        deny: "Cancel",
      }),
    },
  );
  const row = actions([takeOver]);
  return { text, blocks: [section(`:eyes: ${text}`), ...(row ? [row] : [])] };
}

/** The Resolve dialog: one of the usual reasons, or the person's own words. */
export function buildResolveModal(alert: ResolveMetadata): ModalView {
  return {
    type: "modal",
    callback_id: RESOLVE_VIEW_CALLBACK,
    private_metadata: encodeResolveMetadata(alert),
    title: { type: "plain_text", text: "Resolve alert" },
    submit: { type: "plain_text", text: "Resolve" },
    close: { type: "plain_text", text: "Cancel" },
    blocks: [
      section(
        "Resolving marks this alert's failed jobs as handled: *Repeat N failed* and `repeat … failed since` leave them out unless you add `again`.",
      ),
      {
        type: "input",
        block_id: RESOLVE_INPUT.reasonBlock,
        optional: true,
        label: { type: "plain_text", text: "Reason" },
        element: {
          type: "radio_buttons",
          action_id: RESOLVE_INPUT.reasonAction,
          options: RESOLVE_REASONS.map((reason) => ({
            text: { type: "plain_text" as const, text: reason },
            value: reason,
          })),
        },
      },
      {
        type: "input",
        block_id: RESOLVE_INPUT.otherBlock,
        optional: true,
        label: { type: "plain_text", text: "Or in your own words" },
        element: {
          type: "plain_text_input",
          action_id: RESOLVE_INPUT.otherAction,
          max_length: RESOLVE_REASON_MAX,
        },
      },
    ],
  };
}

/** The escalation's reply in the alert's thread: the next in line, mentioned once. */
export function buildEscalationReply(input: { mentions: readonly string[]; afterMs: number }): SlackMessage {
  const mentions = safeMentions(input.mentions);
  const minutes = Math.round(input.afterMs / 60_000);
  const text = `:mega: ${mentions.join(" ")} — nobody has taken or resolved this alert in ${minutes} min, so you are next in line. *I'm on it* on the alert tells the others you have it.`;
  return { text, blocks: [section(text)] };
}

/** The follow-up's line about who has the alert, mentioning them (and only them). */
export function followUpOnCallLine(takenBy: string | null | undefined): string | null {
  return takenBy ? `:eyes: ${who(takenBy)} is on it` : null;
}
