// The reporter of a recorded repeat, as the dispatcher and the resume path need it: a recovery (it has a plan in
// the store) reports through its progress message and paced thread, any other repeat as before.
import type { Logger } from "pino";
import type { RepeatReporter } from "../../repeat/repeat-reporter.js";
import type { RepeatRecord } from "../../store/store.js";
import type { HandlerDeps } from "../handler-deps.js";
import { createSlackRecoveryReporter } from "./slack-recovery-reporter.js";
import { createSlackRepeatReporter } from "./slack-repeat-reporter.js";

export function reporterForRecord(
  deps: Pick<HandlerDeps, "poster" | "names" | "store" | "clock">,
  record: RepeatRecord,
  log: Logger,
): RepeatReporter {
  let chosen: Promise<RepeatReporter> | null = null;
  const reporter = () =>
    (chosen ??= deps.store.recoveryPlan(record.id).then((plan) =>
      plan
        ? createSlackRecoveryReporter(
            deps,
            {
              channel: record.channel,
              userId: record.userId,
              since: plan.since,
              threadTs: record.threadTs,
              repeatId: record.id,
              record,
            },
            log,
          )
        : createSlackRepeatReporter(deps, record, log),
    ));
  return {
    opened: async (repeat) => (await reporter()).opened(repeat),
    recorded: async (at, repeatId) => (await reporter()).recorded(at, repeatId),
    batch: async (results, batchNumber) => (await reporter()).batch(results, batchNumber),
    summary: async (results, ending) => (await reporter()).summary(results, ending),
    restarted: async (inFlight) => (await reporter()).restarted(inFlight),
    paused: async () => (await reporter()).paused(),
    resumed: async () => (await reporter()).resumed(),
    cannotStart: async (reason) => (await reporter()).cannotStart(reason),
  };
}
