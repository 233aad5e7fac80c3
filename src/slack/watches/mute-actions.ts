// The Mute buttons of watch alerts: acknowledge at once, check the value against the store and the person's access,
// record the mute and who set it, and redraw the alert from the store through the registry of views ("Muted until
// … by @user", its Mute buttons giving way to Unmute), like any other change to what it shows.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import { allowed } from "../access-gate.js";
import { channelOf } from "../action-target.js";
import { ACTION_PATTERNS, decodeMuteValue } from "../blocks/action-ids.js";
import { context } from "../blocks/elements.js";
import { buildErrorMessage } from "../blocks/help-blocks.js";
import { muteNote } from "../blocks/mute-marks.js";
import type { HandlerDeps } from "../handler-deps.js";
import { answerStaleButton, savedOrToldNot, watchOfButton } from "./watch-button.js";

export type MuteDeps = Pick<
  HandlerDeps,
  "store" | "access" | "poster" | "background" | "logger" | "clock" | "home" | "poller"
>;

const NOT_A_MUTE = buildErrorMessage(
  "That Mute button is not one I can act on: the watch may have been removed, or it belongs to another channel.",
  "Run /workato-jobs watches to see this channel's watches.",
);

/** An ActionRoute (see routes.ts); tests register it on an app of their own. */
export function onMute(app: App, deps: MuteDeps, pattern: RegExp = ACTION_PATTERNS.mute): void {
  app.action<BlockAction<ButtonAction>>(pattern, async ({ body, action, ack }) => {
    await ack();
    const channel = channelOf(body);
    const log = deps.logger.child({ action: "mute", user: body.user.id, channel, team: body.user.team_id });
    const value = decodeMuteValue(action.value);
    const target = await watchOfButton(deps, value?.w, channel);
    if (!value || !target) {
      answerStaleButton(
        deps,
        log,
        "mute",
        { value: action.value, responseUrl: body.response_url },
        NOT_A_MUTE,
      );
      return;
    }
    const { watch, customer } = target;
    deps.background.run("mute", async () => {
      const who = { channel: watch.channel, userId: body.user.id, userTeamId: body.user.team_id };
      if (!(await allowed(deps, who, "view", customer, body.response_url))) return;
      const until = deps.clock.now() + value.h * 3_600_000;
      const click = { what: "Mute", responseUrl: body.response_url };
      const saved = () => deps.store.setMute(watch.id, value.s, until, body.user.id);
      if (!(await savedOrToldNot(deps, log, click, saved))) return;
      log.info({ watch: watch.id, signature: value.s, hours: value.h }, "muted");
      const message = body.message;
      if (!message || body.container.is_ephemeral === true) {
        const note = muteNote({ userId: body.user.id, hours: value.h, until });
        await deps.poster.respond(body.response_url, { text: note, blocks: [context(note)] });
        return;
      }
      // The alert (and its replies) drawn again from what the store now says, within Slack's update limit.
      deps.poller.views.changed({ kind: "watch", watchId: watch.id, alertTs: message.ts });
    });
  });
}
