// The Web API methods the fake answers, as functions from a call's arguments and the fake's state to Slack's answer.
import { MAX_BLOCKS_PER_VIEW, validateBlocks, validateMessageContent } from "./block-kit-limits.js";
import type { HomeViews } from "./home-views.js";
import { type MessageStore, toSlackMessageJson } from "./messages.js";
import type { Modals } from "./modals.js";
import type { Workspace } from "./workspace.js";

export interface ApiContext {
  store: MessageStore;
  workspace: Workspace;
  homeViews: HomeViews;
  modals: Modals;
  url: string;
  teamId: string;
  botUserId: string;
  botId: string;
}

export type ApiAnswer =
  | { ok: true; [key: string]: unknown }
  | { ok: false; error: string; response_metadata?: { messages: string[] } };

type Args = Record<string, unknown>;
type Method = (args: Args, ctx: ApiContext) => ApiAnswer;

function fail(error: string): ApiAnswer {
  return { ok: false, error };
}

/** A string argument; form bodies carry everything as strings, JSON bodies may carry numbers. */
function str(args: Args, key: string): string | undefined {
  const value = args[key];
  if (typeof value === "string" && value.length > 0) return value;
  if (typeof value === "number") return String(value);
  return undefined;
}

/** A boolean argument: true, "true" or "1" like Slack's form parsing. */
function flag(args: Args, key: string): boolean {
  const value = args[key];
  return value === true || value === "true" || value === "1" || value === 1;
}

function blocksArg(args: Args): unknown[] | undefined {
  const blocks = args.blocks;
  return Array.isArray(blocks) ? blocks : undefined;
}

function textArg(args: Args): string | undefined {
  return typeof args.text === "string" ? args.text : undefined;
}

function contentError(args: Args): string | null {
  if (args.blocks !== undefined && !Array.isArray(args.blocks)) return "invalid_blocks_format";
  return validateMessageContent({ text: args.text, blocks: args.blocks, attachments: args.attachments });
}

/** What chat.postMessage and chat.postEphemeral share: membership, content checks, then the stored message. */
function postAsBot(
  args: Args,
  ctx: ApiContext,
  channel: string,
  extra: { ephemeralFor?: string; broadcast?: boolean },
): ReturnType<MessageStore["post"]> | ApiAnswer {
  if (!ctx.workspace.channel(channel).isMember) return fail("not_in_channel");
  const error = contentError(args);
  if (error) return fail(error);
  // Slack accepts a thread_ts that matches no message (the reply is then shown nowhere); we store it the same way.
  const threadTs = str(args, "thread_ts");
  return ctx.store.post({
    channel,
    user: ctx.botUserId,
    text: textArg(args) ?? "",
    blocks: blocksArg(args) ?? [],
    via: "api",
    ...(extra.ephemeralFor !== undefined ? { ephemeralFor: extra.ephemeralFor } : {}),
    ...(threadTs !== undefined ? { threadTs } : {}),
    ...(threadTs !== undefined && extra.broadcast ? { broadcast: true } : {}),
  });
}

const postMessage: Method = (args, ctx) => {
  const channel = str(args, "channel");
  if (!channel) return fail("channel_not_found");
  const m = postAsBot(args, ctx, channel, { broadcast: flag(args, "reply_broadcast") });
  if ("ok" in m) return m;
  return { ok: true, channel, ts: m.ts, message: { ...toSlackMessageJson(m, ctx), team: ctx.teamId } };
};

const postEphemeral: Method = (args, ctx) => {
  const channel = str(args, "channel");
  if (!channel) return fail("channel_not_found");
  const user = str(args, "user");
  if (!user) return fail("user_not_found");
  const m = postAsBot(args, ctx, channel, { ephemeralFor: user });
  if ("ok" in m) return m;
  return { ok: true, message_ts: m.ts };
};

/** The message chat.update/chat.delete may touch: it exists, is not ephemeral, and the bot posted it. */
function ownMessage(args: Args, ctx: ApiContext, notOwned: string) {
  const channel = str(args, "channel");
  if (!channel) return fail("channel_not_found");
  const ts = str(args, "ts");
  const m = ts === undefined ? undefined : ctx.store.get(channel, ts);
  // Ephemeral messages cannot be changed through the API, only through their response_url.
  if (!m || m.ephemeralFor !== undefined) return fail("message_not_found");
  if (!ctx.workspace.channel(channel).isMember) return fail("not_in_channel");
  if (m.user !== ctx.botUserId) return fail(notOwned);
  return m;
}

