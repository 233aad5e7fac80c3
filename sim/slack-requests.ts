// Signs and sends to the app what Slack would: slash commands and button clicks, plus raw requests for negative tests.
import { createHmac, randomBytes } from "node:crypto";
import {
  type ButtonQuery,
  type FakeMessage,
  type FakeSlack,
  type FoundButton,
  findButton,
  type OpenedModal,
  toSlackMessageJson,
} from "./fake-slack/index.js";

/** Slack's legacy verification token field; Bolt ignores it when a signing secret is set, but Slack still sends it. */
const VERIFICATION_TOKEN = "fake-verification-token";
const DEFAULT_COMMAND = "/workato-jobs";
const DEFAULT_API_APP_ID = "A0WORKATOJOBS";

/** Slack's v0 signature: HMAC-SHA256 over `v0:${timestamp}:${rawBody}` with the app's signing secret. */
export function signSlackRequest(
  signingSecret: string,
  rawBody: string,
  timestampSeconds: number = Math.floor(Date.now() / 1000),
): { "x-slack-signature": string; "x-slack-request-timestamp": string } {
  const digest = createHmac("sha256", signingSecret)
    .update(`v0:${timestampSeconds}:${rawBody}`)
    .digest("hex");
  return { "x-slack-signature": `v0=${digest}`, "x-slack-request-timestamp": String(timestampSeconds) };
}

export interface SlackUser {
  id: string;
  /** Default: the fake's team. A different team also makes the fake's users.info report it (Slack Connect). */
  teamId?: string;
  name?: string;
}

export interface SlashCommandInput {
  text: string;
  user: SlackUser;
  channel: string;
  channelName?: string;
  command?: string;
  teamId?: string;
  responseUrl?: string;
  isEnterpriseInstall?: boolean;
}

export interface AppResponse {
  status: number;
  body: string;
  ms: number;
}

export interface ClickResponse extends AppResponse {
  /** The button that was clicked, e.g. to assert it carried a confirm dialog. */
  button: FoundButton;
  /** The response_url sent with the click, bound to the clicked message. */
  responseUrl: string;
}

export interface SendOptions {
  timestampSeconds?: number;
  retryNum?: number;
}

export interface SlackRequester {
  /** POSTs a signed slash command with exactly Slack's form fields to `${appUrl}/slack/events`. Creates a response_url
   *  on the fake bound to channel+user unless given. */
  slashCommand(
    input: SlashCommandInput,
    opts?: { timestampSeconds?: number; signature?: string; omitSignature?: boolean },
  ): Promise<AppResponse>;
  /** Clicks a button (by visible text, action_id and/or index) in a stored message, as `user`, like Slack does after
   *  any confirm dialog was accepted. Throws, listing the buttons present, when there is no such button. */
  click(
    input: { channel: string; messageTs: string; button: ButtonQuery; user: SlackUser },
    opts?: SendOptions,
  ): Promise<ClickResponse>;
  /** Clicks a button of the Home tab last published for `user`, as Slack sends it: the view as container, and no
   *  channel, message or response_url. Throws, listing the buttons present, when there is no such button. */
  clickHome(input: { user: SlackUser; button: ButtonQuery }, opts?: SendOptions): Promise<ClickResponse>;
  /** Picks an option (by value) of a static select in a stored message, as `user`. */
  choose(
    input: { channel: string; messageTs: string; value: string; user: SlackUser },
    opts?: SendOptions,
  ): Promise<AppResponse>;
  /** Builds and signs a slash command now, to send later: load tests fire many without signing in the burst. */
  prepareSlashCommand(
    input: SlashCommandInput,
    opts?: { timestampSeconds?: number; signature?: string; omitSignature?: boolean },
  ): () => Promise<AppResponse>;
  /** Raw: send any body with any headers (for unsigned / stale / tampered tests). */
  raw(body: string, headers: Record<string, string>): Promise<AppResponse>;
  /**
   * Submits a modal the app opened, as `user`, with what they entered: `values[block_id][action_id]` as Slack's
   * view.state.values has it, e.g. { reason: { choice: { type: "radio_buttons", selected_option: {…} } } }.
   */
  submitView(
    input: { modal: OpenedModal; user: SlackUser; values: Record<string, Record<string, unknown>> },
    opts?: SendOptions,
  ): Promise<AppResponse>;
  /** Sends a block_actions payload you built yourself, signed. */
  blockAction(payload: Record<string, unknown>, opts?: SendOptions): Promise<AppResponse>;
  /** Sends, signed as Slack would, an action that no stored button need carry: tampered values, made-up action ids,
   *  someone else's token. Slack's envelope (user, channel, container, response_url) is filled in. */
  forgedAction(
    input: {
      channel: string;
      messageTs: string;
      user: SlackUser;
      ephemeral?: boolean;
      action: Record<string, unknown>;
    },
    opts?: SendOptions,
  ): Promise<AppResponse>;
}

