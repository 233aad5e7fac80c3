// What every click and menu choice on a job message shares: who acted where (from the signed payload), the recipe
// and jobs its value names (read again like typed input: nothing echoed back by Slack is trusted unchecked), and
// the wrapper that acknowledges at once, refuses stale values, checks access, then handles it in the background.
import type { App, BlockAction, ButtonAction, StaticSelectAction } from "@slack/bolt";
import type { Logger } from "pino";
import type { Requester } from "../access/access-check.js";
import { type CustomerRef, parseCustomerRef } from "../workato/customer-ref.js";
import { allowed, type Need } from "./access-gate.js";
import { type ButtonValue, decodeButtonValue } from "./blocks/action-ids.js";
import { buildErrorMessage } from "./blocks/help-blocks.js";
import { isJobId } from "./commands/arguments.js";
import type { HandlerDeps } from "./handler-deps.js";
import { alertInHome } from "./home/home-data.js";
import type { ReplyTo } from "./io/poster.js";

/** The parts of any block action payload that say who acted where. */
export type Interaction = Pick<BlockAction, "channel" | "container" | "user">;

/** A job message's recipe, in a customer's workspace, and what its button carried. */
export interface Target {
  customer: CustomerRef;
  recipeId: number;
  value: ButtonValue;
  /** a click in App Home: the alert it acts for, standing in for the channel and message clicked */
  home?: { channel: string; alertTs: string };
}

export const STALE_BUTTON = buildErrorMessage(
  "That button is not one I can act on (it may come from an older version of this app).",
  "Run the command again to get fresh buttons.",
);

/** Registers a handler for the actions matching `pattern`, as Bolt is given it; see routes.ts. */
export type ActionRoute = (app: App, deps: HandlerDeps, pattern: RegExp) => void;

export type TargetHandler<A extends ButtonAction | StaticSelectAction> = (
  deps: HandlerDeps,
  body: BlockAction<A>,
  action: A,
  target: Target,
  log: Logger,
) => Promise<void>;

/**
 * Acks, reads the target, and runs `handle` in the background once the person passed the access check. A click in
 * App Home is taken only where `fromHome` says the handler acts for an alert: it must name an alert the person's
 * Home shows, and is checked as if clicked in that alert's channel.
 */
export function onTargetAction<A extends ButtonAction | StaticSelectAction>(
  name: string,
  need: Need,
  readValue: (action: A) => ButtonValue | null,
  handle: TargetHandler<A>,
  options: { fromHome?: boolean } = {},
): ActionRoute {
  return (app, deps, pattern) => {
    app.action<BlockAction<A>>(pattern, async ({ body, action, ack }) => {
      await ack();
      const log = deps.logger.child({
        action: name,
        user: body.user.id,
        channel: channelOf(body),
        team: body.user.team_id,
      });
      const read = readTarget(readValue(action));
      const fromHome = isHomeClick(body);
      if (!read || (fromHome && options.fromHome !== true)) {
        log.warn("action value rejected");
        deps.background.run("stale action", () =>
          deps.poster.respond(replyTo(body), STALE_BUTTON).then(() => {}),
        );
        return;
      }
      log.info({ recipeId: read.recipeId, fromHome }, "action");
      deps.background.run(name, async () => {
        const target = fromHome ? await homeTarget(deps, body, read) : read;
        if (!target) {
          log.warn("home action names no alert of the person's Home");
          await deps.poster.respond(replyTo(body), STALE_HOME_BUTTON);
          return;
        }
        const who = target.home ? { ...requesterOf(body), channel: target.home.channel } : requesterOf(body);
        if (!(await allowed(deps, who, need, target.customer, replyTo(body)))) return;
        await handle(deps, body, action, target, log);
      });
    });
  };
}

const STALE_HOME_BUTTON = buildErrorMessage(
  "That alert is no longer in your App Home (it may have been resolved, or its watch removed).",
  "Open the Home tab again to see what is open now.",
);

/** A click in the App Home tab: Slack sends no channel, message or response_url with it. */
export function isHomeClick(body: Pick<BlockAction, "container">): boolean {
  return body.container.type === "view";
}

/** Where a private answer to this click goes: its response_url, or the person's DM with the app from App Home. */
export function replyTo(body: Pick<BlockAction, "response_url" | "user">): ReplyTo {
  return typeof body.response_url === "string" && body.response_url !== ""
    ? body.response_url
    : { userId: body.user.id };
}

async function homeTarget(deps: HandlerDeps, body: Interaction, target: Target): Promise<Target | undefined> {
  const alert = await alertInHome(deps.store, body.user.id, target.value);
  return alert ? { ...target, home: { channel: alert.channel, alertTs: alert.ts } } : undefined;
}

/** A button's own value. */
export const buttonValue = (action: ButtonAction): ButtonValue | null => decodeButtonValue(action.value);

export function channelOf(body: Interaction): string | undefined {
  const channel = body.channel?.id ?? body.container.channel_id;
  return typeof channel === "string" ? channel : undefined;
}

/** The person as the signed payload names them: their own team comes with block actions. */
export function requesterOf(body: Interaction): Requester {
  return { channel: channelOf(body) ?? "", userId: body.user.id, userTeamId: body.user.team_id };
}

/** A value is checked again like typed input: customer parsed, job ids well-formed. */
function readTarget(value: ButtonValue | null): Target | null {
  if (!value) return null;
  if (value.j?.some((jobId) => !isJobId(jobId)) || (value.o !== undefined && !isJobId(value.o))) return null;
  const customer = parseCustomerRef(value.c);
  if (!customer.ok) return null;
  return { customer: customer.ref, recipeId: value.r, value };
}
