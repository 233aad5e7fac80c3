// `/workato-jobs repeat` (a private confirmation first: the ids wait on the server, the button carries a token) and
// `/workato-jobs history` (this channel's recent repeats).
import { selectForRepeat } from "../../lineage/lineage.js";
import { parseCustomerRef } from "../../workato/customer-ref.js";
import { allowed } from "../access-gate.js";
import { customerText } from "../blocks/format.js";
import { buildHistoryMessage, type HistoryOutcome } from "../blocks/history-blocks.js";
import { buildRepeatConfirmation } from "../blocks/repeat-blocks.js";
import type { HistoryCommand, RepeatCommand } from "../commands/grammar.js";
import type { CommandContext } from "../commands/slash-command.js";
import type { HandlerDeps } from "../handler-deps.js";
import { permalinkKey } from "../io/permalinks.js";
import { answeredMissingRecipe } from "../jobs/explained-failure.js";
import { mastersById, readHandling } from "../jobs/job-lineage.js";

const HISTORY_LENGTH = 20;

export async function askToConfirmRepeat(
  deps: HandlerDeps,
  command: RepeatCommand,
  { who, responseUrl, log }: CommandContext,
): Promise<void> {
  if (!(await allowed(deps, who, "repeat", command.customer, responseUrl))) return;
  if (await answeredMissingRecipe(deps, command, responseUrl, "preparing the repeat")) return;
  // Jobs whose repeat succeeded or is running are listed apart and left out, unless the command ended with `again`.
  const again = command.again === true;
  const handling = await readHandling(deps, command, mastersById(command.jobIds), log, "display");
  const selection = selectForRepeat(command.jobIds, handling, { again });
  const name = await deps.names.recipe(command.customer, command.recipeId);
  const token =
    selection.send.length === 0
      ? ""
      : await deps.pendingRepeats.add({
          userId: who.userId,
          channel: who.channel,
          customer: command.customer,
          recipeId: command.recipeId,
          jobIds: selection.send,
          ...(again ? { again: true as const } : {}),
        });
  await deps.poster.respond(
    responseUrl,
    buildRepeatConfirmation({
      token,
      jobIds: selection.send,
      recipeName: name,
      recipeId: command.recipeId,
      customer: command.customer,
      customerName: deps.names.customer(command.customer),
      leftOut: selection.leftOut,
      includedAgain: selection.includedAgain,
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
  const rows = await deps.store.recentRepeats({
    channel: who.channel,
    ...(command.customer ? { customer: command.customer.display } : {}),
    ...(command.recipeId !== undefined ? { recipeId: command.recipeId } : {}),
    limit: HISTORY_LENGTH,
  });
  const scope = command.customer
    ? `of recipe ${command.recipeId} for ${customerText(command.customer, deps.names.customer(command.customer))} in this channel`
    : "in this channel";
  // What became of each repeat's new jobs, as far as its follow-up got.
  const outcomes = new Map<number, HistoryOutcome>();
  for (const row of rows) {
    const followUp = await deps.store.followUpOf(row.repeat.id);
    if (followUp) outcomes.set(row.repeat.id, followUp);
  }
  // Names only for customers the channel may still see.
  const visible = rows.flatMap(({ repeat }) => {
    const customer = parseCustomerRef(repeat.customer);
    return customer.ok && deps.access.maySee(who.channel, customer.ref)
      ? [{ customer: customer.ref, recipeId: repeat.recipeId }]
      : [];
  });
  const recipeNames = await deps.names.recipes(visible);
  const customerNames = new Map(
    visible.flatMap(({ customer }) => {
      const name = deps.names.customer(customer);
      return name === null ? [] : [[customer.display, name] as const];
    }),
  );
  // One click to each repeat's results: its thread, in this channel.
  const links = await deps.permalinks.ofMany(
    rows.map(({ repeat }) => ({ channel: who.channel, ts: repeat.threadTs })),
  );
  const threadLinks = new Map(
    rows.flatMap(({ repeat }) => {
      const link = links.get(permalinkKey({ channel: who.channel, ts: repeat.threadTs }));
      return link ? [[repeat.id, link] as const] : [];
    }),
  );
  await deps.poster.respond(
    responseUrl,
    buildHistoryMessage({ rows, scope, outcomes, recipeNames, customerNames, threadLinks }),
  );
}
