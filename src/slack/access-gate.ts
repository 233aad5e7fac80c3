// Runs the access check for a Slack request and, on a denial, tells the person privately why.
import type { Requester } from "../access/access-check.js";
import type { CustomerRef } from "../workato/customer-ref.js";
import { buildErrorMessage } from "./blocks/help-blocks.js";
import type { HandlerDeps } from "./handler-deps.js";
import type { ReplyTo } from "./io/poster.js";

export type Need = "view" | "repeat" | "channel";

export async function allowed(
  deps: Pick<HandlerDeps, "access" | "poster">,
  who: Requester,
  need: Need,
  customer: CustomerRef | undefined,
  replyTo: ReplyTo,
): Promise<boolean> {
  const decision =
    need === "channel" || customer === undefined
      ? await deps.access.canUseChannel(who)
      : need === "repeat"
        ? await deps.access.canRepeat(who, customer)
        : await deps.access.canView(who, customer);
  if (decision.ok) return true;
  await deps.poster.respond(
    replyTo,
    buildErrorMessage(
      decision.reason,
      "Ask the team that runs this bot if you think you should have access.",
    ),
  );
  return false;
}
