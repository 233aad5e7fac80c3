// A recovery's buttons: its confirmation starts it with the progress-message reporter, and Stop (allowed for whoever
// may repeat there, after Slack's confirm dialog) records who stopped it, then keeps the scheduler from sending more;
// a Stop clicked after every request left says there is nothing left to stop, and records no stop.
import type { BlockAction, ButtonAction } from "@slack/bolt";
import type { Logger } from "pino";
import { queueRepeat } from "../../repeat/repeat-dispatcher.js";
import type { RepeatRequest } from "../../repeat/repeat-runner.js";
import { parseCustomerRef } from "../../workato/customer-ref.js";
import { allowed } from "../access-gate.js";
import { type ActionRoute, channelOf, requesterOf } from "../action-target.js";
import { section } from "../blocks/elements.js";
import { countOf } from "../blocks/format.js";
import { buildErrorMessage } from "../blocks/help-blocks.js";
import { decodeStopValue } from "../blocks/recovery-blocks.js";
import { ICON } from "../blocks/status-icons.js";
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
        const sent =
          repeatId === null || channel === undefined ? null : await allSentIn(deps, channel, repeatId);
        await deps.poster.respond(
          body.response_url,
          sent === null
            ? buildErrorMessage("That repeat has already finished.", "Its summary is in the thread.")
            : nothingLeftToStop(sent),
        );
        return;
      }
      if (!(await allowed(deps, requesterOf(body), "repeat", customer.ref, body.response_url))) return;
      // Clicked after the last request left: a stop would promise what it cannot do, and mark a finished repeat stopped.
      const jobs = await deps.store.repeatJobs(record.id);
      if (!jobs.some((job) => job.status.state === "waiting")) {
        await deps.poster.respond(body.response_url, nothingLeftToStop(jobs.length));
        return;
      }
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
      await deps.poster.respond(body.response_url, { text, blocks: [section(`${ICON.stopped} ${text}`)] });
    });
  });
};

/** How many jobs a finished repeat of this channel sent, when it sent them all; null when it is not one. */
async function allSentIn(
  deps: Pick<HandlerDeps, "store">,
  channel: string,
  repeatId: number,
): Promise<number | null> {
  const recent = await deps.store.recentRepeats({ channel, limit: RECENT_REPEATS_READ });
  const row = recent.find((candidate) => candidate.repeat.id === repeatId);
  return row && row.waiting === 0 ? row.total : null;
}

/** Repeats of one channel read to find a late Stop's: a Stop older than these says only "already finished". */
const RECENT_REPEATS_READ = 50;

function nothingLeftToStop(sent: number) {
  const text = `Nothing left to stop: all ${countOf(sent, "job")} ${sent === 1 ? "was" : "were"} sent. The summary in the thread follows them to their outcomes.`;
  return { text, blocks: [section(`${ICON.stopped} ${text}`)] };
}
