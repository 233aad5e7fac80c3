// The repeat buttons: "Repeat" and "Repeat N failed" on job messages and alerts, and the confirmation of a typed
// repeat. Each claims its click first, so a double click or a redelivered click starts one repeat, then hands the
// repeat to repeat/'s runner with a Slack reporter.
import { createHash } from "node:crypto";
import type { BlockAction, ButtonAction } from "@slack/bolt";
import type { KnownBlock } from "@slack/types";
import type { Logger } from "pino";
import { selectForRepeat } from "../../lineage/lineage.js";
import { queueRepeat } from "../../repeat/repeat-dispatcher.js";
import type { RepeatRequest } from "../../repeat/repeat-runner.js";
import type { CustomerRef } from "../../workato/customer-ref.js";
import { allowed } from "../access-gate.js";
import { type ActionRoute, channelOf, replyTo, requesterOf, type TargetHandler } from "../action-target.js";
import { decodeConfirmValue } from "../blocks/action-ids.js";
import { section } from "../blocks/elements.js";
import { mentionUser } from "../blocks/format.js";
import { buildErrorMessage } from "../blocks/help-blocks.js";
import { buildRecheckedMessage } from "../blocks/recheck-blocks.js";
import type { HandlerDeps } from "../handler-deps.js";
import type { ReplyTo } from "../io/poster.js";
import { mastersById, readHandling } from "../jobs/job-lineage.js";
import { recordClickedList } from "../jobs/job-list-views.js";
import { runRecovery } from "./recovery-actions.js";
import { createSlackRepeatReporter, type ReportTo } from "./slack-repeat-reporter.js";

/** Records a repeat with its report in `channel`, answering the person at `responseUrl`; the dispatcher sends it. */
function runRepeat(
  deps: HandlerDeps,
  request: RepeatRequest,
  to: Pick<ReportTo, "responseUrl" | "clicked" | "inThread"> & { responseUrl: ReplyTo },
  log: Logger,
): Promise<void> {
  const reporter = createSlackRepeatReporter(
    deps,
    { channel: request.channel, userId: request.userId, ...to },
    log,
  );
  return queueRepeat(deps, request, reporter, log);
}

/**
 * "Repeat" (one job) and "Repeat N failed": the button's value names the master jobs. The message may be old, so
 * what became of them is read again now: a job whose repeat succeeded or is running is sent only when its button's
 * dialog said so (`a`), and a job whose state is unknown only then too.
 */
