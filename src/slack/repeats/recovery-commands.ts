// `/workato-jobs repeat <customer> <recipe_id> failed [since <when>] [again]`: reads every page of failed jobs back
// to `since` (showing that it reads when that takes a while), leaves out what lineage says is handled, and answers
// privately with a preview and a Repeat N jobs button; the ids wait on the server behind the button's token.
import { readFailedJobs } from "../../recovery/failed-jobs-reader.js";
import { parseSince } from "../../recovery/since.js";
import { allowed } from "../access-gate.js";
import { buildErrorMessage } from "../blocks/help-blocks.js";
import { cannotRepeatWords } from "../blocks/lineage-words.js";
import { buildReadingFailedJobs, buildRecoveryPreview } from "../blocks/recovery-blocks.js";
import { type RepeatFailedCommand, USAGE } from "../commands/grammar.js";
import type { CommandContext } from "../commands/slash-command.js";
import type { HandlerDeps } from "../handler-deps.js";
import { answerWithFailure } from "../jobs/explained-failure.js";

/** Reading that takes longer than this shows "Reading failed jobs… N so far". */
const SHOW_READING_AFTER_MS = 2000;
/** response_urls take 5 answers: the reading note gets at most two updates, the preview the last word. */
const READING_UPDATE_EVERY_MS = 5000;
const MAX_READING_UPDATES = 3;

export async function askToConfirmRecovery(
  deps: HandlerDeps,
  command: RepeatFailedCommand,
  { who, responseUrl, log }: CommandContext,
): Promise<void> {
  const started = deps.clock.now();
  // "today" starts at midnight UTC: the person's time zone would need a users.info call per command.
  const since = command.since === null ? null : parseSince(command.since, started);
  if (since !== null && !since.ok) {
    await deps.poster.respond(responseUrl, buildErrorMessage(since.problem, `Usage: ${USAGE.repeat}`));
    return;
  }
  if (!(await allowed(deps, who, "repeat", command.customer, responseUrl))) return;
  const sinceMs = since === null ? null : since.since;

  let updates = 0;
  let lastUpdateAt = Number.NEGATIVE_INFINITY;
  // The app's lineage reader, shared with lists; the confirm reads Workato again before anything is sent.
  const lineage = deps.lineage;
  let found: Awaited<ReturnType<typeof readFailedJobs>>;
  try {
    found = await readFailedJobs(
      { workato: deps.workato, lineage, store: deps.store, clock: deps.clock },
      { customer: command.customer, recipeId: command.recipeId, since: sinceMs, again: command.again },
      (progress) => {
        const at = deps.clock.now();
        if (at - started < SHOW_READING_AFTER_MS || updates >= MAX_READING_UPDATES) return;
        if (at - lastUpdateAt < READING_UPDATE_EVERY_MS) return;
        updates++;
        lastUpdateAt = at;
        void deps.poster.respond(responseUrl, buildReadingFailedJobs(progress), {
          replaceOriginal: updates > 1,
        });
      },
    );
  } catch (error) {
    log.warn({ err: error }, "could not read the failed jobs to repeat");
    await answerWithFailure(deps, responseUrl, error, "reading the recipe's failed jobs");
    return;
  }
  log.info(
    { pages: found.pages, failed: found.failed, send: found.send.length, ms: deps.clock.now() - started },
    "failed jobs read for a recovery",
  );
  const token = await deps.pendingRepeats.add({
    userId: who.userId,
    channel: who.channel,
    customer: command.customer,
    recipeId: command.recipeId,
    jobIds: found.send,
    recovery: { since: sinceMs, again: command.again },
  });
  const preview = buildRecoveryPreview({
    token,
    customer: command.customer,
    recipeId: command.recipeId,
    recipeName: await deps.names.recipe(command.customer, command.recipeId),
    customerName: deps.names.customer(command.customer),
    since: sinceMs,
    failed: found.failed,
    leftOut: {
      succeeded: found.leftOut.succeeded.length,
      running: found.leftOut.running.length,
      unknown: found.leftOut.unknown.length,
      cannotRepeat: found.leftOut.cannotRepeat.map((job) => cannotRepeatWords(job.why)),
      resolved: found.leftOut.resolved.length,
    },
    expired: found.expired,
    failedRepeats: found.nonMaster,
    toRepeat: found.send.length,
    includedAgain: found.includedAgain.length,
  });
  await deps.poster.respond(responseUrl, preview, { replaceOriginal: updates > 0 });
}
