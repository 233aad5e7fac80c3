// `/workato-jobs digest <HH:MM> [zone] | off`: sets, stops or shows the channel's daily digest, after the channel check.
import { dayAfter, latestDueDay } from "../../digest/digest-time.js";
import type { DigestSchedule } from "../../store/digest-store.js";
import { allowed } from "../access-gate.js";
import {
  buildDigestOffMessage,
  buildDigestSetMessage,
  buildDigestStatusMessage,
} from "../blocks/digest-blocks.js";
import type { DigestCommand } from "../commands/grammar.js";
import type { CommandContext } from "../commands/slash-command.js";
import type { HandlerDeps } from "../handler-deps.js";

export type DigestCommandDeps = Pick<HandlerDeps, "store" | "access" | "poster" | "clock">;

/**
 * The digest shows only customers the channel may see (checked again at each sending), so setting one needs only
 * the channel rules, as `watches` does.
 */
export async function handleDigestCommand(
  deps: DigestCommandDeps,
  command: DigestCommand,
  ctx: Pick<CommandContext, "who" | "responseUrl" | "log">,
): Promise<void> {
  const { who, responseUrl } = ctx;
  if (!(await allowed(deps, who, "channel", undefined, responseUrl))) return;
  const existing = await deps.store.digestOf(who.channel);
  switch (command.action) {
    case "show":
      await deps.poster.respond(responseUrl, buildDigestStatusMessage(existing));
      return;
    case "off": {
      const removed = await deps.store.removeDigest(who.channel);
      ctx.log.info({ removed }, "digest off");
      await deps.poster.respond(responseUrl, buildDigestOffMessage({ userId: who.userId, removed }), {
        visibility: removed ? "in_channel" : "ephemeral",
      });
      return;
    }
    case "set": {
      const at = deps.clock.now();
      // Counted as sent up to the newest time already past, so setting 09:00 at 10:00 starts tomorrow, and moving a
      // digest that went out today does not send a second one today.
      const passed = latestDueDay(at, command.timeOfDay, command.timeZone);
      const lastSentDay =
        existing?.lastSentDay && existing.timeZone === command.timeZone && existing.lastSentDay > passed
          ? existing.lastSentDay
          : passed;
      const schedule: DigestSchedule = {
        channel: who.channel,
        timeOfDay: command.timeOfDay,
        timeZone: command.timeZone,
        setBy: who.userId,
        setAt: at,
        lastSentDay,
      };
      await deps.store.saveDigest(schedule);
      ctx.log.info({ time: schedule.timeOfDay, timeZone: schedule.timeZone }, "digest set");
      await deps.poster.respond(
        responseUrl,
        buildDigestSetMessage({
          userId: who.userId,
          schedule,
          firstDay: dayAfter(lastSentDay),
          replaced: existing !== undefined,
        }),
        { visibility: "in_channel" },
      );
      return;
    }
  }
}
