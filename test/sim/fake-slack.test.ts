// The fake Slack and the signed-request helpers, exercised over real HTTP with Slack's own client and Bolt.
import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { App, isValidSlackRequest, LogLevel, verifySlackRequest } from "@slack/bolt";
import { type ChatPostMessageArguments, WebClient, LogLevel as WebLogLevel } from "@slack/web-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  blocksTextLength,
  type FakeMessage,
  type FakeSlack,
  listButtons,
  startFakeSlack,
  validateBlocks,
} from "../../sim/fake-slack/index.js";
import { createSlackRequester, signSlackRequest } from "../../sim/slack-requests.js";

const TOKEN = "xoxb-test-token";
const SECRET = "8f742231b10e8888abcd99yyyzzz85a5";

let fake: FakeSlack;
let client: WebClient;
let channelCounter = 0;
/** A fresh channel per test, so tests sharing the fake do not see each other's messages. */
const newChannel = () => `C${String(++channelCounter).padStart(6, "0")}`;

function section(text: string, blockId?: string) {
  return {
    type: "section" as const,
    text: { type: "mrkdwn" as const, text },
    ...(blockId ? { block_id: blockId } : {}),
  };
}

function button(text: string, actionId: string, extra: Record<string, unknown> = {}) {
  return {
    type: "button" as const,
    text: { type: "plain_text" as const, text },
    action_id: actionId,
    ...extra,
  };
}

async function slackError(call: Promise<unknown>): Promise<string | undefined> {
  try {
    await call;
    return undefined;
  } catch (error) {
    const data = (error as { data?: { error?: string } }).data;
    return data?.error;
  }
}