const update: Method = (args, ctx) => {
  const m = ownMessage(args, ctx, "cant_update_message");
  if ("ok" in m) return m;
  // chat.update keeps the parts it is not given (blocks stay when only text changes).
  if (args.text === undefined && args.blocks === undefined && args.attachments === undefined)
    return fail("no_text");
  if (args.blocks !== undefined && !Array.isArray(args.blocks)) return fail("invalid_blocks_format");
  const error = validateMessageContent({
    text: args.text ?? m.text,
    blocks: args.blocks ?? m.blocks,
    attachments: args.attachments,
  });
  if (error) return fail(error);
  const text = textArg(args);
  const blocks = blocksArg(args);
  const updated = ctx.store.replace(m.channel, m.ts, {
    ...(text !== undefined ? { text } : {}),
    ...(blocks !== undefined ? { blocks } : {}),
  });
  if (!updated) return fail("message_not_found");
  return {
    ok: true,
    channel: m.channel,
    ts: m.ts,
    text: updated.text,
    message: toSlackMessageJson(updated, ctx),
  };
};

const remove: Method = (args, ctx) => {
  const m = ownMessage(args, ctx, "cant_delete_message");
  if ("ok" in m) return m;
  ctx.store.remove(m.channel, m.ts);
  return { ok: true, channel: m.channel, ts: m.ts };
};

const getPermalink: Method = (args, ctx) => {
  const channel = str(args, "channel");
  if (!channel) return fail("channel_not_found");
  const ts = str(args, "message_ts");
  const m = ts === undefined ? undefined : ctx.store.get(channel, ts);
  if (!m || m.ephemeralFor !== undefined) return fail("message_not_found");
  const thread = m.threadTs !== undefined ? `?thread_ts=${m.threadTs}&cid=${channel}` : "";
  return {
    ok: true,
    channel,
    permalink: `${ctx.url}/archives/${channel}/p${m.ts.replace(".", "")}${thread}`,
  };
};

const conversationsInfo: Method = (args, ctx) => {
  const id = str(args, "channel");
  if (!id) return fail("channel_not_found");
  const channel = ctx.workspace.channel(id);
  // A private channel the bot is not in is invisible to it.
  if (channel.isPrivate && !channel.isMember) return fail("channel_not_found");
  return {
    ok: true,
    channel: {
      id,
      name: channel.name,
      is_channel: !channel.isPrivate,
      is_group: false,
      is_im: false,
      is_member: channel.isMember,
      is_private: channel.isPrivate,
      is_archived: false,
      is_ext_shared: channel.isExtShared,
      is_shared: channel.isExtShared,
      context_team_id: ctx.teamId,
    },
  };
};

const usersInfo: Method = (args, ctx) => {
  const id = str(args, "user");
  if (!id) return fail("user_not_found");
  const user = ctx.workspace.user(id);
  return {
    ok: true,
    user: {
      id,
      team_id: user.teamId,
      name: user.name,
      real_name: user.name,
      deleted: false,
      is_bot: false,
      is_app_user: false,
      // Slack: tz is the IANA name, tz_offset the offset from UTC now in seconds.
      tz: user.timeZone,
      tz_label: user.timeZone,
      tz_offset: zoneOffsetSeconds(user.timeZone, Date.now()),
      profile: { display_name: user.name, real_name: user.name, team: user.teamId },
    },
  };
};

function zoneOffsetSeconds(timeZone: string, at: number): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    })
      .formatToParts(at)
      .map((part) => [part.type, Number(part.value)]),
  );
  const local = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return Math.round((local - Math.floor(at / 1000) * 1000) / 1000);
}

// Slack: usergroups.users.list answers the member ids of a user group (scope usergroups:read).
const userGroupMembers: Method = (args, ctx) => {
  const id = str(args, "usergroup");
  const members = id === undefined ? undefined : ctx.workspace.userGroup(id);
  if (!members) return fail("no_such_subteam");
  return { ok: true, users: members };
};

