// `/workato-jobs digest <HH:MM> [zone] | now | off`: sets, stops or shows the channel's daily digest, or shows today's
// to the person at once, after the channel check. A time typed without a zone is in the typer's own (users.info tz).
import { buildDigestReport } from "../../digest/digest-report.js";
import {
  canonicalTimeZone,
  DEFAULT_DIGEST_TIME_ZONE,
  dayAfter,
  latestDueDay,
  timeOfDayAt,
} from "../../digest/digest-time.js";
import type { DigestSchedule } from "../../store/digest-store.js";
import { allowed } from "../access-gate.js";
import {
  buildDigestMessage,
  buildDigestOffMessage,
  buildDigestSetMessage,
  buildDigestStatusMessage,
} from "../blocks/digest-blocks.js";
import type { DigestCommand } from "../commands/grammar.js";
import type { CommandContext } from "../commands/slash-command.js";
import type { HandlerDeps } from "../handler-deps.js";

export type DigestCommandDeps = Pick<HandlerDeps, "store" | "access" | "poster" | "clock" | "timeZoneOf">;

/** The zone of the person's Slack profile; UTC, said so, when Slack gives none or one this runtime does not know. */
async function zoneOf(
  deps: DigestCommandDeps,
  userId: string,
): Promise<{ timeZone: string; from: "profile" | "fallback" }> {
  const profile = await deps.timeZoneOf?.(userId).catch(() => null);
  const known = profile ? canonicalTimeZone(profile) : null;
  return known
    ? { timeZone: known, from: "profile" }
    : { timeZone: DEFAULT_DIGEST_TIME_ZONE, from: "fallback" };
}

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
    case "now": {
      // Drawn as the channel's digest would be now, but for this person: only what they may see here.
      const at = deps.clock.now();
      const timeZone = existing?.timeZone ?? (await zoneOf(deps, who.userId)).timeZone;
      const report = await buildDigestReport(
        deps,
        {
          channel: who.channel,
          timeOfDay: existing?.timeOfDay ?? timeOfDayAt(at, timeZone),
          timeZone,
          setBy: who.userId,
          setAt: existing?.setAt ?? at,
          lastSentDay: existing?.lastSentDay ?? null,
        },
        at,
      );
      ctx.log.info({ recipes: report.recipes.length }, "digest preview");
      await deps.poster.respond(
        responseUrl,
        buildDigestMessage(report, undefined, { scheduled: existing !== undefined }),
      );
      return;
    }
    case "set": {
      const at = deps.clock.now();
      const typed = command.timeZone;
      const zone = typed === null ? await zoneOf(deps, who.userId) : { timeZone: typed, from: undefined };
      // Counted as sent up to the newest time already past, so setting 09:00 at 10:00 starts tomorrow, and moving a
      // digest that went out today does not send a second one today.
      const passed = latestDueDay(at, command.timeOfDay, zone.timeZone);
      const lastSentDay =
        existing?.lastSentDay && existing.timeZone === zone.timeZone && existing.lastSentDay > passed
          ? existing.lastSentDay
          : passed;
      const schedule: DigestSchedule = {
        channel: who.channel,
        timeOfDay: command.timeOfDay,
        timeZone: zone.timeZone,
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
          ...(zone.from !== undefined ? { zoneFrom: zone.from } : {}),
        }),
        { visibility: "in_channel" },
      );
      return;
    }
  }
}