async function postJson(url: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

beforeAll(async () => {
  fake = await startFakeSlack();
  client = new WebClient(TOKEN, {
    slackApiUrl: fake.apiUrl,
    retryConfig: { retries: 0 },
    logLevel: WebLogLevel.ERROR,
  });
});

afterAll(async () => {
  await fake.close();
});

describe("fake Slack Web API through @slack/web-api", () => {
  it("stores posts, thread replies, updates, ephemerals and deletes the app makes with its real client", async () => {
    const channel = newChannel();
    const blocks = [
      section("*3 failed jobs*"),
      { type: "actions", elements: [button("Repeat", "repeat", { value: "j1" })] },
    ];

    const posted = await client.chat.postMessage({ channel, text: "3 failed jobs", blocks });
    expect(posted.ok).toBe(true);
    expect(posted.ts).toMatch(/^\d{10}\.\d{6}$/);
    const reply = await client.chat.postMessage({ channel, text: "details", thread_ts: posted.ts });
    await client.chat.update({ channel, ts: posted.ts as string, text: "updated" });
    const ephemeral = await client.chat.postEphemeral({ channel, user: "U1", text: "only for you" });

    expect(Number(reply.ts)).toBeGreaterThan(Number(posted.ts));
    expect(fake.messages(channel)).toHaveLength(1);
    const parent = fake.message(channel, posted.ts as string);
    expect(parent).toMatchObject({ text: "updated", replaceCount: 1, user: fake.botUserId, via: "api" });
    // chat.update keeps blocks it was not given, like Slack.
    expect(listButtons(parent as FakeMessage).map((b) => b.text)).toEqual(["Repeat"]);
    expect(fake.thread(channel, posted.ts as string).map((m) => m.text)).toEqual(["details"]);
    expect(fake.ephemerals(channel, "U1")).toMatchObject([{ text: "only for you", ephemeralFor: "U1" }]);
    expect(fake.message(channel, ephemeral.message_ts as string)?.ephemeralFor).toBe("U1");

    const call = fake.calls.find((c) => c.method === "chat.postMessage" && c.args.channel === channel);
    expect(call?.args.blocks).toEqual(blocks);
    expect(call?.args).not.toHaveProperty("token");

    await client.chat.delete({ channel, ts: reply.ts as string });
    expect(fake.thread(channel, posted.ts as string)).toEqual([]);
  });

  it("answers auth.test, conversations.info, users.info and chat.getPermalink like Slack", async () => {
    const channel = newChannel();
    fake.setChannelInfo(channel, { name: "ops-alerts", isExtShared: true });
    fake.setUserTeam("UGUEST", "T0OTHER");
    const { ts } = await client.chat.postMessage({ channel, text: "hello" });

    expect(await client.auth.test()).toMatchObject({
      ok: true,
      user_id: "UBOT",
      bot_id: "BBOT",
      team_id: "T0TEAM",
    });
    expect((await client.conversations.info({ channel })).channel).toMatchObject({
      id: channel,
      name: "ops-alerts",
      is_member: true,
      is_ext_shared: true,
    });
    expect((await client.users.info({ user: "UGUEST" })).user).toMatchObject({
      team_id: "T0OTHER",
      is_bot: false,
    });
    expect((await client.users.info({ user: "UHOME" })).user).toMatchObject({ team_id: "T0TEAM" });
    const link = await client.chat.getPermalink({ channel, message_ts: ts as string });
    expect(link.permalink).toBe(`${fake.url}/archives/${channel}/p${(ts as string).replace(".", "")}`);
    expect(await slackError(client.apiCall("chat.scheduleMessage", { channel }))).toBe("unknown_method");
  });

  it("refuses a wrong or missing token", async () => {
    const wrong = new WebClient("xoxb-wrong", {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 0 },
      logLevel: WebLogLevel.ERROR,
    });
    expect(await slackError(wrong.chat.postMessage({ channel: newChannel(), text: "x" }))).toBe(
      "invalid_auth",
    );
    const res = await fetch(`${fake.apiUrl}auth.test`, { method: "POST" });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("application/json");
    expect(await res.json()).toEqual({ ok: false, error: "not_authed" });
    expect(fake.calls.at(-1)).toMatchObject({ method: "auth.test", ok: false, error: "not_authed" });
  });

  it("accepts JSON bodies with a bearer token, and not with the token in the body", async () => {
    const channel = newChannel();
    const withHeader = await fetch(`${fake.apiUrl}chat.postMessage`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ channel, text: "json", blocks: [section("json")] }),
    });
    expect(await withHeader.json()).toMatchObject({ ok: true, channel });
    const inBody = await postJson(`${fake.apiUrl}chat.postMessage`, { token: TOKEN, channel, text: "json" });
    expect(inBody.json).toEqual({ ok: false, error: "not_authed" });
  });

  it("answers not_in_channel when the bot is not a member", async () => {
    const channel = newChannel();
    const { ts } = await client.chat.postMessage({ channel, text: "before" });
    fake.setBotInChannel(channel, false);
    expect(await slackError(client.chat.postMessage({ channel, text: "x" }))).toBe("not_in_channel");
    expect(await slackError(client.chat.update({ channel, ts: ts as string, text: "x" }))).toBe(
      "not_in_channel",
    );
    expect(await slackError(client.chat.postEphemeral({ channel, user: "U1", text: "x" }))).toBe(
      "not_in_channel",
    );
  });

  it("refuses to update a message someone else posted, or one that does not exist", async () => {
    const channel = newChannel();
    const human = fake.seedMessage(channel, { text: "from a human", user: "U1" });
    expect(await slackError(client.chat.update({ channel, ts: human.ts, text: "x" }))).toBe(
      "cant_update_message",
    );
    expect(await slackError(client.chat.update({ channel, ts: "1.000001", text: "x" }))).toBe(
      "message_not_found",
    );
  });

  it.each<[string, Partial<ChatPostMessageArguments> & Record<string, unknown>, string]>([
    ["51 blocks", { blocks: Array.from({ length: 51 }, () => ({ type: "divider" })) }, "invalid_blocks"],
    ["a 3,001-character section", { blocks: [section("x".repeat(3001))] }, "invalid_blocks"],
    [
      "12,001 characters of block text",
      { blocks: [...Array.from({ length: 4 }, () => section("x".repeat(3000))), section("x")] },
      "msg_blocks_too_long",
    ],
    ["40,001 characters of text", { text: "x".repeat(40_001) }, "msg_too_long"],
    ["neither text nor blocks", {}, "no_text"],
  ])("refuses a message with %s", async (_name, content, error) => {
    const channel = newChannel();
    const args = { channel, ...content } as ChatPostMessageArguments;
    expect(await slackError(client.chat.postMessage(args))).toBe(error);
    expect(fake.messages(channel)).toEqual([]);
    expect(fake.calls.at(-1)).toMatchObject({ method: "chat.postMessage", ok: false, error });
  });

  it("accepts a thread_ts that matches no message, as Slack does, keeping the reply out of the channel", async () => {
    const channel = newChannel();
    await client.chat.postMessage({ channel, text: "lost reply", thread_ts: "1700000000.000100" });
    expect(fake.messages(channel)).toEqual([]);
    expect(fake.thread(channel, "1700000000.000100")).toHaveLength(1);
  });

  it("answers an injected failure once, then behaves again", async () => {
    const channel = newChannel();
    fake.failNext("chat.postMessage", { error: "internal_error" });
    expect(await slackError(client.chat.postMessage({ channel, text: "x" }))).toBe("internal_error");
    expect((await client.chat.postMessage({ channel, text: "x" })).ok).toBe(true);
  });
});

