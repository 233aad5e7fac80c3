// A fake Slack over real HTTP: the Web API under /api/<method> and response_urls under /response/<id>.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { validateBlocks } from "./block-kit-limits.js";
import { createHomeViews, type PublishedView } from "./home-views.js";
import { createMessageStore, type FakeMessage, type MessageChange } from "./messages.js";
import { createModals, type OpenedModal } from "./modals.js";
import { createSlackRateLimiter, type SlackRateLimiter, type SlackRateLimitOptions } from "./rate-limits.js";
import { BodyTooLargeError, parseApiRequest, readBody } from "./request-body.js";
import { createResponseUrls } from "./response-urls.js";
import { type WaitForOptions, waitFor } from "./wait-for.js";
import { type ApiContext, callMethod, isKnownMethod } from "./web-api.js";
import { createWorkspace, type FakeChannel } from "./workspace.js";

export interface SlackCall {
  method: string;
  /** Form or JSON body, `blocks`/`attachments`/`metadata` parsed back into objects, token removed. For
   *  method "response_url" the JSON body plus `response_url` (the URL that was called). */
  args: Record<string, unknown>;
  at: number;
  ok: boolean;
  error?: string;
}

export interface FakeSlackOptions {
  botToken?: string;
  teamId?: string;
  botUserId?: string;
  botId?: string;
  /**
   * Enforce Slack's rate limits on chat.postMessage (per channel), chat.update and chat.postEphemeral with real
   * HTTP 429s (Retry-After in seconds, body {ok:false,error:"ratelimited"}). Default off; true = Slack's defaults.
   */
  rateLimits?: boolean | SlackRateLimitOptions;
}

/** A failure to answer instead of the next call to a method (rate limits, Slack outages). */
export interface InjectedFailure {
  error: string;
  /** HTTP status; 429 also sets Retry-After, which @slack/web-api honours by waiting and retrying. */
  status?: number;
  retryAfterSeconds?: number;
  /** no answer at all: the connection is closed on the request, as by a Slack that cannot be reached */
  dropConnection?: boolean;
}

export interface FakeSlack {
  /** e.g. http://127.0.0.1:PORT */
  readonly url: string;
  /** `${url}/api/`, the app's slackApiUrl. */
  readonly apiUrl: string;
  readonly calls: SlackCall[];
  readonly botUserId: string;
  readonly botId: string;
  readonly teamId: string;
  /** A response_url bound to a channel and user (and, for clicks, the message clicked, so replace_original updates it). */
  createResponseUrl(opts: { channel: string; user: string; messageTs?: string; ephemeral?: boolean }): string;
  /** Top-level channel messages (not thread replies unless broadcast, not ephemerals), oldest first. */
  messages(channel: string): FakeMessage[];
  /** Replies in a thread, oldest first. */
  thread(channel: string, threadTs: string): FakeMessage[];
  /** Ephemeral messages seen by that user (via chat.postEphemeral or response_url). */
  ephemerals(channel: string, user: string): FakeMessage[];
  /** Any stored message by ts, including ephemeral ones. */
  message(channel: string, ts: string): FakeMessage | undefined;
  /** Seed a channel message (by default from the bot, so the app may update it) that a test can click on. */
  seedMessage(
    channel: string,
    m: { text: string; blocks?: unknown[]; user?: string; threadTs?: string },
  ): FakeMessage;
  /** Default: member of every channel; a non-member gets not_in_channel from chat.postMessage/postEphemeral/update. */
  setBotInChannel(channel: string, isMember: boolean): void;
  /** Name, privacy or Slack Connect status that conversations.info reports. */
  setChannelInfo(channel: string, info: { name?: string; isPrivate?: boolean; isExtShared?: boolean }): void;
  channelInfo(channel: string): FakeChannel;
  /** Members that usergroups.users.list reports for a user group (S…). */
  setUserGroup(groupId: string, members: string[]): void;
  /** The team users.info reports for a user (default: the fake's team), e.g. for Slack Connect guests. */
  setUserTeam(user: string, teamId: string): void;
  /** The time zone (IANA) users.info reports for a user; default UTC. */
  setUserTimeZone(user: string, timeZone: string): void;
  /** Turns rate limiting on (true or limits; buckets start full) or off (false) from now on. */
  enforceRateLimits(limits: boolean | SlackRateLimitOptions): void;
  /** How many calls the fake answered 429 ratelimited because of enforced limits (injected failures not counted). */
  rateLimitedCount(method?: string): number;
  /** The Home tab last published for a user through views.publish. */
  homeView(userId: string): PublishedView | undefined;
  /** Every modal opened through views.open, oldest first. */
  openedModals(): OpenedModal[];
  /** Answer the next call to `method` with this failure instead. */
  failNext(method: string, failure: InjectedFailure): void;
  /** Answer every call to `method` with this failure from now on, until called again with null (a Slack outage). */
  failWhile(method: string, failure: InjectedFailure | null): void;
  onChange(listener: (m: FakeMessage, kind: MessageChange) => void): () => void;
  /** Resolves with the first truthy probe result; rejects after timeoutMs (default 10 s) listing the recent calls. */
  waitFor<T>(probe: () => T | undefined | false, opts?: WaitForOptions): Promise<T>;
  close(): Promise<void>;
}