export const repeatClicked: TargetHandler<ButtonAction> = async (deps, body, action, target, log) => {
  const asked = [...new Set(target.value.j ?? [])];
  // From App Home, the alert the button names stands in for the channel and message clicked.
  const channel = target.home?.channel ?? channelOf(body);
  if (asked.length === 0 || channel === undefined) return;
  const reply = replyTo(body);
  // One repeat per button: a double click or a redelivered click finds the claim taken.
  const messageTs = target.home?.alertTs ?? body.container.message_ts ?? body.message?.ts ?? "";
  // The same message is redrawn when paging, reusing action ids for other jobs: the jobs belong in the key. It is
  // also redrawn as outcomes arrive: a "Repeat again" drawn after a failed repeat (its dialog names that repeat) is
  // a new button, not the one already used, so the button as drawn belongs in the key too.
  const jobsKey = createHash("sha256")
    .update([...asked].sort().join(","))
    .update(drawnButton(body, action.action_id))
    .digest("hex")
    .slice(0, 16);
  const claimKey = `click:${channel}:${messageTs}:${action.action_id}:${jobsKey}`;
  const claim = await deps.claims.claim(claimKey, body.user.id);
  if (!claim.ok) {
    log.info({ claimedBy: claim.claimedBy }, "repeat already requested from this button");
    // The holder's id comes from our own store (a signed payload's user id), so the mention needs no escaping.
    const text = `${mentionUser(claim.claimedBy)} already asked to repeat these jobs from this message; they are not repeated again. The results are in the message's thread.`;
    await deps.poster.respond(reply, { text, blocks: [section(`:information_source: ${text}`)] });
    return;
  }
  const handling = await readHandling(
    deps,
    target,
    mastersById(asked, { seconds: target.value.t }),
    log,
    "action",
  );
  const resolvedByHand = await handResolved(deps, target, asked);
  const selection = selectForRepeat(asked, handling, { again: target.value.a === true, resolvedByHand });
  const jobIds = selection.send;
  if (jobIds.length < asked.length) {
    log.info({ asked: asked.length, sending: jobIds.length }, "repeat selection shrank at the click");
    await deps.poster.respond(
      reply,
      buildRecheckedMessage({ asked: asked.length, sending: jobIds.length, leftOut: selection.leftOut }),
    );
  }
  if (jobIds.length === 0) {
    // Nothing was started: the button may be used again once something changes (a running repeat fails).
    await deps.claims.release(claimKey);
    return;
  }
  const isChannelMessage = body.message !== undefined && body.container.is_ephemeral !== true;
  if (isChannelMessage && body.message && !target.home) {
    // A list the repeat starts from becomes a view of these jobs: their outcomes redraw it (job-list-views.ts).
    const list = { channel, ts: body.message.ts, blocks: (body.message.blocks ?? []) as KnownBlock[] };
    await recordClickedList(deps, target, list, jobIds, log);
  }
  await runRepeat(
    deps,
    { userId: body.user.id, channel, customer: target.customer, recipeId: target.recipeId, jobIds, claimKey },
    {
      responseUrl: reply,
      ...(target.home ? { inThread: target.home.alertTs } : {}),
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

/** The clicked button as the message drew it (label, value, dialog); "" when the click carries no message. */
function drawnButton(body: BlockAction, actionId: string): string {
  for (const block of (body.message?.blocks ?? []) as KnownBlock[]) {
    if (block.type !== "actions" && block.type !== "section") continue;
    const elements = block.type === "actions" ? block.elements : block.accessory ? [block.accessory] : [];
    const element = elements.find(
      (candidate) => "action_id" in candidate && candidate.action_id === actionId,
    );
    if (element) return JSON.stringify(element);
  }
  return "";
}

/** Which of these jobs people resolved by hand in an alert ("fixed at the source"): left out unless `again`. */
async function handResolved(
  deps: Pick<HandlerDeps, "store">,
  target: { customer: CustomerRef; recipeId: number },
  jobIds: readonly string[],
): Promise<Set<string>> {
  return new Set(await deps.store.handResolvedJobs(target.customer.display, target.recipeId, jobIds));
}

/** The confirmation of a typed repeat: the token names a repeat the same person asked for in this channel. */
export const onConfirmRepeat: ActionRoute = (app, deps, pattern) => {
  app.action<BlockAction<ButtonAction>>(pattern, async ({ body, action, ack }) => {
    await ack();
    const log = deps.logger.child({ action: "confirm repeat", user: body.user.id, channel: channelOf(body) });
    const token = decodeConfirmValue(action.value);
    deps.background.run("confirm repeat", async () => {
      // Read in the background: with replicas this is a database call, and a failure must not escape the handler.
      const pending = token ? await deps.pendingRepeats.get(token) : undefined;
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
      const claim = await deps.claims.claim(claimKey, body.user.id);
      if (!claim.ok) {
        log.info("repeat already confirmed");
        return;
      }
      // The confirmation may have waited for minutes: what became of the jobs is read again now.
      const again = pending.again === true || pending.recovery?.again === true;
      // A recovery's jobs all started at or after its `since`: their repeats are read back to there, no further.
      const since = { ms: pending.recovery?.since ?? null };
      const handling = await readHandling(deps, pending, mastersById(pending.jobIds, since), log, "action");
      const resolvedByHand = await handResolved(deps, pending, pending.jobIds);
      const selection = selectForRepeat(pending.jobIds, handling, { again, resolvedByHand });
      if (selection.send.length < pending.jobIds.length) {
        log.info({ asked: pending.jobIds.length, sending: selection.send.length }, "repeat selection shrank");
        await deps.poster.respond(
          body.response_url,
          buildRecheckedMessage({
            asked: pending.jobIds.length,
            sending: selection.send.length,
            leftOut: selection.leftOut,
          }),
          { replaceOriginal: true },
        );
        if (selection.send.length === 0) return;
      } else {
        await deps.poster.respond(
          body.response_url,
          {
            text: "Repeat confirmed.",
            blocks: [section(":repeat: Repeat confirmed: the results follow in a thread in this channel.")],
          },
          { replaceOriginal: true },
        );
      }
      if (pending.recovery) {
        // A recovery reports in its own progress message and paced thread (recovery-actions.ts).
        const recovery = { ...pending, recovery: pending.recovery, jobIds: selection.send, claimKey };
        await runRecovery(deps, recovery, body.response_url, log);
        return;
      }
      await runRepeat(
        deps,
        { ...pending, jobIds: selection.send, claimKey },
        { responseUrl: body.response_url },
        log,
      );
    });
  });
};
