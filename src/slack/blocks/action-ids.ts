// The action ids of every button and select the app posts, the patterns handlers match them with, and the codecs
// for what they carry back: the JSON in a button's value, and the list context in a Details select's block_id.
import { z } from "zod";
import { SLACK_USER_ID } from "../../slack-ids.js";
import { JOB_STATUSES, type JobStatus } from "../../workato/job-status.js";
import { SLACK_LIMITS } from "./limits.js";

/** Action id prefixes. A posted element's action_id is `${prefix}:${n}`; see ActionIds. */
export const ACTIONS = {
  details: "job_details",
  /** the compact list's "Details of a job…" select: option value = job id, block_id = encodeListContext(…) */
  detailsSelect: "job_details_select",
  stepData: "step_data",
  repeatOne: "repeat_one",
  /** the private confirmation of /workato-jobs repeat: value {t: token} */
  confirmRepeat: "repeat_confirm",
  repeatFailed: "repeat_failed",
  older: "page_older",
  newer: "page_newer",
  /** a watch alert's "Mute 1h" / "Mute 24h": value = encodeMuteValue(…) */
  mute: "watch_mute",
  /** a muted alert's (or `watches`') "Unmute": value = encodeUnmuteValue(…) */
  unmute: "watch_unmute",
  /** a recipe-stopped alert's "Start recipe": value = encodeStartRecipeValue(…) */
  startRecipe: "recipe_start",
  /** a recovery's progress message: Stop; value {x: repeat id} (see recovery-blocks.ts) */
  stopRecovery: "recovery_stop",
  /** a recipe list's "List failed": value = encodeButtonValue({c, r, s: "failed"}) */
  recipeFailedJobs: "recipe_failed_jobs",
  /** a recipe list's "Watch": value = encodeButtonValue({c, r}) */
  recipeWatch: "recipe_watch",
  /** a recipe list's "Older recipes" / "Newer recipes": value = encodeRecipesPageValue(…) */
  recipesPage: "recipes_page",
  /** an alert's "I'm on it": value = encodeOnCallValue({w}) */
  takeAlert: "alert_take",
  /** the private "Bob has it" answer's "Take over": value = encodeOnCallValue({w, m, o}) */
  takeOverAlert: "alert_take_over",
  /** a taken alert's "Release": value = encodeOnCallValue({w}) */
  releaseAlert: "alert_release",
  /** an alert's "Resolve…" (opens the reason dialog): value = encodeOnCallValue({w}) */
  resolveAlert: "alert_resolve",
  /** a resolved alert's "Reopen": value = encodeOnCallValue({w}) */
  reopenAlert: "alert_reopen",
  /** a link button (Open in Workato, Runbook): Slack opens the URL and still sends the click, which is only acked */
  openLink: "open_link",
} as const;

export type ActionName = keyof typeof ACTIONS;
export type ActionPrefix = (typeof ACTIONS)[ActionName];

function patternFor(prefix: ActionPrefix): RegExp {
  return new RegExp(`^${prefix}(:\\d+)?$`);
}

/** For `app.action(ACTION_PATTERNS.details, …)`: matches the prefix alone or with its `:n` suffix. */
export const ACTION_PATTERNS: Readonly<Record<ActionName, RegExp>> = {
  details: patternFor(ACTIONS.details),
  detailsSelect: patternFor(ACTIONS.detailsSelect),
  stepData: patternFor(ACTIONS.stepData),
  repeatOne: patternFor(ACTIONS.repeatOne),
  confirmRepeat: patternFor(ACTIONS.confirmRepeat),
  repeatFailed: patternFor(ACTIONS.repeatFailed),
  older: patternFor(ACTIONS.older),
  newer: patternFor(ACTIONS.newer),
  mute: patternFor(ACTIONS.mute),
  unmute: patternFor(ACTIONS.unmute),
  startRecipe: patternFor(ACTIONS.startRecipe),
  stopRecovery: patternFor(ACTIONS.stopRecovery),
  recipeFailedJobs: patternFor(ACTIONS.recipeFailedJobs),
  recipeWatch: patternFor(ACTIONS.recipeWatch),
  recipesPage: patternFor(ACTIONS.recipesPage),
  takeAlert: patternFor(ACTIONS.takeAlert),
  takeOverAlert: patternFor(ACTIONS.takeOverAlert),
  releaseAlert: patternFor(ACTIONS.releaseAlert),
  resolveAlert: patternFor(ACTIONS.resolveAlert),
  reopenAlert: patternFor(ACTIONS.reopenAlert),
  openLink: patternFor(ACTIONS.openLink),
};

