// `/workato-jobs repeat …` as a person does it: the command, then the private confirmation's button.
import { type FakeSlack, listButtons } from "./fake-slack/index.js";
import type { AppResponse, SlackRequester, SlashCommandInput } from "./slack-requests.js";

export async function repeatByCommand(
  world: { send: SlackRequester; slack: FakeSlack },
  input: SlashCommandInput,
): Promise<AppResponse> {
  const { send, slack } = world;
  const seen = slack.ephemerals(input.channel, input.user.id).length;
  await send.slashCommand(input);
  const confirmation = await slack.waitFor(() =>
    slack
      .ephemerals(input.channel, input.user.id)
      .slice(seen)
      .find((message) => listButtons(message).some((button) => button.actionId.startsWith("repeat_confirm"))),
  );
  const button = listButtons(confirmation).find((candidate) =>
    candidate.actionId.startsWith("repeat_confirm"),
  );
  return send.click({
    channel: input.channel,
    messageTs: confirmation.ts,
    button: { actionId: button?.actionId ?? "" },
    user: input.user,
  });
}