const authTest: Method = (_args, ctx) => ({
  ok: true,
  url: `${ctx.url}/`,
  team: "Fake Workspace",
  user: "workato-jobs",
  team_id: ctx.teamId,
  user_id: ctx.botUserId,
  bot_id: ctx.botId,
  is_enterprise_install: false,
});

function isRecord(value: unknown): value is Args {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * views.publish for the Home tab: a `home` view of at most 100 valid blocks for `user_id`. Slack answers
 * invalid_arguments for a view it refuses (its detail goes in response_metadata.messages, as Slack's does).
 */
const viewsPublish: Method = (args, ctx) => {
  const userId = str(args, "user_id");
  if (!userId) return fail("invalid_arguments");
  const view = args.view;
  if (!isRecord(view) || view.type !== "home") return fail("invalid_arguments");
  const blocks = view.blocks;
  const error = validateBlocks(blocks, { maxBlocks: MAX_BLOCKS_PER_VIEW, maxTotalTextLength: Infinity });
  if (error !== null || !Array.isArray(blocks)) {
    const count = Array.isArray(blocks) ? blocks.length : 0;
    const detail =
      count > MAX_BLOCKS_PER_VIEW
        ? `[ERROR] no more than ${MAX_BLOCKS_PER_VIEW} items allowed [json-pointer:/view/blocks]`
        : "[ERROR] invalid blocks [json-pointer:/view/blocks]";
    return { ok: false, error: "invalid_arguments", response_metadata: { messages: [detail] } };
  }
  const hash = str(args, "hash");
  const previous = ctx.homeViews.get(userId);
  if (hash !== undefined && previous !== undefined && previous.hash !== hash) return fail("hash_conflict");
  const published = ctx.homeViews.publish(userId, view, blocks);
  return {
    ok: true,
    view: {
      ...structuredClone(view),
      id: published.id,
      team_id: ctx.teamId,
      type: "home",
      blocks: structuredClone(blocks),
      hash: published.hash,
      app_id: "AFAKEAPP",
      bot_id: ctx.botId,
    },
  };
};

/** What Slack's trigger_ids look like: the fake checks the shape, and that each is used once. */
const TRIGGER_ID = /^\d+\.\d+\.[0-9a-f]+$/;

/**
 * views.open: a `modal` view with a title and at most 100 valid blocks, on a trigger_id (from a click or a command)
 * not used before. Slack answers invalid_trigger_id / exchanged_trigger_id otherwise.
 */
const viewsOpen: Method = (args, ctx) => {
  const triggerId = str(args, "trigger_id");
  if (!triggerId || !TRIGGER_ID.test(triggerId)) return fail("invalid_trigger_id");
  const view = args.view;
  if (!isRecord(view) || view.type !== "modal" || !isRecord(view.title)) return fail("invalid_arguments");
  const error = validateBlocks(view.blocks, { maxBlocks: MAX_BLOCKS_PER_VIEW, maxTotalTextLength: Infinity });
  if (error !== null) {
    return {
      ok: false,
      error: "invalid_arguments",
      response_metadata: { messages: [`[ERROR] ${error} [json-pointer:/view/blocks]`] },
    };
  }
  const opened = ctx.modals.open(triggerId, view);
  if (!opened) return fail("exchanged_trigger_id");
  return {
    ok: true,
    view: { ...structuredClone(view), id: opened.id, team_id: ctx.teamId, bot_id: ctx.botId },
  };
};

const METHODS: Record<string, Method> = {
  "auth.test": authTest,
  "chat.postMessage": postMessage,
  "chat.postEphemeral": postEphemeral,
  "chat.update": update,
  "chat.delete": remove,
  "chat.getPermalink": getPermalink,
  "conversations.info": conversationsInfo,
  "users.info": usersInfo,
  "usergroups.users.list": userGroupMembers,
  "views.publish": viewsPublish,
  "views.open": viewsOpen,
};

export function isKnownMethod(method: string): boolean {
  return Object.hasOwn(METHODS, method);
}

export function callMethod(method: string, args: Args, ctx: ApiContext): ApiAnswer {
  const handler = METHODS[method];
  return handler ? handler(args, ctx) : fail("unknown_method");
}