/** Which action a posted action_id belongs to, or null for one this app did not make. */
export function actionNameOf(actionId: string): ActionName | null {
  for (const name of Object.keys(ACTION_PATTERNS) as ActionName[]) {
    if (ACTION_PATTERNS[name].test(actionId)) return name;
  }
  return null;
}

export interface ActionIds {
  next(prefix: ActionPrefix): string;
}

/**
 * Numbers action ids within one message. Slack refuses a message in which two buttons share an action_id,
 * and a list shows many "Details" buttons, so each gets `${prefix}:${n}`.
 */
export function createActionIds(): ActionIds {
  let n = 0;
  return { next: (prefix) => `${prefix}:${n++}` };
}

// Short keys: the value travels in every button and Slack caps it at 2000 characters.
const buttonValueSchema = z.object({
  /** customer as displayed and parsed: "23456" or "ext:A2300" */
  c: z.string().min(1),
  /** recipe id */
  r: z.number().int().positive(),
  /** job ids (master ids for repeat buttons) */
  j: z.array(z.string().min(1)).min(1).optional(),
  /** paging: the job id to page from; the direction is the button's action (older / newer) */
  o: z.string().min(1).optional(),
  /** the list filter the page was made with, so paging keeps it */
  s: z.enum(JOB_STATUSES).optional(),
  rr: z.boolean().optional(),
  /** paging: the started_at of the job paged from (epoch seconds), so the page can say "older than 5:26 PM" */
  t: z.number().int().nonnegative().optional(),
  /** a repeat button whose dialog said the job was already repeated (succeeded or running): confirming meant it */
  a: z.literal(true).optional(),
  /** App Home: the watch whose alert the button acts for (a Home click has no channel or message of its own) */
  w: z.number().int().positive().optional(),
  /** App Home: that alert's error signature */
  g: z
    .string()
    .regex(/^[0-9a-f]{12}$/)
    .optional(),
});
export type ButtonValue = z.infer<typeof buttonValueSchema>;

export function encodeButtonValue(value: ButtonValue): string {
  return JSON.stringify(value);
}

/** Whether the encoded value fits in a button. */
export function fitsInButton(value: ButtonValue): boolean {
  return encodeButtonValue(value).length <= SLACK_LIMITS.buttonValue;
}

/** The value a button carried, or null for anything this app could not have posted. Never throws. */
export function decodeButtonValue(text: unknown): ButtonValue | null {
  if (typeof text !== "string" || text.length > SLACK_LIMITS.buttonValue) return null;
  return parseJsonAs(buttonValueSchema, text);
}

/** `text` parsed as JSON and checked against `schema`; null when either fails. Never throws. */
function parseJsonAs<T>(schema: z.ZodType<T>, text: string): T | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  const result = schema.safeParse(parsed);
  return result.success ? result.data : null;
}

/**
 * The value carrying as many of `jobIds` (in order) as fit in a button, and how many that is. A value that
 * cannot carry even one id gives `carried: 0`; the caller leaves that button out.
 */
export function encodeWithJobIds(
  base: Omit<ButtonValue, "j">,
  jobIds: readonly string[],
): { value: string; carried: number } {
  const all = encodeButtonValue({ ...base, j: [...jobIds] });
  if (all.length <= SLACK_LIMITS.buttonValue) return { value: all, carried: jobIds.length };
  let low = 0;
  let high = jobIds.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (fitsInButton({ ...base, j: jobIds.slice(0, middle) })) low = middle;
    else high = middle - 1;
  }
  return { value: encodeButtonValue({ ...base, j: jobIds.slice(0, low) }), carried: low };
}

/** Which recipe of which customer a list is about: what a Details select's option (a bare job id) leaves out. */
export interface ListContext {
  /** customer as displayed and parsed: "23456" or "ext:A2300" */
  c: string;
  /** recipe id */
  r: number;
}

const listContextSchema = buttonValueSchema.pick({ c: true, r: true }).strict();
// Marks a block_id as ours: Slack makes up short ids for blocks that have none, and those must never decode.
const LIST_CONTEXT_PREFIX = "list:";

