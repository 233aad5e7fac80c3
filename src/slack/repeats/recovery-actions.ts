// A recovery's buttons: its confirmation starts it with the progress-message reporter, and Stop (allowed for whoever
// may repeat there, after Slack's confirm dialog) records who stopped it, then keeps the scheduler from sending more.
import type { BlockAction, ButtonAction } from "@slack/bolt";
import type { Logger } from "pino";
import { queueRepeat } from "../../repeat/repeat-dispatcher.js";
import type { RepeatRequest } from "../../repeat/repeat-runner.js";
import { parseCustomerRef } from "../../workato/customer-ref.js";
import { allowed } from "../access-gate.js";
import { type ActionRoute, channelOf, requesterOf } from "../action-target.js";
import { section } from "../blocks/elements.js";
import { buildErrorMessage } from "../blocks/help-blocks.js";
import { decodeStopValue } from "../blocks/recovery-blocks.js";
import type { HandlerDeps } from "../handler-deps.js";
import { createSlackRecoveryReporter } from "./slack-recovery-reporter.js";

/** Records a confirmed recovery (its plan with it) and hands it to the dispatcher, as any repeat. */
export function runRecovery(
  deps: HandlerDeps,
  request: RepeatRequest & { recovery: { since: number | null; again: boolean } },
  responseUrl: string,
  log: Logger,
): Promise<void> {
  const reporter = createSlackRecoveryReporter(
    deps,
    { channel: request.channel, userId: request.userId, since: request.recovery.since, responseUrl },
    log,
  );
  return queueRepeat(deps, request, reporter, log);
}

export const onStopRecovery: ActionRoute = (app, deps, pattern) => {
  app.action<BlockAction<ButtonAction>>(pattern, async ({ body, action, ack }) => {
    await ack();
    const channel = channelOf(body);
    const log = deps.logger.child({ action: "stop recovery", user: body.user.id, channel });
    const repeatId = decodeStopValue(action.value);
    deps.background.run("stop recovery", async () => {
      const record =
        repeatId === null
          ? undefined
          : (await deps.store.unfinishedRepeats()).find((repeat) => repeat.id === repeatId);
      const customer = record ? parseCustomerRef(record.customer) : undefined;
      // A Stop button names its repeat; one from another channel (or a forged value) stops nothing.
      if (!record || record.channel !== channel || !customer?.ok) {
        await deps.poster.respond(
          body.response_url,
          buildErrorMessage("That repeat has already finished.", "Its summary is in the thread."),
        );
        return;
      }
      if (!(await allowed(deps, requesterOf(body), "repeat", customer.ref, body.response_url))) return;
      // Durable first: a restart from here on leaves the rest unsent, and another replica's driver sees it.
      const stopped = await deps.store.stopRecovery(record.id, body.user.id, deps.clock.now());
      if (!stopped) {
        await deps.poster.respond(
          body.response_url,
          buildErrorMessage(
            "Only a repeat of failed jobs since a time can be stopped.",
            "Let this one finish.",
          ),
        );
        return;
      }
      deps.runningRepeats?.stop(record.id);
      log.info({ repeatId: record.id }, "recovery stopped");
      const text = "Stopped: no further request goes to Workato. The summary follows in the thread.";
      await deps.poster.respond(body.response_url, { text, blocks: [section(`:octagonal_sign: ${text}`)] });
    });
  });
};
