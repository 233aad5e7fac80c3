// `/workato-jobs repeat` (a private confirmation first: the ids wait on the server, the button carries a token) and
// `/workato-jobs history` (this channel's recent repeats).
import { allowed } from "../access-gate.js";
import { buildHistoryMessage } from "../blocks/history-blocks.js";
import { buildRepeatConfirmation } from "../blocks/repeat-blocks.js";
import type { HistoryCommand, RepeatCommand } from "../commands/grammar.js";
import type { CommandContext } from "../commands/slash-command.js";
import type { HandlerDeps } from "../handler-deps.js";
import { recipeName } from "../jobs/job-views.js";

const HISTORY_LENGTH = 20;

export async function askToConfirmRepeat(
  deps: HandlerDeps,
  command: RepeatCommand,
  { who, responseUrl }: CommandContext,
): Promise<void> {
  if (!(await allowed(deps, who, "repeat", command.customer, responseUrl))) return;
  const token = deps.pendingRepeats.add({
    userId: who.userId,
    channel: who.channel,
    customer: command.customer,
    recipeId: command.recipeId,
    jobIds: command.jobIds,
  });
  const name = await recipeName(deps, command.customer, command.recipeId);
  await deps.poster.respond(
    responseUrl,
    buildRepeatConfirmation({
      token,
      jobIds: command.jobIds,
      recipeName: name,
      recipeId: command.recipeId,
      customer: command.customer,
    }),
  );
}

export async function showHistory(
  deps: HandlerDeps,
  command: HistoryCommand,
  { who, responseUrl }: CommandContext,
): Promise<void> {
  if (!(await allowed(deps, who, command.customer ? "view" : "channel", command.customer, responseUrl)))
    return;
  // Only this channel's repeats: a channel never learns about another channel's customers.
  const rows = deps.store.recentRepeats({
    channel: who.channel,
    ...(command.customer ? { customer: command.customer.display } : {}),
    ...(command.recipeId !== undefined ? { recipeId: command.recipeId } : {}),
    limit: HISTORY_LENGTH,
  });
  const scope = command.customer
    ? `of recipe ${command.recipeId} for ${command.customer.display} in this channel`
    : "in this channel";
  await deps.poster.respond(responseUrl, buildHistoryMessage({ rows, scope }));
}