/** The block_id carrying `context`, or null when it would be longer than Slack allows a block_id. */
export function encodeListContext(context: ListContext): string | null {
  const blockId = `${LIST_CONTEXT_PREFIX}${JSON.stringify({ c: context.c, r: context.r })}`;
  return blockId.length <= SLACK_LIMITS.blockId ? blockId : null;
}

/** The list context a block_id carried, or null for anything this app could not have posted. Never throws. */
export function decodeListContext(blockId: unknown): ListContext | null {
  if (typeof blockId !== "string" || blockId.length > SLACK_LIMITS.blockId) return null;
  if (!blockId.startsWith(LIST_CONTEXT_PREFIX)) return null;
  return parseJsonAs(listContextSchema, blockId.slice(LIST_CONTEXT_PREFIX.length));
}

/**
 * Which page of which filter a job list shows, carried by its counts line: a click on the list (a repeat started
 * from it) registers it as a view with this query, so it can be listed and drawn again (see slack/jobs/job-list-views.ts).
 */
export interface ListPage {
  /** status filter */
  s?: JobStatus;
  /** reruns only */
  rr?: true;
  /** the job the page was paged from, its start (ms), and whether the page is newer than it */
  o?: string;
  t?: number;
  n?: true;
}

const listPageSchema = z
  .object({
    s: z.enum(JOB_STATUSES).optional(),
    rr: z.literal(true).optional(),
    o: z.string().max(100).optional(),
    t: z.number().int().nonnegative().optional(),
    n: z.literal(true).optional(),
  })
  .strict();
const LIST_PAGE_PREFIX = "page:";

/** The counts line's block_id for `page`, or null when it would be longer than Slack allows a block_id. */
export function encodeListPage(page: ListPage): string | null {
  const blockId = `${LIST_PAGE_PREFIX}${JSON.stringify(page)}`;
  return blockId.length <= SLACK_LIMITS.blockId ? blockId : null;
}

/** The page a block_id carried, or null for anything else. Never throws. */
export function decodeListPage(blockId: unknown): ListPage | null {
  if (typeof blockId !== "string" || blockId.length > SLACK_LIMITS.blockId) return null;
  if (!blockId.startsWith(LIST_PAGE_PREFIX)) return null;
  return parseJsonAs(listPageSchema, blockId.slice(LIST_PAGE_PREFIX.length));
}

const confirmValueSchema = z.object({ t: z.string().regex(/^[0-9a-f]{24}$/) }).strict();

export function encodeConfirmValue(token: string): string {
  return JSON.stringify({ t: token });
}

/** The token a confirm button carried, or null. Never throws. */
export function decodeConfirmValue(text: unknown): string | null {
  if (typeof text !== "string" || text.length > SLACK_LIMITS.buttonValue) return null;
  return parseJsonAs(confirmValueSchema, text)?.t ?? null;
}

/** Which job a "Show step data" menu is about: its option values are bare step numbers. */
export interface JobContext extends ListContext {
  /** job id */
  j: string;
}

const jobContextSchema = z
  .object({ c: z.string().min(1), r: z.number().int().positive(), j: z.string().min(1) })
  .strict();
const JOB_CONTEXT_PREFIX = "job:";

/** The block_id carrying `context`, or null when it would be longer than Slack allows a block_id. */
export function encodeJobContext(context: JobContext): string | null {
  const blockId = `${JOB_CONTEXT_PREFIX}${JSON.stringify({ c: context.c, r: context.r, j: context.j })}`;
  return blockId.length <= SLACK_LIMITS.blockId ? blockId : null;
}

/** The job context a block_id carried, or null for anything this app could not have posted. Never throws. */
export function decodeJobContext(blockId: unknown): JobContext | null {
  if (typeof blockId !== "string" || blockId.length > SLACK_LIMITS.blockId) return null;
  if (!blockId.startsWith(JOB_CONTEXT_PREFIX)) return null;
  return parseJsonAs(jobContextSchema, blockId.slice(JOB_CONTEXT_PREFIX.length));
}

/** What a Mute button carries: which watch, which error signature ("*" for the whole watch), for how many hours. */
const muteValueSchema = z
  .object({
    w: z.number().int().positive(),
    s: z.string().regex(/^([0-9a-f]{12}|\*)$/),
    h: z
      .number()
      .int()
      .min(1)
      .max(24 * 7),
  })
  .strict();
export type MuteValue = z.infer<typeof muteValueSchema>;

