// Which signed Slack envelopes go on to Bolt, and which the HTTP guard answers itself: a pure function of the body as
// Bolt parsed it. Bolt routes by which keys a body has (event, command, name, actions, …) and reads their fields
// without checking them, so only shapes our listeners handle, and that Bolt reads without throwing, go on.
import { z } from "zod";

export type EnvelopeVerdict =
  /** a listener handles it: hand it to Bolt */
  | { action: "dispatch"; kind: "slash_command" | "block_actions" | "app_home_opened" | "view_submission" }
  /** Slack's URL check of the Events API: answered with the challenge */
  | { action: "url_verification" }
  /** answered at once: 200 for a well-formed envelope nobody listens to, 400 for one Slack would never send */
  | { action: "answer"; status: 200 | 400; reason: string; text?: string };

// Envelopes Slack sends that no listener of this app handles (no modals but the Resolve dialog's submission, no
// shortcuts, menus with external options, and no event but app_home_opened): a 200 at once is the answer Slack wants,
// instead of Bolt's 404 after 3 seconds.
const UNHANDLED_INTERACTIONS = new Set([
  "view_closed",
  "shortcut",
  "message_action",
  "block_suggestion",
  "interactive_message",
  "dialog_submission",
  "dialog_cancellation",
  "dialog_suggestion",
  "workflow_step_edit",
]);
const UNHANDLED_EVENTS_API = new Set(["event_callback", "app_rate_limited"]);

/** Keys that make Bolt route a body elsewhere (event → Events API, command → slash command, name → options), or
 *  switch the token it uses (function_data, bot_access_token): an envelope of another kind must not carry them. */
const ROUTING_KEYS = ["event", "command", "name", "function_data", "bot_access_token"] as const;

// Bolt reads `x.id` of these when they are not undefined: null or a string would be read too, an object is safe.
const idObject = z.looseObject({ id: z.string().optional() });

const blockActionsSchema = z.looseObject({
  type: z.literal("block_actions"),
  user: z.looseObject({ id: z.string().min(1), team_id: z.string().optional() }),
  team: idObject.nullable().optional(),
  enterprise: idObject.nullable().optional(),
  channel: idObject.optional(),
  container: z.looseObject({}).optional(),
  response_url: z.string().optional(),
  is_enterprise_install: z.boolean().optional(),
  actions: z
    .array(z.looseObject({ action_id: z.string(), type: z.string(), block_id: z.string().optional() }))
    .min(1),
});

// A modal's submission (the Resolve dialog): Bolt reads the view's id and callback_id, the user and the team.
const viewSubmissionSchema = z.looseObject({
  type: z.literal("view_submission"),
  user: z.looseObject({ id: z.string().min(1), team_id: z.string().optional() }),
  team: idObject.nullable().optional(),
  enterprise: idObject.nullable().optional(),
  is_enterprise_install: z.boolean().optional(),
  view: z.looseObject({
    id: z.string(),
    callback_id: z.string(),
    private_metadata: z.string(),
    state: z.looseObject({ values: z.looseObject({}) }),
  }),
});

const authorizationSchema = z.looseObject({
  team_id: z.string().nullable().optional(),
  enterprise_id: z.string().nullable().optional(),
  is_enterprise_install: z.boolean().optional(),
});

// The one event the app subscribes to (the Home tab). Bolt reads the event's channel, channel_id and item (`in` on a
// string throws), its user, and the envelope's team, enterprise and authorizations: each must have its real shape.
const appHomeOpenedSchema = z.looseObject({
  type: z.literal("event_callback"),
  team_id: z.string().optional(),
  enterprise_id: z.string().optional(),
  is_enterprise_install: z.boolean().optional(),
  authorizations: z.array(authorizationSchema).optional(),
  event: z.looseObject({
    type: z.literal("app_home_opened"),
    user: z.string().regex(/^[UW][A-Z0-9]{2,30}$/),
    channel: z.string().optional(),
    channel_id: z.undefined().optional(),
    item: z.undefined().optional(),
    tab: z.string().optional(),
    view: z.looseObject({}).optional(),
  }),
});

const slashCommandSchema = z.looseObject({
  command: z.string(),
  text: z.string(),
  user_id: z.string().min(1),
  channel_id: z.string().min(1),
  team_id: z.string().min(1),
  response_url: z.string().min(1),
  enterprise_id: z.string().optional(),
  is_enterprise_install: z.string().optional(),
});

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function carriesRoutingKey(
  body: Record<string, unknown>,
  allowed: (typeof ROUTING_KEYS)[number] | null,
): boolean {
  return ROUTING_KEYS.some((key) => key !== allowed && body[key] !== undefined);
}

const badRequest = (reason: string): EnvelopeVerdict => ({ action: "answer", status: 400, reason });

/**
 * What to do with a signed request's body, as `HTTPModuleFunctions.parseHTTPRequestBody` returned it.
 * `slashCommands`: the commands a listener is registered for.
 */
export function classifyEnvelope(body: unknown, slashCommands: readonly string[]): EnvelopeVerdict {
  if (!isPlainObject(body)) return badRequest("the body is not an object");

  if (body.command !== undefined) {
    if (carriesRoutingKey(body, "command"))
      return badRequest("a slash command with fields of another envelope");
    const command = slashCommandSchema.safeParse(body);
    if (!command.success) return badRequest("a slash command without its fields");
    if (!slashCommands.includes(command.data.command)) {
      return {
        action: "answer",
        status: 200,
        reason: "a slash command this app does not have",
        text: `This app only answers ${slashCommands.join(", ")}.`,
      };
    }
    return { action: "dispatch", kind: "slash_command" };
  }

  const type = body.type;
  if (typeof type !== "string") return badRequest("no type and no command");
  if (type === "block_actions") {
    if (carriesRoutingKey(body, null)) return badRequest("block_actions with fields of another envelope");
    return blockActionsSchema.safeParse(body).success
      ? { action: "dispatch", kind: "block_actions" }
      : badRequest("block_actions without a user or usable actions");
  }
  if (type === "view_submission") {
    if (carriesRoutingKey(body, null)) return badRequest("view_submission with fields of another envelope");
    return viewSubmissionSchema.safeParse(body).success
      ? { action: "dispatch", kind: "view_submission" }
      : badRequest("view_submission without a user or a usable view");
  }
  if (type === "url_verification") {
    return typeof body.challenge === "string"
      ? { action: "url_verification" }
      : badRequest("url_verification without a challenge");
  }
  if (type === "event_callback" && isPlainObject(body.event) && body.event.type === "app_home_opened") {
    if (carriesRoutingKey(body, "event"))
      return badRequest("app_home_opened with fields of another envelope");
    return appHomeOpenedSchema.safeParse(body).success
      ? { action: "dispatch", kind: "app_home_opened" }
      : badRequest("app_home_opened without a user or with fields of the wrong shape");
  }
  if (UNHANDLED_INTERACTIONS.has(type) || UNHANDLED_EVENTS_API.has(type)) {
    return { action: "answer", status: 200, reason: `${type}: no listener for it` };
  }
  return badRequest("an envelope type Slack does not send");
}
