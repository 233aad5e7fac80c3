// `/workato-jobs list` and `show`: after the access check, the jobs or the job, in the channel.
import { allowed } from "../access-gate.js";
import type { ListCommand, ShowCommand } from "../commands/grammar.js";
import type { CommandContext } from "../commands/slash-command.js";
import type { HandlerDeps } from "../handler-deps.js";
import { answerWithJobDetails, answerWithJobList } from "./job-views.js";

export async function listJobs(deps: HandlerDeps, command: ListCommand, ctx: CommandContext): Promise<void> {
  if (!(await allowed(deps, ctx.who, "view", command.customer, ctx.responseUrl))) return;
  await answerWithJobList(
    deps,
    {
      customer: command.customer,
      recipeId: command.recipeId,
      filter: { ...(command.status ? { status: command.status } : {}), rerunOnly: command.rerunOnly },
      paging: {},
    },
    ctx.responseUrl,
    { visibility: "in_channel" },
    ctx.log,
  );
}

export async function showJob(deps: HandlerDeps, command: ShowCommand, ctx: CommandContext): Promise<void> {
  if (!(await allowed(deps, ctx.who, "view", command.customer, ctx.responseUrl))) return;
  await answerWithJobDetails(deps, command, ctx.responseUrl, { visibility: "in_channel" }, ctx.log);
}