export function encodeMuteValue(value: MuteValue): string {
  return JSON.stringify({ w: value.w, s: value.s, h: value.h });
}

/** The mute a button carried, or null for anything this app could not have posted. Never throws. */
export function decodeMuteValue(text: unknown): MuteValue | null {
  if (typeof text !== "string" || text.length > SLACK_LIMITS.buttonValue) return null;
  return parseJsonAs(muteValueSchema, text);
}

/** What an Unmute button carries: which watch, which error signature ("*" for the whole watch). */
const unmuteValueSchema = muteValueSchema.pick({ w: true, s: true }).strict();
export type UnmuteValue = z.infer<typeof unmuteValueSchema>;

export function encodeUnmuteValue(value: UnmuteValue): string {
  return JSON.stringify({ w: value.w, s: value.s });
}

/** The unmute a button carried, or null for anything this app could not have posted. Never throws. */
export function decodeUnmuteValue(text: unknown): UnmuteValue | null {
  if (typeof text !== "string" || text.length > SLACK_LIMITS.buttonValue) return null;
  return parseJsonAs(unmuteValueSchema, text);
}

/** What a Start recipe button carries: the watch (its channel, customer and recipe are checked in the store). */
const startRecipeValueSchema = z.object({ w: z.number().int().positive() }).strict();
export type StartRecipeValue = z.infer<typeof startRecipeValueSchema>;

export function encodeStartRecipeValue(value: StartRecipeValue): string {
  return JSON.stringify({ w: value.w });
}

export function decodeStartRecipeValue(text: unknown): StartRecipeValue | null {
  if (typeof text !== "string" || text.length > SLACK_LIMITS.buttonValue) return null;
  return parseJsonAs(startRecipeValueSchema, text);
}

/** What a recipe list's paging button carries: the customer, the page (from 1) and the list's filter. */
const recipesPageValueSchema = z
  .object({
    c: z.string().min(1),
    p: z.number().int().min(1).max(10_000),
    f: z.enum(["failing", "stopped"]).optional(),
  })
  .strict();
export type RecipesPageValue = z.infer<typeof recipesPageValueSchema>;

export function encodeRecipesPageValue(value: RecipesPageValue): string {
  return JSON.stringify({ c: value.c, p: value.p, ...(value.f ? { f: value.f } : {}) });
}

export function decodeRecipesPageValue(text: unknown): RecipesPageValue | null {
  if (typeof text !== "string" || text.length > SLACK_LIMITS.buttonValue) return null;
  return parseJsonAs(recipesPageValueSchema, text);
}

/**
 * What an on-call button of an alert carries: its watch; from a private answer (which has a ts of its own) also the
 * alert's ts (`m`) and, for Take over, who had it when the answer was drawn (`o`).
 */
const onCallValueSchema = z
  .object({
    w: z.number().int().positive(),
    m: z
      .string()
      .regex(/^\d{1,12}\.\d{1,8}$/)
      .optional(),
    o: z
      .string()
      .regex(new RegExp(`^${SLACK_USER_ID.source}$`))
      .optional(),
  })
  .strict();
export type OnCallValue = z.infer<typeof onCallValueSchema>;

export function encodeOnCallValue(value: OnCallValue): string {
  return JSON.stringify(value);
}

export function decodeOnCallValue(text: unknown): OnCallValue | null {
  if (typeof text !== "string" || text.length > SLACK_LIMITS.buttonValue) return null;
  return parseJsonAs(onCallValueSchema, text);
}

/** The Resolve dialog's callback_id; its private_metadata is encodeResolveMetadata(…). */
export const RESOLVE_VIEW_CALLBACK = "alert_resolve_view";

/** Which alert a Resolve dialog closes: its watch, channel and ts (the dialog has no message of its own). */
const resolveMetadataSchema = z
  .object({
    w: z.number().int().positive(),
    c: z.string().regex(/^[CGD][A-Z0-9]{2,20}$/),
    m: z.string().regex(/^\d{1,12}\.\d{1,8}$/),
  })
  .strict();
export type ResolveMetadata = z.infer<typeof resolveMetadataSchema>;

export function encodeResolveMetadata(value: ResolveMetadata): string {
  return JSON.stringify({ w: value.w, c: value.c, m: value.m });
}

export function decodeResolveMetadata(text: unknown): ResolveMetadata | null {
  if (typeof text !== "string" || text.length > 3000) return null;
  return parseJsonAs(resolveMetadataSchema, text);
}