describe("Block Kit limits", () => {
  const actions = (...elements: unknown[]) => ({ type: "actions", elements });
  const option = (text: string, value: string, extra: Record<string, unknown> = {}) => ({
    text: { type: "plain_text", text },
    value,
    ...extra,
  });
  const select = (extra: Record<string, unknown>) => ({ type: "static_select", action_id: "pick", ...extra });
  const options = (count: number) => Array.from({ length: count }, (_, i) => option(`Job ${i}`, `j-${i}`));

  it("accepts blocks within every limit", () => {
    const confirm = {
      title: { type: "plain_text", text: "Repeat 3 jobs?" },
      text: { type: "mrkdwn", text: "They run again in Workato." },
      confirm: { type: "plain_text", text: "Repeat" },
      deny: { type: "plain_text", text: "Cancel" },
    };
    const blocks = [
      { type: "header", text: { type: "plain_text", text: "h".repeat(150) } },
      { type: "section", fields: Array.from({ length: 10 }, () => ({ type: "mrkdwn", text: "f" })) },
      { type: "context", elements: Array.from({ length: 10 }, () => ({ type: "mrkdwn", text: "c" })) },
      actions(
        ...Array.from({ length: 25 }, (_, i) => button("b".repeat(75), `a${i}`, { value: "v".repeat(2000) })),
      ),
      actions(button("Repeat", "repeat", { confirm, style: "danger" })),
      { type: "divider" },
    ];
    expect(validateBlocks(blocks)).toBeNull();
  });

  it("accepts a static select at its limits: 100 options, 75-character texts, 150-character values", () => {
    const full = Array.from({ length: 100 }, (_, i) =>
      option(`${i}`.padEnd(75, "t"), `${i}`.padEnd(150, "v"), {
        description: { type: "plain_text", text: "d" },
      }),
    );
    const picked = option("Job 1", "j-1");
    const blocks = [
      {
        ...actions(
          select({ placeholder: { type: "plain_text", text: "p".repeat(150) }, options: full }),
          select({
            action_id: "grouped",
            initial_option: picked,
            option_groups: [
              { label: { type: "plain_text", text: "Failed" }, options: [option("Job 0", "j-0"), picked] },
            ],
          }),
        ),
        block_id: "b".repeat(255),
      },
      {
        type: "section",
        text: { type: "mrkdwn", text: "s" },
        accessory: select({ action_id: "a2", options: options(3) }),
      },
    ];
    expect(validateBlocks(blocks)).toBeNull();
  });

  it.each<[string, unknown[]]>([
    ["a static select with 101 options", [actions(select({ options: options(101) }))]],
    ["a static select with no options", [actions(select({ options: [] }))]],
    [
      "a static select with both options and option groups",
      [
        actions(
          select({
            options: options(1),
            option_groups: [{ label: { type: "plain_text", text: "g" }, options: options(1) }],
          }),
        ),
      ],
    ],
    ["a 76-character option text", [actions(select({ options: [option("t".repeat(76), "v")] }))]],
    ["a 151-character option value", [actions(select({ options: [option("t", "v".repeat(151))] }))]],
    [
      "a mrkdwn option text in a select",
      [actions(select({ options: [{ text: { type: "mrkdwn", text: "t" }, value: "v" }] }))],
    ],
    [
      "two options with the same value",
      [actions(select({ options: [option("a", "same"), option("b", "same")] }))],
    ],
    [
      "a 151-character placeholder",
      [actions(select({ options: options(1), placeholder: { type: "plain_text", text: "p".repeat(151) } }))],
    ],
    [
      "an initial option that is not among the options",
      [actions(select({ options: options(2), initial_option: option("Job 9", "j-9") }))],
    ],
    [
      "a select and a button sharing an action_id",
      [actions(select({ options: options(1) }), button("b", "pick"))],
    ],
  ])("refuses %s", (_name, blocks) => {
    expect(validateBlocks(blocks)).toBe("invalid_blocks");
  });

  it.each<[string, unknown[]]>([
    ["a 151-character header", [{ type: "header", text: { type: "plain_text", text: "h".repeat(151) } }]],
    [
      "11 section fields",
      [{ type: "section", fields: Array.from({ length: 11 }, () => ({ type: "mrkdwn", text: "f" })) }],
    ],
    ["a 2,001-character field", [{ type: "section", fields: [{ type: "mrkdwn", text: "f".repeat(2001) }] }]],
    [
      "11 context elements",
      [{ type: "context", elements: Array.from({ length: 11 }, () => ({ type: "mrkdwn", text: "c" })) }],
    ],
    ["26 actions elements", [actions(...Array.from({ length: 26 }, (_, i) => button("b", `a${i}`)))]],
    ["a 76-character button label", [actions(button("b".repeat(76), "a"))]],
    ["a 2,001-character button value", [actions(button("b", "a", { value: "v".repeat(2001) }))]],
    ["a 256-character action_id", [actions(button("b", "a".repeat(256)))]],
    ["a 3,001-character button url", [actions(button("b", "a", { url: `https://x/${"u".repeat(2992)}` }))]],
    ["a 256-character block_id", [section("s", "b".repeat(256))]],
    [
      "a 101-character confirm title",
      [
        actions(
          button("b", "a", {
            confirm: {
              title: { type: "plain_text", text: "t".repeat(101) },
              text: { type: "plain_text", text: "sure?" },
              confirm: { type: "plain_text", text: "Yes" },
              deny: { type: "plain_text", text: "No" },
            },
          }),
        ),
      ],
    ],
    ["duplicate action_ids in one message", [actions(button("a", "same")), actions(button("b", "same"))]],
    ["duplicate block_ids", [section("a", "same"), section("b", "same")]],
    ["an unknown block type", [{ type: "carousel" }]],
    ["an empty section text", [section("")]],
  ])("refuses %s", (_name, blocks) => {
    expect(validateBlocks(blocks)).toBe("invalid_blocks");
  });

  it("counts every text in the blocks toward the 12,000-character total", () => {
    expect(blocksTextLength([section("abc"), actions(button("Go", "go"))])).toBe(5);
    // A select's placeholder and option texts are texts too; option values are not.
    const picker = select({
      placeholder: { type: "plain_text", text: "Pick" },
      options: [option("Job", "j-1")],
    });
    expect(blocksTextLength([actions(picker)])).toBe(7);
  });
});