const JSON_HEADERS = { "content-type": "application/json; charset=utf-8" };

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { ...JSON_HEADERS, ...headers });
  res.end(JSON.stringify(body));
}

function describeCalls(calls: SlackCall[]): string {
  if (calls.length === 0) return "The fake Slack received no calls.";
  const recent = calls.slice(-10).map((c) => `  ${c.method} ${c.ok ? "ok" : `error=${c.error}`}`);
  return `Last ${recent.length} of ${calls.length} Slack calls:\n${recent.join("\n")}`;
}

export async function startFakeSlack(opts: FakeSlackOptions = {}): Promise<FakeSlack> {
  const botToken = opts.botToken ?? "xoxb-test-token";
  const teamId = opts.teamId ?? "T0TEAM";
  const botUserId = opts.botUserId ?? "UBOT";
  const botId = opts.botId ?? "BBOT";

  const calls: SlackCall[] = [];
  const store = createMessageStore();
  const workspace = createWorkspace(teamId);
  const responseUrls = createResponseUrls({ store, botUserId });
  const failures = new Map<string, InjectedFailure[]>();
  const outages = new Map<string, InjectedFailure>();
  const homeViews = createHomeViews();
  const modals = createModals();
  const limiterFor = (limits: boolean | SlackRateLimitOptions | undefined): SlackRateLimiter | null =>
    limits === undefined || limits === false ? null : createSlackRateLimiter(limits === true ? {} : limits);
  let rateLimiter = limiterFor(opts.rateLimits);
  const rateLimited = new Map<string, number>();
  let baseUrl = "";

  const record = (method: string, args: Record<string, unknown>, ok: boolean, error?: string) => {
    calls.push({ method, args, at: Date.now(), ok, ...(error !== undefined ? { error } : {}) });
  };

  const ctx = (): ApiContext => ({
    store,
    workspace,
    homeViews,
    modals,
    url: baseUrl,
    teamId,
    botUserId,
    botId,
  });

  async function handleApi(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    query: URLSearchParams,
  ) {
    const parsed = parseApiRequest({
      raw: await readBody(req),
      contentType: req.headers["content-type"],
      authorization: req.headers.authorization,
      query,
    });
    const injected = failures.get(method)?.shift() ?? outages.get(method);
    if (injected) {
      record(method, parsed.args, false, injected.error);
      if (injected.dropConnection) {
        req.socket.destroy();
        return;
      }
      const headers: Record<string, string> =
        injected.retryAfterSeconds !== undefined ? { "retry-after": String(injected.retryAfterSeconds) } : {};
      return send(res, injected.status ?? 200, { ok: false, error: injected.error }, headers);
    }
    const authorised = isKnownMethod(method) && parsed.token === botToken && parsed.error === undefined;
    const decision = authorised ? rateLimiter?.admit(method, parsed.args, performance.now()) : undefined;
    if (decision !== undefined && !decision.allowed) {
      record(method, parsed.args, false, "ratelimited");
      rateLimited.set(method, (rateLimited.get(method) ?? 0) + 1);
      return send(
        res,
        429,
        { ok: false, error: "ratelimited" },
        { "retry-after": String(decision.retryAfterSeconds) },
      );
    }
    const answer = !isKnownMethod(method)
      ? { ok: false as const, error: "unknown_method" }
      : parsed.token === undefined
        ? { ok: false as const, error: "not_authed" }
        : parsed.token !== botToken
          ? { ok: false as const, error: "invalid_auth" }
          : parsed.error !== undefined
            ? { ok: false as const, error: parsed.error }
            : callMethod(method, parsed.args, ctx());
    record(method, parsed.args, answer.ok, answer.ok ? undefined : answer.error);
    // Like Slack, HTTP 200 with ok:false for every API-level error.
    send(res, 200, answer);
  }

  async function handleResponseUrl(req: IncomingMessage, res: ServerResponse, id: string) {
    const outcome = responseUrls.handle(id, await readBody(req));
    record(
      "response_url",
      { ...outcome.args, response_url: `${baseUrl}/response/${id}` },
      outcome.answer.ok,
      outcome.answer.error,
    );
    send(res, outcome.status, outcome.answer);
  }

  async function route(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://fake-slack.invalid");
    const api = /^\/api\/([A-Za-z0-9_.]+)$/.exec(url.pathname);
    if (api?.[1] && (req.method === "POST" || req.method === "GET"))
      return handleApi(req, res, api[1], url.searchParams);
    const response = /^\/response\/([A-Za-z0-9_-]+)$/.exec(url.pathname);
    if (response?.[1] && req.method === "POST") return handleResponseUrl(req, res, response[1]);
    send(res, 404, { ok: false, error: "not_found" });
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      const tooLarge = error instanceof BodyTooLargeError;
      if (!res.headersSent)
        send(res, tooLarge ? 413 : 500, { ok: false, error: tooLarge ? "request_too_large" : "fatal_error" });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}`;

  return {
    url: baseUrl,
    apiUrl: `${baseUrl}/api/`,
    calls,
    botUserId,
    botId,
    teamId,
    createResponseUrl: (binding) => `${baseUrl}/response/${responseUrls.create(binding)}`,
    messages: (channel) => store.channelMessages(channel),
    thread: (channel, threadTs) => store.thread(channel, threadTs),
    ephemerals: (channel, user) => store.ephemerals(channel, user),
    message: (channel, ts) => store.get(channel, ts),
    seedMessage(channel, m) {
      const blocks = m.blocks ?? [];
      const error = validateBlocks(blocks);
      if (error) throw new Error(`seedMessage: Slack would refuse these blocks (${error})`);
      return store.post({
        channel,
        user: m.user ?? botUserId,
        text: m.text,
        blocks,
        via: "api",
        ...(m.threadTs !== undefined ? { threadTs: m.threadTs } : {}),
      });
    },
    setBotInChannel: (channel, isMember) => workspace.setChannel(channel, { isMember }),
    setChannelInfo: (channel, info) => workspace.setChannel(channel, info),
    channelInfo: (channel) => workspace.channel(channel),
    setUserTeam: (user, team) => workspace.setUser(user, { teamId: team }),
    setUserTimeZone: (user, timeZone) => workspace.setUser(user, { timeZone }),
    setUserGroup: (groupId, members) => workspace.setUserGroup(groupId, members),
    enforceRateLimits(limits) {
      rateLimiter = limiterFor(limits);
    },
    rateLimitedCount(method) {
      if (method !== undefined) return rateLimited.get(method) ?? 0;
      let total = 0;
      for (const count of rateLimited.values()) total += count;
      return total;
    },
    homeView: (userId) => homeViews.get(userId),
    openedModals: () => modals.all(),
    failNext(method, failure) {
      failures.set(method, [...(failures.get(method) ?? []), failure]);
    },
    failWhile(method, failure) {
      if (failure) outages.set(method, failure);
      else outages.delete(method);
    },
    onChange: (listener) => store.onChange(listener),
    waitFor: (probe, waitOpts) => waitFor(probe, waitOpts, () => describeCalls(calls)),
    async close() {
      await new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Keep-alive sockets from fetch would otherwise hold close() open.
        server.closeAllConnections();
      });
    },
  };
}
