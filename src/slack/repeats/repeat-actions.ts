// The repeat buttons: "Repeat" and "Repeat N failed" on job messages and alerts, and the confirmation of a typed
// repeat. Each claims its click first, so a double click or a redelivered click starts one repeat, then hands the
// repeat to repeat/'s runner with a Slack reporter.
import { createHash } from "node:crypto";
import type { BlockAction, ButtonAction } from "@slack/bolt";
import type { KnownBlock } from "@slack/types";
import type { Logger } from "pino";
import { type RepeatRequest, startRepeat } from "../../repeat/repeat-runner.js";
import { allowed } from "../access-gate.js";
import { type ActionRoute, channelOf, requesterOf, type TargetHandler } from "../action-target.js";
import { decodeConfirmValue } from "../blocks/action-ids.js";
import { section } from "../blocks/elements.js";
import { mentionUser } from "../blocks/format.js";
import { buildErrorMessage } from "../blocks/help-blocks.js";
import type { HandlerDeps } from "../handler-deps.js";
import { type ClickedMessage, createSlackRepeatReporter } from "./slack-repeat-reporter.js";

/** Starts a repeat with its report in `channel`, answering the person at `responseUrl`. */
function runRepeat(
  deps: HandlerDeps,
  request: RepeatRequest,
  to: { responseUrl: string; clicked?: ClickedMessage },
  log: Logger,
): Promise<void> {
  const reporter = createSlackRepeatReporter(
    deps,
    { channel: request.channel, userId: request.userId, ...to },
    log,
  );
  return startRepeat(deps, request, reporter, log);
}

/** "Repeat" (one job) and "Repeat N failed": the button's value names the master jobs. */
export const repeatClicked: TargetHandler<ButtonAction> = async (deps, body, action, target, log) => {
  const jobIds = [...new Set(target.value.j ?? [])];
  const channel = channelOf(body);
  if (jobIds.length === 0 || channel === undefined) return;
  // One repeat per button: a double click or a redelivered click finds the claim taken.
  const messageTs = body.container.message_ts ?? body.message?.ts ?? "";
  // The same message is redrawn when paging, reusing action ids for other jobs: the jobs belong in the key.
  const jobsKey = createHash("sha256")
    .update([...jobIds].sort().join(","))
    .digest("hex")
    .slice(0, 16);
  const claimKey = `click:${channel}:${messageTs}:${action.action_id}:${jobsKey}`;
  const claim = deps.claims.claim(claimKey, body.user.id);
  if (!claim.ok) {
    log.info({ claimedBy: claim.claimedBy }, "repeat already requested from this button");
    // The holder's id comes from our own store (a signed payload's user id), so the mention needs no escaping.
    const text = `${mentionUser(claim.claimedBy)} already asked to repeat these jobs from this message; they are not repeated again. The results are in the message's thread.`;
    await deps.poster.respond(body.response_url, { text, blocks: [section(`:information_source: ${text}`)] });
    return;
  }
  const isChannelMessage = body.message !== undefined && body.container.is_ephemeral !== true;
  await runRepeat(
    deps,
    { userId: body.user.id, channel, customer: target.customer, recipeId: target.recipeId, jobIds, claimKey },
    {
      responseUrl: body.response_url,
      ...(isChannelMessage && body.message
        ? {
            clicked: {
              ts: body.message.ts,
              text: typeof body.message.text === "string" ? body.message.text : "",
              blocks: (body.message.blocks ?? []) as KnownBlock[],
              actionId: action.action_id,
            },
          }
        : {}),
    },
    log,
  );
};

/** The confirmation of a typed repeat: the token names a repeat the same person asked for in this channel. */
export const onConfirmRepeat: ActionRoute = (app, deps, pattern) => {
  app.action<BlockAction<ButtonAction>>(pattern, async ({ body, action, ack }) => {
    await ack();
    const log = deps.logger.child({ action: "confirm repeat", user: body.user.id, channel: channelOf(body) });
    const token = decodeConfirmValue(action.value);
    const pending = token ? deps.pendingRepeats.get(token) : undefined;
    deps.background.run("confirm repeat", async () => {
      if (!token || !pending || pending.userId !== body.user.id || pending.channel !== channelOf(body)) {
        log.warn("repeat confirmation refused: unknown, expired or someone else's");
        await deps.poster.respond(
          body.response_url,
          buildErrorMessage(
            "That confirmation has expired or is not yours.",
            "Run the repeat command again.",
          ),
        );
        return;
      }
      if (!(await allowed(deps, requesterOf(body), "repeat", pending.customer, body.response_url))) return;
      // Confirming twice (or a redelivered click) starts one repeat.
      const claimKey = `confirm:${token}`;
      const claim = deps.claims.claim(claimKey, body.user.id);
      if (!claim.ok) {
        log.info("repeat already confirmed");
        return;
      }
      await deps.poster.respond(
        body.response_url,
        {
          text: "Repeat confirmed.",
          blocks: [section(":repeat: Repeat confirmed: the results follow in a thread in this channel.")],
        },
        { replaceOriginal: true },
      );
      await runRepeat(deps, { ...pending, claimKey }, { responseUrl: body.response_url }, log);
    });
  });
};