describe("response_url", () => {
  it("posts ephemeral by default and in the channel when asked", async () => {
    const channel = newChannel();
    const url = fake.createResponseUrl({ channel, user: "U1" });
    expect(await postJson(url, { text: "just you" })).toEqual({ status: 200, json: { ok: true } });
    expect(await postJson(url, { text: "everyone", response_type: "in_channel" })).toMatchObject({
      status: 200,
    });
    expect(fake.ephemerals(channel, "U1")).toMatchObject([{ text: "just you", via: "response_url" }]);
    expect(fake.messages(channel)).toMatchObject([
      { text: "everyone", via: "response_url", user: fake.botUserId },
    ]);
    expect(fake.calls.at(-1)).toMatchObject({
      method: "response_url",
      ok: true,
      args: { response_url: url },
    });
  });

  it("replaces and deletes the message it is bound to", async () => {
    const channel = newChannel();
    const clicked = fake.seedMessage(channel, { text: "alert", blocks: [section("alert")] });
    const url = fake.createResponseUrl({ channel, user: "U1", messageTs: clicked.ts });
    await postJson(url, { replace_original: true, text: "handled", blocks: [section("handled")] });
    expect(fake.message(channel, clicked.ts)).toMatchObject({ text: "handled", replaceCount: 1 });
    expect(fake.messages(channel)).toHaveLength(1);
    await postJson(url, { delete_original: true });
    expect(fake.message(channel, clicked.ts)).toBeUndefined();
  });

  it("lets a slash command's response_url replace the message it produced", async () => {
    const channel = newChannel();
    const url = fake.createResponseUrl({ channel, user: "U1" });
    await postJson(url, { text: "Working…" });
    await postJson(url, { replace_original: true, text: "Done" });
    expect(fake.ephemerals(channel, "U1")).toMatchObject([{ text: "Done", replaceCount: 1 }]);
  });

  it("works 5 times, then answers 404", async () => {
    const url = fake.createResponseUrl({ channel: newChannel(), user: "U1" });
    for (let i = 0; i < 5; i++) expect((await postJson(url, { text: `n${i}` })).status).toBe(200);
    expect(await postJson(url, { text: "sixth" })).toEqual({
      status: 404,
      json: { ok: false, error: "used_url" },
    });
  });

  it("answers 400 invalid_blocks for blocks Slack would refuse", async () => {
    const url = fake.createResponseUrl({ channel: newChannel(), user: "U1" });
    const res = await postJson(url, { blocks: [section("x".repeat(3001))] });
    expect(res).toEqual({ status: 400, json: { ok: false, error: "invalid_blocks" } });
    expect(fake.calls.at(-1)).toMatchObject({ method: "response_url", ok: false, error: "invalid_blocks" });
  });
});

