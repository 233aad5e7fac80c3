// /workato-jobs: parse the text, acknowledge at once, check access, then do the Workato work in the background.
import type { App } from "@slack/bolt";
import type { Requester } from "../access/access-check.js";
import { allowed } from "./access-gate.js";
import type { SlackMessage } from "./blocks/elements.js";
import { buildHelpMessage, buildUsageError } from "./blocks/help-blocks.js";
import { buildHistoryMessage } from "./blocks/history-blocks.js";
import { buildRepeatConfirmation } from "./blocks/repeat-blocks.js";
import { parseCommand } from "./command-parser.js";
import type { HandlerDeps } from "./handler-deps.js";
import { answerWithJobDetails, answerWithJobList, recipeName } from "./job-views.js";
import { handleWatchCommand, parseWatchCommandText } from "./watch-commands.js";

export const SLASH_COMMAND = "/workato-jobs";
const HISTORY_LENGTH = 20;

function privately(message: SlackMessage) {
  return { response_type: "ephemeral" as const, text: message.text, blocks: message.blocks };
}

export function registerCommands(app: App, deps: HandlerDeps): void {
  app.command(SLASH_COMMAND, async ({ command, ack }) => {
    const log = deps.logger.child({
      command: SLASH_COMMAND,
      user: command.user_id,
      channel: command.channel_id,
      team: command.team_id,
    });
    // watch, unwatch and watches have their own parser; everything else goes to parseCommand below.
    const watchParse = parseWatchCommandText(command.text, deps.access.resolveAlias);
    if (watchParse !== null) {
      if (!watchParse.ok) {
        log.info({ problem: watchParse.problem }, "command not understood");
        await ack(privately(buildUsageError(watchParse.problem, watchParse.usage)));
        return;
      }
      const request = watchParse.command;
      log.info({ subcommand: request.kind }, "command");
      await ack();
      deps.background.run(request.kind, () =>
        handleWatchCommand(deps, request, {
          who: { channel: command.channel_id, userId: command.user_id },
          responseUrl: command.response_url,
        }),
      );
      return;
    }
    const parsed = parseCommand(command.text, deps.access.resolveAlias);
    if (!parsed.ok) {
      log.info({ problem: parsed.problem }, "command not understood");
      await ack(privately(buildUsageError(parsed.problem, parsed.usage)));
      return;
    }
    const request = parsed.command;
    log.info({ subcommand: request.kind }, "command");
    // A slash command's team_id is the workspace it was typed in, not the user's organisation: the checker
    // looks the user up.
    const who: Requester = { channel: command.channel_id, userId: command.user_id };
    const responseUrl = command.response_url;

    switch (request.kind) {
      case "help":
        await ack(privately(buildHelpMessage()));
        return;
      case "list":
        await ack();
        deps.background.run("list", async () => {
          if (!(await allowed(deps, who, "view", request.customer, responseUrl))) return;
          await answerWithJobList(
            deps,
            {
              customer: request.customer,
              recipeId: request.recipeId,
              filter: { ...(request.status ? { status: request.status } : {}), rerunOnly: request.rerunOnly },
              paging: {},
            },
            responseUrl,
            { visibility: "in_channel" },
            log,
          );
        });
        return;
      case "show":
        await ack();
        deps.background.run("show", async () => {
          if (!(await allowed(deps, who, "view", request.customer, responseUrl))) return;
          await answerWithJobDetails(deps, request, responseUrl, { visibility: "in_channel" }, log);
        });
        return;
      case "history":
        await ack();
        deps.background.run("history", async () => {
          if (
            !(await allowed(deps, who, request.customer ? "view" : "channel", request.customer, responseUrl))
          )
            return;
          // Only this channel's repeats: a channel never learns about another channel's customers.
          const rows = deps.store.recentRepeats({
            channel: command.channel_id,
            ...(request.customer ? { customer: request.customer.display } : {}),
            ...(request.recipeId !== undefined ? { recipeId: request.recipeId } : {}),
            limit: HISTORY_LENGTH,
          });
          const scope = request.customer
            ? `of recipe ${request.recipeId} for ${request.customer.display} in this channel`
            : "in this channel";
          await deps.poster.respond(responseUrl, buildHistoryMessage({ rows, scope }));
        });
        return;
      case "repeat":
        await ack();
        deps.background.run("repeat", async () => {
          if (!(await allowed(deps, who, "repeat", request.customer, responseUrl))) return;
          // A confirmation first: the ids wait on the server, the button carries a token.
          const token = deps.pendingRepeats.add({
            userId: command.user_id,
            channel: command.channel_id,
            customer: request.customer,
            recipeId: request.recipeId,
            jobIds: request.jobIds,
          });
          const name = await recipeName(deps, request.customer, request.recipeId);
          await deps.poster.respond(
            responseUrl,
            buildRepeatConfirmation({
              token,
              jobIds: request.jobIds,
              recipeName: name,
              recipeId: request.recipeId,
              customer: request.customer,
            }),
          );
        });
        return;
    }
  });
}
