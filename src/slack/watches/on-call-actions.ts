// An alert's on-call buttons: I'm on it, Take over (from the private "Bob has it" answer), Release and Reopen. Each
// acknowledges at once, finds the alert the click names (its watch must be this channel's), checks the person's
// access, changes the stored state with one conditional write (so two replicas clicking at once agree), and redraws
// the alert from the store.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { Logger } from "pino";
import type { AlertKey } from "../../store/alert-state-store.js";
import type { AlertThreadRecord } from "../../store/store.js";
import { redrawOnCall, threadsOfAlert } from "../../watch/on-call-redraw.js";
import { allowed, type Need } from "../access-gate.js";
import { channelOf, replyTo } from "../action-target.js";
import { decodeOnCallValue, type OnCallValue } from "../blocks/action-ids.js";
import { buildTakenByOther } from "../blocks/alert-on-call-blocks.js";
import { context, section } from "../blocks/elements.js";
import { mentionUser } from "../blocks/format.js";
import { buildErrorMessage } from "../blocks/help-blocks.js";
import type { HandlerDeps } from "../handler-deps.js";
import { watchInHome } from "../home/home-data.js";
import type { ReplyTo } from "../io/poster.js";
import { createSlackAlertSink } from "./slack-alert-sink.js";
import { answerStaleButton, type ButtonWatch, watchOfButton } from "./watch-button.js";

export type OnCallDeps = Pick<
  HandlerDeps,
  | "store"
  | "access"
  | "poster"
  | "background"
  | "logger"
  | "clock"
  | "workato"
  | "lineage"
  | "names"
  | "links"
  | "poller"
>;

/** The alert a click names, as stored. */
export interface ClickedAlert extends ButtonWatch {
  key: AlertKey;
  threads: AlertThreadRecord[];
}

export interface OnCallClick {
  body: BlockAction<ButtonAction>;
  value: OnCallValue;
  alert: ClickedAlert;
  log: Logger;
}

const NOT_AN_ALERT = buildErrorMessage(
  "That button is not one I can act on: the alert's watch may have been removed, or it belongs to another channel.",
  "Run /workato-jobs watches to see this channel's watches.",
);

/**
 * The alert of a click: the value's watch in the clicked channel, at the value's ts or the clicked message's. A click
 * made elsewhere (App Home, or the app's Messages tab where Home clicks are answered) names the alert's ts and acts on
 * it only when the person's Home shows its watch, as if made in the alert's channel.
 */
export async function alertOfClick(
  deps: Pick<HandlerDeps, "store">,
  body: BlockAction<ButtonAction>,
  value: OnCallValue,
): Promise<ClickedAlert | undefined> {
  const ts = value.m ?? (body.container.is_ephemeral === true ? undefined : body.container.message_ts);
  if (typeof ts !== "string") return undefined;
  const inChannel = await watchOfButton(deps, value.w, channelOf(body));
  const homeWatch =
    inChannel || value.m === undefined ? undefined : await watchInHome(deps.store, body.user.id, value.w);
  const target =
    inChannel ?? (homeWatch ? await watchOfButton(deps, homeWatch.id, homeWatch.channel) : undefined);
  if (!target) return undefined;
  const channel = target.watch.channel;
  const threads = await threadsOfAlert(deps.store, target.watch.id, channel, ts);
  if (threads.length === 0) return undefined;
  return { ...target, key: { channel, ts, watchId: target.watch.id }, threads };
}

/** An ActionRoute (see routes.ts) that needs only what on-call buttons use, so tests can build it on their own. */
export type OnCallRoute = (app: App, deps: OnCallDeps, pattern: RegExp) => void;

/**
 * An ActionRoute for one on-call button: `act` changes the stored state and says whether the alert must be drawn
 * again (a stale button is redrawn too, so it stops offering what is already done).
 */
export function onCallRoute(
  kind: string,
  need: Need,
  act: (deps: OnCallDeps, click: OnCallClick) => Promise<"redraw" | "leave">,
): OnCallRoute {
  return (app, deps, pattern) => {
    app.action<BlockAction<ButtonAction>>(pattern, async ({ body, action, ack }) => {
      await ack();
      const channel = channelOf(body);
      const log = deps.logger.child({ action: kind, user: body.user.id, channel, team: body.user.team_id });
      const value = decodeOnCallValue(action.value);
      deps.background.run(kind, async () => {
        const alert = value ? await alertOfClick(deps, body, value) : undefined;
        if (!value || !alert) {
          answerStaleButton(
            deps,
            log,
            kind,
            { value: action.value, responseUrl: replyTo(body) },
            NOT_AN_ALERT,
          );
          return;
        }
        const who = { channel: alert.key.channel, userId: body.user.id, userTeamId: body.user.team_id };
        if (!(await allowed(deps, who, need, alert.customer, replyTo(body)))) return;
        const outcome = await act(deps, { body, value, alert, log });
        if (outcome === "redraw") await redrawClicked(deps, alert, log);
      });
    });
  };
}