function randomDigits(length: number): string {
  return Array.from(randomBytes(length), (byte) => String(byte % 10)).join("");
}

/** Looks like Slack's trigger_id; the app only passes it back to views.open, where the fake checks its shape. */
function triggerId(): string {
  return `${randomDigits(10)}.${randomDigits(12)}.${randomBytes(16).toString("hex")}`;
}

function actionTs(): string {
  return `${Math.floor(Date.now() / 1000)}.${randomDigits(6)}`;
}

function retryHeaders(retryNum: number | undefined): Record<string, string> {
  // What Slack adds when it redelivers a request the app did not acknowledge in time.
  return retryNum === undefined
    ? {}
    : { "x-slack-retry-num": String(retryNum), "x-slack-retry-reason": "http_timeout" };
}

function teamDomain(teamId: string): string {
  return `team-${teamId.toLowerCase()}`;
}

export function createSlackRequester(opts: {
  appUrl: string;
  signingSecret: string;
  fake: FakeSlack;
  apiAppId?: string;
}): SlackRequester {
  const { fake, signingSecret } = opts;
  const apiAppId = opts.apiAppId ?? DEFAULT_API_APP_ID;
  const eventsUrl = `${opts.appUrl.replace(/\/$/, "")}/slack/events`;

  async function post(body: string, headers: Record<string, string>): Promise<AppResponse> {
    const started = performance.now();
    const res = await fetch(eventsUrl, { method: "POST", headers, body });
    const text = await res.text();
    return { status: res.status, body: text, ms: performance.now() - started };
  }

  function signedForm(body: string, timestampSeconds: number | undefined): Record<string, string> {
    return {
      "content-type": "application/x-www-form-urlencoded",
      ...signSlackRequest(signingSecret, body, timestampSeconds),
    };
  }

  /** The user as Slack sees them; a foreign team is also registered on the fake so users.info agrees. */
  function resolveUser(user: SlackUser): { id: string; teamId: string; name: string } {
    if (user.teamId !== undefined && user.teamId !== fake.teamId) fake.setUserTeam(user.id, user.teamId);
    return { id: user.id, teamId: user.teamId ?? fake.teamId, name: user.name ?? user.id.toLowerCase() };
  }

  function visibleMessage(verb: string, channel: string, messageTs: string, who: SlackUser): FakeMessage {
    const message = fake.message(channel, messageTs);
    if (!message) {
      const present = fake.messages(channel).map((m) => m.ts);
      throw new Error(
        `${verb}: no message ${messageTs} in ${channel}. Channel messages present: ${present.join(", ") || "none"}`,
      );
    }
    if (message.ephemeralFor !== undefined && message.ephemeralFor !== who.id) {
      throw new Error(
        `${verb}: message ${message.ts} is ephemeral for ${message.ephemeralFor}; ${who.id} cannot see it`,
      );
    }
    return message;
  }

  /** What every block_actions payload starts with: who clicked, in which message, and the app's own ids. */
  function blockActionsHead(
    user: ReturnType<typeof resolveUser>,
    channel: string,
    messageTs: string,
    isEphemeral: boolean,
  ): Record<string, unknown> {
    return {
      type: "block_actions",
      user: { id: user.id, username: user.name, name: user.name, team_id: user.teamId },
      api_app_id: apiAppId,
      token: VERIFICATION_TOKEN,
      container: { type: "message", message_ts: messageTs, channel_id: channel, is_ephemeral: isEphemeral },
      trigger_id: triggerId(),
      team: { id: user.teamId, domain: teamDomain(user.teamId) },
    };
  }

  /** The block_actions payload Slack sends for one action on a stored message, with a fresh response_url. */
  function interaction(
    message: FakeMessage,
    who: SlackUser,
    action: Record<string, unknown>,
  ): { payload: Record<string, unknown>; responseUrl: string } {
    const user = resolveUser(who);
    const isEphemeral = message.ephemeralFor !== undefined;
    const responseUrl = fake.createResponseUrl({
      channel: message.channel,
      user: user.id,
      messageTs: message.ts,
      ephemeral: isEphemeral,
    });
    const payload: Record<string, unknown> = {
      ...blockActionsHead(user, message.channel, message.ts, isEphemeral),
      enterprise: null,
      is_enterprise_install: false,
      channel: { id: message.channel, name: fake.channelInfo(message.channel).name },
      // Slack leaves the message out when the clicked message was ephemeral.
      ...(isEphemeral ? {} : { message: toSlackMessageJson(message, fake) }),
      state: { values: {} },
      response_url: responseUrl,
      actions: [action],
    };
    return { payload, responseUrl };
  }

  function prepareSlashCommand(
    input: SlashCommandInput,
    sendOpts: { timestampSeconds?: number; signature?: string; omitSignature?: boolean },
  ): { body: string; headers: Record<string, string> } {
    const user = resolveUser(input.user);
    const teamId = input.teamId ?? user.teamId;
    const body = new URLSearchParams({
      token: VERIFICATION_TOKEN,
      team_id: teamId,
      team_domain: teamDomain(teamId),
      channel_id: input.channel,
      channel_name: input.channelName ?? fake.channelInfo(input.channel).name,
      user_id: user.id,
      user_name: user.name,
      command: input.command ?? DEFAULT_COMMAND,
      text: input.text,
      api_app_id: apiAppId,
      is_enterprise_install: String(input.isEnterpriseInstall ?? false),
      response_url: input.responseUrl ?? fake.createResponseUrl({ channel: input.channel, user: user.id }),
      trigger_id: triggerId(),
    }).toString();
    const headers: Record<string, string> = signedForm(body, sendOpts.timestampSeconds);
    if (sendOpts.signature !== undefined) headers["x-slack-signature"] = sendOpts.signature;
    if (sendOpts.omitSignature) {
      delete headers["x-slack-signature"];
      delete headers["x-slack-request-timestamp"];
    }
    return { body, headers };
  }

  function sendPayload(payload: Record<string, unknown>, sendOpts: SendOptions = {}): Promise<AppResponse> {
    const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
    return post(body, { ...signedForm(body, sendOpts.timestampSeconds), ...retryHeaders(sendOpts.retryNum) });
  }

  return {
    slashCommand(input, sendOpts = {}) {
      const prepared = prepareSlashCommand(input, sendOpts);
      return post(prepared.body, prepared.headers);
    },

    prepareSlashCommand(input, sendOpts = {}) {
      const prepared = prepareSlashCommand(input, sendOpts);
      return () => post(prepared.body, prepared.headers);
    },

    async click(input, sendOpts = {}) {
      const message = visibleMessage("click", input.channel, input.messageTs, input.user);
      const button = findButton(message, input.button);
      const { payload, responseUrl } = interaction(message, input.user, {
        action_id: button.actionId,
        block_id: button.blockId,
        text: button.element.text,
        ...(button.value !== undefined ? { value: button.value } : {}),
        ...(button.style !== undefined ? { style: button.style } : {}),
        type: "button",
        action_ts: actionTs(),
      });
      const response = await sendPayload(payload, sendOpts);
      return { ...response, button, responseUrl };
    },

    async clickHome(input, sendOpts = {}) {
      const user = resolveUser(input.user);
      const published = fake.homeView(user.id);
      if (!published) throw new Error(`clickHome: no Home view published for ${user.id}`);
      const button = findButton({ blocks: published.blocks, ts: `home of ${user.id}` }, input.button);
      const payload: Record<string, unknown> = {
        type: "block_actions",
        user: { id: user.id, username: user.name, name: user.name, team_id: user.teamId },
        api_app_id: apiAppId,
        token: VERIFICATION_TOKEN,
        container: { type: "view", view_id: published.id },
        trigger_id: triggerId(),
        team: { id: user.teamId, domain: teamDomain(user.teamId) },
        enterprise: null,
        is_enterprise_install: false,
        view: { ...published.view, id: published.id, type: "home", hash: published.hash },
        actions: [
          {
            action_id: button.actionId,
            block_id: button.blockId,
            text: button.element.text,
            ...(button.value !== undefined ? { value: button.value } : {}),
            type: "button",
            action_ts: actionTs(),
          },
        ],
      };
      const response = await sendPayload(payload, sendOpts);
      return { ...response, button, responseUrl: "" };
    },

    async choose(input, sendOpts = {}) {
      const message = visibleMessage("choose", input.channel, input.messageTs, input.user);
      for (const block of message.blocks as Record<string, unknown>[]) {
        const elements = block.type === "actions" && Array.isArray(block.elements) ? block.elements : [];
        for (const element of elements as Record<string, unknown>[]) {
          if (element.type !== "static_select" || !Array.isArray(element.options)) continue;
          const option = (element.options as { value?: unknown }[]).find((o) => o.value === input.value);
          if (!option) continue;
          const { payload } = interaction(message, input.user, {
            action_id: element.action_id,
            block_id: block.block_id,
            type: "static_select",
            selected_option: option,
            action_ts: actionTs(),
          });
          return sendPayload(payload, sendOpts);
        }
      }
      throw new Error(`choose: no select with an option ${input.value} in message ${message.ts}`);
    },

    raw(body, headers) {
      return post(body, headers);
    },

    forgedAction(input, sendOpts) {
      const user = resolveUser(input.user);
      const ephemeral = input.ephemeral ?? false;
      const message = ephemeral ? undefined : fake.message(input.channel, input.messageTs);
      return sendPayload(
        {
          ...blockActionsHead(user, input.channel, input.messageTs, ephemeral),
          channel: { id: input.channel, name: fake.channelInfo(input.channel).name },
          ...(message ? { message: toSlackMessageJson(message, fake) } : {}),
          response_url: fake.createResponseUrl({ channel: input.channel, user: user.id }),
          actions: [{ action_ts: actionTs(), ...input.action }],
        },
        sendOpts,
      );
    },

    submitView(input, sendOpts) {
      const user = resolveUser(input.user);
      const { view } = input.modal;
      return sendPayload(
        {
          type: "view_submission",
          team: { id: user.teamId, domain: teamDomain(user.teamId) },
          user: { id: user.id, username: user.name, name: user.name, team_id: user.teamId },
          api_app_id: apiAppId,
          token: VERIFICATION_TOKEN,
          trigger_id: triggerId(),
          view: {
            ...view,
            id: input.modal.id,
            team_id: user.teamId,
            state: { values: input.values },
            hash: `${Math.floor(Date.now() / 1000)}.${randomDigits(8)}`,
            previous_view_id: null,
            root_view_id: input.modal.id,
            app_id: apiAppId,
            bot_id: fake.botId,
          },
          response_urls: [],
          is_enterprise_install: false,
          enterprise: null,
        },
        sendOpts,
      );
    },

    blockAction(payload, sendOpts) {
      return sendPayload(payload, sendOpts);
    },
  };
}
