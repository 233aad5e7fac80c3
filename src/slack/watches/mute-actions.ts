// The Mute buttons of watch alerts: acknowledge at once, check the value against the store and the person's access,
// record the mute, and mark the alert "Muted for 1h by @user".
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { KnownBlock } from "@slack/types";
import type { Logger } from "pino";
import { allowed } from "../access-gate.js";
import { channelOf } from "../action-target.js";
import { ACTION_PATTERNS, decodeMuteValue } from "../blocks/action-ids.js";
import { context } from "../blocks/elements.js";
import { buildErrorMessage } from "../blocks/help-blocks.js";
import { markMuted, muteNote } from "../blocks/mute-marks.js";
import type { HandlerDeps } from "../handler-deps.js";
import { answerStaleButton, savedOrToldNot, watchOfButton } from "./watch-button.js";

export type MuteDeps = Pick<
  HandlerDeps,
  "store" | "access" | "poster" | "background" | "logger" | "clock" | "home"
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
      if (!(await savedOrToldNot(deps, log, click, () => deps.store.setMute(watch.id, value.s, until))))
        return;
      log.info({ watch: watch.id, signature: value.s, hours: value.h }, "muted");
      await markAlertMuted(
        deps,
        body,
        value.s,
        muteNote({ userId: body.user.id, hours: value.h, until }),
        log,
      );
    });
  });
}

async function markAlertMuted(
  deps: MuteDeps,
  body: BlockAction<ButtonAction>,
  signature: string,
  note: string,
  log: Logger,
): Promise<void> {
  const message = body.message;
  const channel = channelOf(body);
  if (!message || body.container.is_ephemeral === true || channel === undefined) {
    await deps.poster.respond(body.response_url, { text: note, blocks: [context(note)] });
    return;
  }
  const blocks = markMuted((message.blocks ?? []) as KnownBlock[], signature, note);
  const text = typeof message.text === "string" && message.text !== "" ? message.text : note;
  const updated = await deps.poster.update(channel, message.ts, { text, blocks });
  if (!updated.ok) {
    log.warn({ slackError: updated.error }, "alert not marked muted");
    await deps.poster.respond(body.response_url, { text: note, blocks: [context(note)] });
  }
}
