// What the demo page's controls do, as Slack would do it: a typed slash command goes to the app signed (and an answer
// in its acknowledgement is shown like one sent to the response_url), a plain message is posted as the viewer's, and
// clicks and choices go to the app as signed block_actions payloads.

import { type Harness, SIGNING_SECRET } from "../sim/app-harness.js";
import { type AppResponse, signSlackRequest } from "../sim/slack-requests.js";
import { escapeMrkdwn } from "../src/slack/blocks/format.js";
import { SLASH_COMMAND } from "../src/slack/commands/grammar.js";
import type { ChannelFeed, Person } from "./channel-feed.js";
import type { ActionOutcome, PageActions } from "./page-server.js";

/** Text as Slack sends it to an app: &, < and > escaped; known @names and #channels as mentions when asked. */
function asSlackText(
  typed: string,
  withMentions: boolean,
  people: readonly Person[],
  channel: { id: string; name: string },
): string {
  const escaped = escapeMrkdwn(typed);
  if (!withMentions) return escaped;
  return escaped
    .replace(/(^|\s)@([\w.-]+)/g, (whole, before: string, name: string) => {
      const person = people.find((candidate) => candidate.name === name);
      if (!person) return whole;
      const mention = person.id.startsWith("S")
        ? `<!subteam^${person.id}|@${person.name}>`
        : `<@${person.id}|${person.name}>`;
      return `${before}${mention}`;
    })
    .replace(/(^|\s)#([\w-]+)/g, (whole, before: string, name: string) =>
      name === channel.name ? `${before}<#${channel.id}|${name}>` : whole,
    );
}

/** Slack shows an answer given in the acknowledgement as if it had been sent to the response_url. */
async function showAcknowledgement(answer: AppResponse, responseUrl: string): Promise<ActionOutcome> {
  if (answer.status !== 200)
    return { ok: false, problem: `The app answered HTTP ${answer.status}: ${answer.body.slice(0, 200)}` };
  if (answer.body.trim() === "") return { ok: true };
  let message: unknown;
  try {
    message = JSON.parse(answer.body);
  } catch {
    message = { text: answer.body };
  }
  const delivered = await fetch(responseUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(message),
  });
  return delivered.ok
    ? { ok: true }
    : { ok: false, problem: `Slack refused the app's answer: ${await delivered.text()}` };
}

function failed(error: unknown): ActionOutcome {
  return { ok: false, problem: error instanceof Error ? error.message : String(error) };
}

export function createPageActions(options: {
  harness: Harness;
  feed: ChannelFeed;
  channel: { id: string; name: string };
  viewer: Person;
  people: readonly Person[];
  /** the manifest's should_escape: whether Slack sends @names in command text as <@U…> mentions */
  escapesMentions: boolean;
}): PageActions {
  const { harness, feed, channel, viewer, people } = options;
  const { slack, send } = harness;
  return {
    async send(text) {
      const typed = text.trim();
      if (typed === "") return { ok: false, problem: `Type a command such as ${SLASH_COMMAND} help.` };
      if (!typed.startsWith("/")) {
        slack.seedMessage(channel.id, { text: asSlackText(typed, true, people, channel), user: viewer.id });
        return { ok: true };
      }
      const command = typed.split(/\s/, 1)[0] ?? typed;
      if (command !== SLASH_COMMAND)
        return { ok: false, problem: `${command} is not a command here. Try ${SLASH_COMMAND} help.` };
      feed.recordCommand(typed);
      const responseUrl = slack.createResponseUrl({ channel: channel.id, user: viewer.id });
      const answer = await send.slashCommand({
        text: asSlackText(typed.slice(command.length).trim(), options.escapesMentions, people, channel),
        user: viewer,
        channel: channel.id,
        responseUrl,
      });
      return showAcknowledgement(answer, responseUrl);
    },
    async click({ messageTs, actionId }) {
      try {
        const answer = await send.click({
          channel: channel.id,
          messageTs,
          button: { actionId },
          user: viewer,
        });
        return await showAcknowledgement(answer, answer.responseUrl);
      } catch (error) {
        return failed(error);
      }
    },
    async home() {
      // What Slack sends when the viewer opens the app's Home tab; the app answers by publishing the view.
      const before = slack.homeView(viewer.id)?.publishCount ?? 0;
      const body = JSON.stringify({
        type: "event_callback",
        team_id: slack.teamId,
        event: { type: "app_home_opened", user: viewer.id, channel: "D0DEMOHOME", tab: "home" },
        event_id: `Ev${Date.now()}`,
        event_time: Math.floor(Date.now() / 1000),
      });
      try {
        const answer = await send.raw(body, {
          "content-type": "application/json",
          ...signSlackRequest(SIGNING_SECRET, body),
        });
        if (answer.status !== 200) return { ok: false, problem: `The app answered HTTP ${answer.status}` };
        const view = await slack.waitFor(() => {
          const published = slack.homeView(viewer.id);
          return published && published.publishCount > before ? published : undefined;
        });
        return { ok: true, blocks: view.blocks };
      } catch (error) {
        const outcome = failed(error);
        return { ok: false, problem: outcome.ok ? "" : outcome.problem };
      }
    },
    async choose({ messageTs, value }) {
      try {
        const answer = await send.choose({ channel: channel.id, messageTs, value, user: viewer });
        return answer.status === 200
          ? { ok: true }
          : { ok: false, problem: `The app answered HTTP ${answer.status}` };
      } catch (error) {
        return failed(error);
      }
    },
  };
}