/**
 * The alert drawn again from the store at once, through a sink like the poller's (names, links), for the person who
 * clicked; its thread replies, which speak to whoever has the alert, follow through the view registry.
 */
export async function redrawClicked(deps: OnCallDeps, alert: ClickedAlert, log: Logger) {
  const alerts = createSlackAlertSink(deps.poster, deps.names, deps.links);
  const redrawn = await redrawOnCall({ ...deps, alerts }, alert, deps.clock.now(), "interactive", log);
  deps.poller.views.changed({ kind: "watch", watchId: alert.key.watchId, alertTs: alert.key.ts });
  return redrawn;
}

function privately(deps: OnCallDeps, to: ReplyTo, text: string, replaceOriginal = false) {
  return deps.poster.respond(
    to,
    { text, blocks: [section(`:information_source: ${text}`)] },
    { replaceOriginal },
  );
}

/** The private answer naming whoever has the alert now, with Take over. */
async function tellWhoHasIt(deps: OnCallDeps, click: OnCallClick, replaceOriginal: boolean): Promise<void> {
  const { key } = click.alert;
  const state = await deps.store.alertState(key.channel, key.ts);
  if (!state?.takenBy) return;
  await deps.poster.respond(
    replyTo(click.body),
    buildTakenByOther({ holder: state.takenBy, since: state.takenAt, watchId: key.watchId, alertTs: key.ts }),
    { replaceOriginal },
  );
}

export const onTakeAlert = onCallRoute("take alert", "view", async (deps, click) => {
  const { key } = click.alert;
  const userId = click.body.user.id;
  const taken = await deps.store.takeAlert(key, userId, deps.clock.now(), null);
  if (taken.ok) {
    click.log.info({ ts: key.ts }, "alert taken");
    return "redraw";
  }
  if (taken.takenBy === userId) {
    await privately(deps, replyTo(click.body), "You are already on this alert.");
    return "redraw";
  }
  await tellWhoHasIt(deps, click, false);
  return "leave";
});

export const onTakeOverAlert = onCallRoute("take over alert", "view", async (deps, click) => {
  const { key } = click.alert;
  const userId = click.body.user.id;
  const from = click.value.o ?? null;
  const taken = await deps.store.takeAlert(key, userId, deps.clock.now(), from);
  if (!taken.ok) {
    if (taken.takenBy === userId || taken.takenBy === null) {
      // Released meanwhile (or already theirs): an ordinary take settles it.
      const again = await deps.store.takeAlert(key, userId, deps.clock.now(), null);
      if (again.ok || taken.takenBy === userId) {
        await privately(deps, replyTo(click.body), "You are on this alert now.", true);
        return "redraw";
      }
    }
    await tellWhoHasIt(deps, click, true);
    return "leave";
  }
  click.log.info({ ts: key.ts, from }, "alert taken over");
  await privately(deps, replyTo(click.body), "You took over this alert.", true);
  if (from !== null) {
    // In the thread, so whoever had it hears it (the alert itself only shows who has it now).
    const note = `:eyes: ${mentionUser(userId)} took over this alert from ${mentionUser(from)}.`;
    await deps.poster.post(key.channel, { text: note, blocks: [context(note)] }, key.ts);
  }
  return "redraw";
});

export const onReleaseAlert = onCallRoute("release alert", "view", async (deps, click) => {
  const { key } = click.alert;
  if (await deps.store.releaseAlert(key.channel, key.ts, click.body.user.id)) {
    click.log.info({ ts: key.ts }, "alert released");
    return "redraw";
  }
  const holder = (await deps.store.alertState(key.channel, key.ts))?.takenBy ?? null;
  if (holder === null) return "redraw";
  await tellWhoHasIt(deps, click, false);
  return "leave";
});

export const onReopenAlert = onCallRoute("reopen alert", "repeat", async (deps, click) => {
  const { key } = click.alert;
  if (await deps.store.reopenAlert(key.channel, key.ts)) click.log.info({ ts: key.ts }, "alert reopened");
  return "redraw";
});