describe("signSlackRequest", () => {
  const body = "token=x&team_id=T0TEAM&command=%2Fworkato-jobs&text=list";
  const timestamp = 1_732_800_000;

  it("matches an HMAC computed independently and Bolt's own verifier", () => {
    const expected = `v0=${createHmac("sha256", SECRET).update(`v0:${timestamp}:${body}`).digest("hex")}`;
    const headers = signSlackRequest(SECRET, body, timestamp);
    expect(headers).toEqual({
      "x-slack-signature": expected,
      "x-slack-request-timestamp": String(timestamp),
    });
    const verify = (rawBody: string) => ({
      signingSecret: SECRET,
      body: rawBody,
      headers: { "x-slack-signature": headers["x-slack-signature"], "x-slack-request-timestamp": timestamp },
      nowMilliseconds: timestamp * 1000,
    });
    expect(() => verifySlackRequest(verify(body))).not.toThrow();
    expect(isValidSlackRequest(verify(`${body}&tampered=1`))).toBe(false);
  });
});

describe("createSlackRequester", () => {
  let stub: Server;
  let stubUrl: string;
  const received: { headers: IncomingHttpHeaders; body: string; path: string }[] = [];

  beforeAll(async () => {
    stub = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks).toString(), path: req.url ?? "" });
        res.end("");
      });
    });
    await new Promise<void>((resolve) => stub.listen(0, "127.0.0.1", resolve));
    stubUrl = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => stub.close(resolve));
  });

  const lastSignedBody = () => {
    const last = received.at(-1);
    if (!last) throw new Error("the stub app received nothing");
    const signature = String(last.headers["x-slack-signature"]);
    const timestamp = Number(last.headers["x-slack-request-timestamp"]);
    expect(
      isValidSlackRequest({
        signingSecret: SECRET,
        body: last.body,
        headers: { "x-slack-signature": signature, "x-slack-request-timestamp": timestamp },
      }),
    ).toBe(true);
    return { ...last, form: new URLSearchParams(last.body) };
  };

  it("sends a signed slash command with exactly Slack's fields and a response_url bound to the fake", async () => {
    const requester = createSlackRequester({ appUrl: stubUrl, signingSecret: SECRET, fake });
    const channel = newChannel();
    const res = await requester.slashCommand({
      text: "list failed",
      user: { id: "U1", name: "ana" },
      channel,
    });
    expect(res.status).toBe(200);
    expect(res.ms).toBeGreaterThan(0);
    const { form, path, headers } = lastSignedBody();
    expect(path).toBe("/slack/events");
    expect(headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect([...form.keys()]).toEqual([
      "token",
      "team_id",
      "team_domain",
      "channel_id",
      "channel_name",
      "user_id",
      "user_name",
      "command",
      "text",
      "api_app_id",
      "is_enterprise_install",
      "response_url",
      "trigger_id",
    ]);
    expect(Object.fromEntries(form)).toMatchObject({
      team_id: "T0TEAM",
      channel_id: channel,
      user_id: "U1",
      user_name: "ana",
      command: "/workato-jobs",
      text: "list failed",
      is_enterprise_install: "false",
    });
    await postJson(form.get("response_url") as string, { text: "reply" });
    expect(fake.ephemerals(channel, "U1")).toMatchObject([{ text: "reply" }]);
  });

  it("sends a block_actions payload for a click, with retry headers when asked", async () => {
    const requester = createSlackRequester({ appUrl: stubUrl, signingSecret: SECRET, fake });
    const channel = newChannel();
    const confirm = {
      title: { type: "plain_text", text: "Sure?" },
      text: { type: "plain_text", text: "Really?" },
      confirm: { type: "plain_text", text: "Yes" },
      deny: { type: "plain_text", text: "No" },
    };
    const m = fake.seedMessage(channel, {
      text: "alert",
      blocks: [
        section("alert"),
        { type: "actions", elements: [button("Repeat", "repeat", { value: "j1", confirm })] },
      ],
    });
    const res = await requester.click(
      { channel, messageTs: m.ts, button: { text: "Repeat" }, user: { id: "U2" } },
      { retryNum: 1 },
    );
    expect(res.button.confirm).toEqual(confirm);
    const { form, headers } = lastSignedBody();
    expect(headers["x-slack-retry-num"]).toBe("1");
    const payload = JSON.parse(form.get("payload") as string);
    expect(payload).toMatchObject({
      type: "block_actions",
      user: { id: "U2", team_id: "T0TEAM" },
      container: { type: "message", message_ts: m.ts, channel_id: channel, is_ephemeral: false },
      channel: { id: channel },
      message: { ts: m.ts, text: "alert", user: fake.botUserId },
      actions: [
        { action_id: "repeat", value: "j1", type: "button", text: { type: "plain_text", text: "Repeat" } },
      ],
    });
    // Slack gives every block an id, and the click names the block it came from.
    expect(payload.actions[0].block_id).toBe(payload.message.blocks[1].block_id);
    expect(payload.response_url).toBe(res.responseUrl);
  });

  it("says which buttons exist when the one asked for is missing", async () => {
    const requester = createSlackRequester({ appUrl: stubUrl, signingSecret: SECRET, fake });
    const channel = newChannel();
    const m = fake.seedMessage(channel, {
      text: "x",
      blocks: [{ type: "actions", elements: [button("Repeat", "repeat")] }],
    });
    await expect(
      requester.click({ channel, messageTs: m.ts, button: { text: "Retry" }, user: { id: "U1" } }),
    ).rejects.toThrow(/"Repeat" \(action_id repeat/);
  });
});

