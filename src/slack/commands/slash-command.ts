// /workato-jobs: parse the text with the one grammar, refuse what it cannot read (the one usage-error path),
// acknowledge at once, then hand the command to its handler: in the acknowledgement itself, or in the background,
// answered within 3 s whatever is down (answer-on-time.ts).
import type { App } from "@slack/bolt";
import type { Logger } from "pino";
import type { Requester } from "../../access/access-check.js";
import type { SlackMessage } from "../blocks/elements.js";
import { buildUsageError } from "../blocks/help-blocks.js";
import type { HandlerDeps } from "../handler-deps.js";
import { answerOnTime } from "./answer-on-time.js";
import { type Command, parseCommand, SLASH_COMMAND } from "./grammar.js";
import { customerResolver, readWithCustomerNames } from "./named-customers.js";

export interface CommandContext {
  /** who typed the command, where, as the signed request says */
  who: Requester;
  responseUrl: string;
  log: Logger;
}

/** How a subcommand is answered: with a message in Slack's acknowledgement, or later through the response_url. */
export type CommandAnswer<C extends Command> =
  | { now: (command: C) => SlackMessage }
  | { later: (deps: HandlerDeps, command: C, context: CommandContext) => Promise<void> };

/** One answer per subcommand of the grammar: a subcommand without one does not compile. */
export type CommandHandlers = {
  readonly [K in Command["kind"]]: CommandAnswer<Extract<Command, { kind: K }>>;
};

function privately(message: SlackMessage) {
  return { response_type: "ephemeral" as const, text: message.text, blocks: message.blocks };
}

export function registerSlashCommand(app: App, deps: HandlerDeps, handlers: CommandHandlers): void {
  app.command(SLASH_COMMAND, async ({ command, ack }) => {
    const log = deps.logger.child({
      command: SLASH_COMMAND,
      user: command.user_id,
      channel: command.channel_id,
      team: command.team_id,
    });
    const snapshot = deps.customers.snapshot();
    const parsed = parseCommand(command.text, customerResolver(deps, command.channel_id, snapshot));
    // A slash command's team_id is the workspace it was typed in, not the user's organisation: the checker
    // looks the user up.
    const who: Requester = { channel: command.channel_id, userId: command.user_id };
    const responseUrl = command.response_url;
    if (!parsed.ok && parsed.byName) {
      // Answered later: the channel check and perhaps a fresh customer list come first.
      await ack();
      let request: Command | null = null;
      deps.background.run("customer name", () =>
        answerOnTime(
          deps,
          { responseUrl, log, saves: () => (request ? whatIsSaved(request) : undefined) },
          async (scoped) => {
            request = await readWithCustomerNames(scoped, command.text, who, responseUrl, log);
            if (request) await answerLater(handlers, scoped, request, { who, responseUrl, log });
          },
        ),
      );
      return;
    }
    if (!parsed.ok) {
      log.info({ problem: parsed.problem }, "command not understood");
      await ack(privately(buildUsageError(parsed.problem, parsed.usage)));
      return;
    }
    const request = parsed.command;
    const answer = answerOf(handlers, request);
    if ("now" in answer) {
      log.info({ subcommand: request.kind }, "command");
      await ack(privately(answer.now(request)));
      return;
    }
    await ack();
    deps.background.run(request.kind, () =>
      answerOnTime(deps, { responseUrl, log, saves: () => whatIsSaved(request) }, (scoped) =>
        answerLater(handlers, scoped, request, { who, responseUrl, log }),
      ),
    );
  });
}

/** What a command records, named in "… not saved" when the store cannot take it; undefined: it only reads. */
function whatIsSaved(command: Command): string | undefined {
  switch (command.kind) {
    case "watch":
      return "Watch";
    case "unwatch":
      return "Unwatch";
    case "digest":
      return command.action === "show" ? undefined : "Digest setting";
    default:
      return undefined;
  }
}

// Each entry answers its own kind; TypeScript cannot follow that through the index, hence the widening.
function answerOf(handlers: CommandHandlers, request: Command): CommandAnswer<Command> {
  return handlers[request.kind] as CommandAnswer<Command>;
}

async function answerLater(
  handlers: CommandHandlers,
  deps: HandlerDeps,
  request: Command,
  context: CommandContext,
): Promise<void> {
  context.log.info({ subcommand: request.kind }, "command");
  const answer = answerOf(handlers, request);
  if ("now" in answer) {
    await deps.poster.respond(context.responseUrl, answer.now(request));
    return;
  }
  await answer.later(deps, request, context);
}
