// /workato-jobs: parse the text, acknowledge at once, then do the Workato work in the background.
import type { App } from "@slack/bolt";
import type { SlackMessage } from "./blocks/elements.js";
import { buildHelpMessage, buildUsageError } from "./blocks/help-blocks.js";
import { buildHistoryMessage } from "./blocks/history-blocks.js";
import { parseCommand } from "./command-parser.js";
import type { HandlerDeps } from "./handler-deps.js";
import { answerWithJobDetails, answerWithJobList } from "./job-views.js";
import { runRepeat } from "./repeat-flow.js";

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
    const parsed = parseCommand(command.text);
    if (!parsed.ok) {
      log.info({ problem: parsed.problem }, "command not understood");
      await ack(privately(buildUsageError(parsed.problem, parsed.usage)));
      return;
    }
    const request = parsed.command;
    log.info({ subcommand: request.kind }, "command");

    switch (request.kind) {
      case "help":
        await ack(privately(buildHelpMessage()));
        return;
      case "list":
        await ack();
        deps.background.run("list", () =>
          answerWithJobList(
            deps,
            {
              customer: request.customer,
              recipeId: request.recipeId,
              filter: { ...(request.status ? { status: request.status } : {}), rerunOnly: request.rerunOnly },
              paging: {},
            },
            command.response_url,
            { visibility: "in_channel" },
            log,
          ),
        );
        return;
      case "show":
        await ack();
        deps.background.run("show", () =>
          answerWithJobDetails(deps, request, command.response_url, { visibility: "in_channel" }, log),
        );
        return;
      case "history": {
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
        await ack(privately(buildHistoryMessage({ rows, scope })));
        return;
      }
      case "repeat": {
        // Slack redelivers a request it thinks went unanswered with the same trigger_id.
        const claimKey = `command:${command.trigger_id}`;
        const claim = deps.claims.claim(claimKey, command.user_id);
        await ack();
        if (!claim.ok) {
          log.info("redelivered repeat command ignored");
          return;
        }
        deps.background.run("repeat", () =>
          runRepeat(
            deps,
            {
              userId: command.user_id,
              channel: command.channel_id,
              customer: request.customer,
              recipeId: request.recipeId,
              jobIds: request.jobIds,
              responseUrl: command.response_url,
              claimKey,
            },
            log,
          ),
        );
        return;
      }
    }
  });
}