describe("a real Bolt app against the fake", () => {
  let app: App;
  let requester: ReturnType<typeof createSlackRequester>;

  beforeAll(async () => {
    app = new App({
      token: TOKEN,
      signingSecret: SECRET,
      clientOptions: { slackApiUrl: fake.apiUrl },
      logLevel: LogLevel.ERROR,
    });
    app.command("/workato-jobs", async ({ ack, respond, command }) => {
      await ack();
      await respond({
        text: `jobs for ${command.text}`,
        blocks: [
          section(`jobs for ${command.text}`),
          { type: "actions" as const, elements: [button("Repeat", "repeat")] },
        ],
      });
    });
    app.action("repeat", async ({ ack, respond }) => {
      await ack();
      await respond({ replace_original: true, text: "Repeated", blocks: [section("Repeated")] });
    });
    const server = (await app.start(0)) as Server;
    const appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    requester = createSlackRequester({ appUrl, signingSecret: SECRET, fake });
  });

  afterAll(async () => {
    await app.stop();
  });

  it("answers a command through its response_url, and a click on that ephemeral replaces it", async () => {
    const channel = newChannel();
    const user = { id: "U9" };
    expect((await requester.slashCommand({ text: "acme", user, channel })).status).toBe(200);
    const [reply] = await fake.waitFor(() => {
      const list = fake.ephemerals(channel, "U9");
      return list.length > 0 && list;
    });
    expect(reply?.text).toBe("jobs for acme");

    const click = await requester.click({
      channel,
      messageTs: reply?.ts as string,
      button: { actionId: "repeat" },
      user,
    });
    expect(click.status).toBe(200);
    const replaced = await fake.waitFor(() => {
      const m = fake.message(channel, reply?.ts as string);
      return m?.replaceCount === 1 && m;
    });
    expect(replaced.text).toBe("Repeated");
  });

  it("is refused with 401 when stale, unsigned or tampered", async () => {
    const channel = newChannel();
    const user = { id: "U9" };
    const stale = Math.floor(Date.now() / 1000) - 6 * 60;
    expect(
      (await requester.slashCommand({ text: "x", user, channel }, { timestampSeconds: stale })).status,
    ).toBe(401);
    expect((await requester.slashCommand({ text: "x", user, channel }, { omitSignature: true })).status).toBe(
      401,
    );
    expect(
      (await requester.slashCommand({ text: "x", user, channel }, { signature: "v0=deadbeef" })).status,
    ).toBe(401);
  });
});

describe("waitFor and onChange", () => {
  it("resolves with the first truthy probe result once the app's message arrives", async () => {
    const channel = newChannel();
    const seen: string[] = [];
    const stop = fake.onChange((m, kind) => {
      if (m.channel === channel) seen.push(`${kind}:${m.text}`);
    });
    setTimeout(() => void client.chat.postMessage({ channel, text: "late" }), 30);
    const m = await fake.waitFor(() => fake.messages(channel)[0]);
    expect(m.text).toBe("late");
    stop();
    expect(seen).toEqual(["posted:late"]);
  });

  it("rejects with the last result and the recent calls on timeout", async () => {
    await expect(fake.waitFor(() => fake.messages("CNEVER")[0], { timeoutMs: 60 })).rejects.toThrow(
      /still not truthy after 60 ms[\s\S]*Slack calls:/,
    );
  });
});
