// The Unmute button of a muted alert: acknowledge at once, check the value against the store and
// the person's access, end the mute, and give the alert its Mute buttons back with "Unmuted by @user".
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { KnownBlock } from "@slack/types";
import { allowed } from "../access-gate.js";
import { channelOf, isHomeClick, replyTo } from "../action-target.js";
import { ACTION_PATTERNS, decodeUnmuteValue } from "../blocks/action-ids.js";
import { context } from "../blocks/elements.js";
import { buildErrorMessage } from "../blocks/help-blocks.js";
import { markUnmuted, unmuteNote } from "../blocks/mute-marks.js";
import type { MuteDeps } from "./mute-actions.js";
import { answerStaleButton, savedOrToldNot, watchOfButton, watchOfHome } from "./watch-button.js";

const NOT_AN_UNMUTE = buildErrorMessage(
  "That Unmute button is not one I can act on: the watch may have been removed, or it belongs to another channel.",
  "Run /workato-jobs watches to see this channel's watches and mutes.",
);

/** An ActionRoute (see routes.ts); tests register it on an app of their own. */
export function onUnmute(app: App, deps: MuteDeps, pattern: RegExp = ACTION_PATTERNS.unmute): void {
  app.action<BlockAction<ButtonAction>>(pattern, async ({ body, action, ack }) => {
    await ack();
    const channel = channelOf(body);
    const log = deps.logger.child({ action: "unmute", user: body.user.id, channel, team: body.user.team_id });
    const value = decodeUnmuteValue(action.value);
    const fromHome = isHomeClick(body);
    // From App Home there is no channel clicked in: the watch must be one the person's Home shows.
    const target = fromHome
      ? await watchOfHome(deps, body.user.id, value?.w)
      : await watchOfButton(deps, value?.w, channel);
    if (!value || !target) {
      answerStaleButton(
        deps,
        log,
        "unmute",
        { value: action.value, responseUrl: replyTo(body) },
        NOT_AN_UNMUTE,
      );
      return;
    }
    const { watch, customer } = target;
    deps.background.run("unmute", async () => {
      const who = { channel: watch.channel, userId: body.user.id, userTeamId: body.user.team_id };
      if (!(await allowed(deps, who, "view", customer, replyTo(body)))) return;
      // The person is looking at their Home: the change below republishes it.
      if (fromHome) deps.home?.opened(body.user.id);
      // A mute that ends now: the poller alerts this kind again from its next check.
      const click = { what: "Unmute", responseUrl: body.response_url };
      const ended = () => deps.store.setMute(watch.id, value.s, deps.clock.now());
      if (!(await savedOrToldNot(deps, log, click, ended))) return;
      log.info({ watch: watch.id, signature: value.s, fromHome }, "unmuted");
      // From Home there is no message to mark: the watch's alerts in the channel are drawn again from the store.
      if (fromHome) {
        deps.poller.views.changed({ kind: "watch", watchId: watch.id });
        return;
      }
      const note = unmuteNote(body.user.id);
      const message = body.message;
      if (!message || body.container.is_ephemeral === true || channel === undefined) {
        await deps.poster.respond(body.response_url, { text: note, blocks: [context(note)] });
        return;
      }
      const blocks = markUnmuted((message.blocks ?? []) as KnownBlock[], value.s, note);
      const text = typeof message.text === "string" && message.text !== "" ? message.text : note;
      const updated = await deps.poster.update(channel, message.ts, { text, blocks });
      if (!updated.ok) {
        log.warn({ slackError: updated.error }, "alert not marked unmuted");
        await deps.poster.respond(body.response_url, { text: note, blocks: [context(note)] });
      }
    });
  });
}
