// Watch alerts: the top-level alert (one section per error signature, with Details, Repeat N failed and Mute buttons),
// the same alert redrawn with its counts so far, the follow-up reply in its thread, the note a Mute click leaves, and
// the notice that a watch stopped.
//
// Design: one top-level message per watch per poll. Each signature in it gets three blocks — the error's first line
// with the job ids, a context line with the counts (block_id `watch_count:<signature>`, redrawn in place as more
// failures of that kind arrive in the thread, or get repeated) and its buttons (block_id `watch_actions:<signature>`)
// — so muting or repeating one kind of error leaves the others as they are. Later failures of a kind already alerted
// go to the alert's thread: one reply per thread per poll. The headline and each "Repeat N failed" count what is
// still to handle (lineage); an alert whose every job was repeated and succeeded says so and loses its Repeat button.
import type { Button, KnownBlock } from "@slack/types";
import { CANNOT_REPEAT_WHYS } from "../../lineage/lineage.js";
import { isSlackUserId, safeMentions } from "../../slack-ids.js";
import { isResolvedByHand, NOBODY_ON_IT } from "../../watch/alert-on-call.js";
import {
  type AlertMessage,
  type AlertMessageGroup,
  type FailedJob,
  type FollowUp,
  type HandledJobs,
  isResolved,
  oldestMasterStart,
  outstandingCount,
} from "../../watch/alert-sink.js";
import type { WorkatoLinks } from "../../workato/workato-links.js";
import {
  ACTIONS,
  type ActionIds,
  createActionIds,
  encodeMuteValue,
  encodeUnmuteValue,
} from "./action-ids.js";
import { followUpOnCallLine, onCallBlocks } from "./alert-on-call-blocks.js";
import { actions, button, context, type SlackMessage, section } from "./elements.js";
import { countOf, customerText, escapeMrkdwn, escapeTruncated, inlineCode, slackDateOfMs } from "./format.js";
import { detailsButton, type RecipeInWorkspace, recipeLabel, repeatFailedButton } from "./job-buttons.js";
import { fitsInOneMessage, NOTE_RESERVE, SLACK_LIMITS } from "./limits.js";
import { cannotRepeatWords } from "./lineage-words.js";
import { alertLinkButtons } from "./link-buttons.js";
import { jobIdList } from "./repeat-blocks.js";

export const MUTE_HOURS = [1, 24] as const;

const FIRST_LINE_MAX = 300;
const JOB_IDS_MAX = 600;
export const COUNT_BLOCK_PREFIX = "watch_count:";
const ACTIONS_BLOCK_PREFIX = "watch_actions:";
/**
 * Room every alert keeps free: its closing lines (a block for kinds left out, the notes), and the notes later clicks
 * add (a repeat's note; a mute note on each count line).
 */
const ALERT_RESERVE = { blocks: NOTE_RESERVE.blocks + 2, text: NOTE_RESERVE.text + 2000 };

export { safeMentions } from "../../slack-ids.js";

export function where(message: Pick<AlertMessage, "target">): RecipeInWorkspace {
  const { target } = message;
  return {
    customer: target.customer,
    recipeId: target.watch.recipeId,
    recipeName: target.recipeName,
    customerName: target.customerName ?? null,
  };
}

export function recipeAndCustomer(recipe: RecipeInWorkspace): string {
  const name = escapeTruncated(recipeLabel(recipe.recipeName, recipe.recipeId), 150);
  const customer = recipe.customerName?.trim()
    ? escapeTruncated(recipe.customerName, 100)
    : `customer ${inlineCode(recipe.customer.display)}`;
  return `*${name}* (${inlineCode(String(recipe.recipeId))}) for ${customer}`;
}

function firstLineText(firstLine: string): string {
  return escapeTruncated(firstLine, FIRST_LINE_MAX);
}

function failureLines(jobs: readonly FailedJob[]): string {
  return jobIdList(
    jobs.map((job) => job.id),
    JOB_IDS_MAX,
  );
}

function masterIds(jobs: readonly FailedJob[]): string[] {
  return [...new Set(jobs.map((job) => job.masterJobId))];
}

export function countBlockId(signature: string): string {
  return `${COUNT_BLOCK_PREFIX}${signature}`;
}

export function actionsBlockId(signature: string): string {
  return `${ACTIONS_BLOCK_PREFIX}${signature}`;
}

export function muteButtons(ids: ActionIds, watchId: number, signature: string): Button[] {
  return MUTE_HOURS.map((hours) =>
    button(ids.next(ACTIONS.mute), `Mute ${hours}h`, encodeMuteValue({ w: watchId, s: signature, h: hours })),
  );
}

export function unmuteButton(ids: ActionIds, watchId: number, signature: string): Button {
  return button(ids.next(ACTIONS.unmute), "Unmute", encodeUnmuteValue({ w: watchId, s: signature }));
}

/**
 * Details of the newest failure, and Repeat N failed for exactly `toRepeat` (none: no Repeat button), carrying the
 * oldest of their masters' starts so the click's re-check of a busy recipe's repeats knows how far back to read.
 */
function jobButtons(
  ids: ActionIds,
  recipe: RecipeInWorkspace,
  jobs: readonly FailedJob[],
  toRepeat: readonly FailedJob[] = jobs,
): Button[] {
  const newest = jobs[0];
  const details = newest ? detailsButton(ids, recipe, newest.id) : null;
  const oldestStart = oldestMasterStart(toRepeat, [...toRepeat, ...jobs]);
  const repeat = repeatFailedButton(ids, recipe, masterIds(toRepeat), undefined, oldestStart);
  return [details, repeat?.button ?? null].filter((element): element is Button => element !== null);
}

/** "repeated by @alex and @sam", "repeated in Workato", "repeated by @alex and in Workato". */
export function repeatedByWords(handled: HandledJobs): string {
  const people = handled.repeatedBy.filter(isSlackUserId).map((userId) => `<@${userId}>`);
  const parts = [
    ...(people.length > 0
      ? [`by ${people.slice(0, 5).join(", ")}${people.length > 5 ? " and others" : ""}`]
      : []),
    ...(handled.inWorkato || people.length === 0 ? ["in Workato"] : []),
  ];
  return `repeated ${parts.join(" and ")}`;
}

function handledWords(group: AlertMessageGroup): string | null {
  if (isResolved(group))
    return `:white_check_mark: *resolved* — ${repeatedByWords(group.handled)}, all succeeded`;
  const parts = [
    ...(group.handled.succeeded > 0 ? [`${countOf(group.handled.succeeded, "repeat")} succeeded`] : []),
    ...(group.handled.running > 0
      ? [`:hourglass_flowing_sand: ${countOf(group.handled.running, "repeat")} running`]
      : []),
  ];
  const beyond = cannotRepeatWordsOf(group.handled);
  if (parts.length === 0 && beyond === null) return null;
  const repeated = parts.length > 0 ? `${parts.join(", ")} (${repeatedByWords(group.handled)}) · ` : "";
  return `${repeated}${beyond === null ? "" : `${beyond} · `}*${outstandingCount(group).toLocaleString("en-US")} left*`;
}

/** ":no_entry_sign: 2 can't be repeated (past Workato's retention: …)", or null when every job can be. */
function cannotRepeatWordsOf(handled: HandledJobs): string | null {
  const reasons = CANNOT_REPEAT_WHYS.flatMap((why) => {
    const count = handled.cannotRepeat?.[why] ?? 0;
    return count > 0 ? [{ why, count }] : [];
  });
  if (reasons.length === 0) return null;
  const total = reasons.reduce((sum, reason) => sum + reason.count, 0);
  const why = reasons
    .map((reason) => `${reasons.length > 1 ? `${reason.count} ` : ""}${cannotRepeatWords(reason.why)}`)
    .join("; ");
  return `:no_entry_sign: ${total.toLocaleString("en-US")} can't be repeated (${why})`;
}

function countLine(group: AlertMessageGroup, postedAt: number): string {
  const parts =
    group.total > group.jobs.length
      ? [
          `:repeat: *${group.total.toLocaleString("en-US")} so far* (${group.total - group.jobs.length} more in the thread), latest ${slackDateOfMs(group.lastSeenAt)}`,
        ]
      : [`First seen ${slackDateOfMs(postedAt)}`];
  const handled = handledWords(group);
  if (handled !== null) parts.push(handled);
  if (group.mutedUntil !== null) {
    const by = group.mutedBy && isSlackUserId(group.mutedBy) ? ` by <@${group.mutedBy}>` : "";
    parts.push(`:no_bell: Muted until ${slackDateOfMs(group.mutedUntil)}${by}`);
  }
  return parts.join(" · ");
}

function groupBlocks(
  ids: ActionIds,
  recipe: RecipeInWorkspace,
  watchId: number,
  group: AlertMessageGroup,
  postedAt: number,
  resolvedByHand: boolean,
): KnownBlock[] {
  const blocks: KnownBlock[] = [
    section(bodyOf(group)),
    { ...context(countLine(group, postedAt)), block_id: countBlockId(group.signature) },
  ];
  const buttons: Button[] = [
    ...jobButtons(ids, recipe, group.jobs, isResolved(group) || resolvedByHand ? [] : group.outstanding),
    ...(isResolved(group)
      ? []
      : group.mutedUntil === null
        ? muteButtons(ids, watchId, group.signature)
        : [unmuteButton(ids, watchId, group.signature)]),
  ];
  const row = actions(buttons, actionsBlockId(group.signature));
  if (row) blocks.push(row);
  return blocks;
}

/**
 * The kind's own jobs: those still to handle by id, those whose repeat runs or succeeded only counted, so the body
 * never lists as failed a job the headline no longer counts.
 */
function bodyOf(group: AlertMessageGroup): string {
  const left = new Set(group.outstanding.map((job) => job.id));
  const fixed = new Set(group.fixedJobIds ?? []);
  const failing = group.jobs.filter((job) => left.has(job.id));
  const beyond = new Set(group.cannotRepeatJobIds ?? []);
  const fixedHere = group.jobs.filter((job) => !left.has(job.id) && fixed.has(job.id)).length;
  const beyondHere = group.jobs.filter((job) => !left.has(job.id) && beyond.has(job.id)).length;
  const runningHere = group.jobs.filter(
    (job) => !left.has(job.id) && !fixed.has(job.id) && !beyond.has(job.id),
  ).length;
  const lines = [
    failing.length > 0
      ? `*${failing.length}×* ${firstLineText(group.firstLine)}\n${failureLines(failing)}`
      : firstLineText(group.firstLine),
  ];
  if (runningHere > 0)
    lines.push(`:hourglass_flowing_sand: ${countOf(runningHere, "job")} repeated, repeat running`);
  if (fixedHere > 0)
    lines.push(`:white_check_mark: ${countOf(fixedHere, "job")} fixed: repeated, and the repeat succeeded`);
  if (beyondHere > 0) lines.push(`:no_entry_sign: ${countOf(beyondHere, "job")} Workato will not repeat`);
  return lines.join("\n");
}

/** "3 new failed jobs", "5 failed jobs left", or the resolution. */
function headlineOf(message: Pick<AlertMessage, "groups">, recipe: RecipeInWorkspace): string {
  const { groups } = message;
  const total = groups.reduce((sum, group) => sum + group.total, 0);
  const left = groups.reduce((sum, group) => sum + outstandingCount(group), 0);
  const listed = groups.reduce((sum, group) => sum + group.jobs.length, 0);
  const untouched = groups.every((group) => group.handled.succeeded + group.handled.running === 0);
  const where = recipeAndCustomer(recipe);
  if (groups.length > 0 && groups.every(isResolved)) {
    const handled = mergeHandled(groups.map((group) => group.handled));
    return `:white_check_mark: *Resolved* — ${repeatedByWords(handled)}, all succeeded: ${countOf(total, "failed job")} fixed, of ${where}`;
  }
  if (untouched && total === listed)
    return `:rotating_light: *${countOf(listed, "new failed job")}* of ${where}`;
  const running = groups.reduce((sum, group) => sum + group.handled.running, 0);
  if (left === 0 && running === 0)
    return `:no_entry_sign: *Nothing left to repeat* of ${where}: ${countOf(total, "failed job")} repeated or beyond repeating`;
  if (left === 0)
    return `:hourglass_flowing_sand: *${countOf(total, "failed job")} repeated, repeats running* of ${where}`;
  return `:rotating_light: *${countOf(left, "failed job")} left* of ${where} (${total.toLocaleString("en-US")} in all)`;
}

function mergeHandled(all: readonly HandledJobs[]): HandledJobs {
  return {
    succeeded: all.reduce((sum, handled) => sum + handled.succeeded, 0),
    running: all.reduce((sum, handled) => sum + handled.running, 0),
    repeatedBy: [...new Set(all.flatMap((handled) => handled.repeatedBy))],
    inWorkato: all.some((handled) => handled.inWorkato),
    cannotRepeat: Object.fromEntries(
      CANNOT_REPEAT_WHYS.map((why) => [
        why,
        all.reduce((sum, handled) => sum + (handled.cannotRepeat?.[why] ?? 0), 0),
      ]),
    ),
  };
}

/**
 * The top-level alert: as first posted (totals equal to the jobs listed), or redrawn with the counts so far.
 * `links`: where Open in Workato goes (none without it).
 */
export function buildAlertMessage(
  message: Pick<AlertMessage, "target" | "mention" | "truncated" | "groups" | "postedAt" | "onCall">,
  links?: WorkatoLinks,
): SlackMessage {
  const recipe = where(message);
  const ids = createActionIds();
  const mentions = message.mention ? safeMentions(message.target.watch.mentions) : [];
  const linkRow = actions(
    alertLinkButtons(
      ids,
      { target: message.target, newestJobId: message.groups[0]?.jobs[0]?.id ?? null },
      links,
    ),
  );
  const onCall = message.onCall ?? NOBODY_ON_IT;
  const headline = isResolvedByHand(onCall)
    ? `:heavy_check_mark: *Resolved by hand*: failed jobs of ${recipeAndCustomer(recipe)}`
    : headlineOf(message, recipe);
  const blocks: KnownBlock[] = [
    section(mentions.length > 0 ? `${headline}\n${mentions.join(" ")}` : headline),
    ...(linkRow ? [linkRow] : []),
    ...onCallBlocks(ids, message.target.watch.id, onCall, { resolvable: true }),
  ];

  let shown = 0;
  for (const group of message.groups) {
    const candidate = [
      ...blocks,
      ...groupBlocks(ids, recipe, message.target.watch.id, group, message.postedAt, isResolvedByHand(onCall)),
    ];
    if (!fitsInOneMessage(candidate, ALERT_RESERVE)) break;
    blocks.splice(0, blocks.length, ...candidate);
    shown++;
  }
  const hidden = message.groups.slice(shown);
  if (hidden.length > 0) {
    const hiddenJobs = hidden.reduce((sum, group) => sum + group.jobs.length, 0);
    blocks.push(
      section(
        `… and ${countOf(hidden.length, "other kind")} of error (${countOf(hiddenJobs, "job")}): ${listCommand(recipe)} shows them.`,
      ),
    );
  }
  const notes = [
    "More failures of the same kind within the hour go to this thread.",
    ...(message.truncated
      ? [
          `:warning: More jobs failed since the last check than one check reads; only the newest are listed. ${listCommand(recipe)} shows them all.`,
        ]
      : []),
  ];
  blocks.push(context(notes.join("\n")));

  const first = message.groups[0];
  const left = message.groups.reduce((sum, group) => sum + outstandingCount(group), 0);
  const resolved = message.groups.length > 0 && message.groups.every(isResolved);
  const summary = `${resolved ? "Resolved: failed jobs" : countOf(left, "failed job")} of ${escapeTruncated(recipeLabel(recipe.recipeName, recipe.recipeId), 150)} for ${escapeMrkdwn(customerText(recipe.customer, recipe.customerName))}`;
  const text = [mentions.join(" "), first ? `${summary}: ${escapeTruncated(first.firstLine, 200)}` : summary]
    .filter(Boolean)
    .join(" ");
  return { text, blocks };
}

/** One reply in an alert's thread: more failures of kinds the alert already shows. */
export function buildAlertFollowUp(followUp: Omit<FollowUp, "channel" | "threadTs">): SlackMessage {
  const recipe = where(followUp);
  const ids = createActionIds();
  const blocks: KnownBlock[] = [];
  let shown = 0;
  for (const { group, total, firstSeenAt, now } of followUp.groups) {
    // Redrawn, it offers Repeat only for the jobs still to handle, and lists only them as failed.
    const left = now?.outstanding ?? group.jobs;
    const row = actions(jobButtons(ids, recipe, group.jobs, left));
    const handled = now ? followUpHandledWords(now.handled, left.length) : null;
    const candidate: KnownBlock[] = [
      ...blocks,
      section(
        left.length > 0
          ? `:repeat: *${countOf(left.length, "more failed job")}*: ${firstLineText(group.firstLine)}\n${failureLines(left)}`
          : `:repeat: ${firstLineText(group.firstLine)}`,
      ),
      context(
        [`${total.toLocaleString("en-US")} of this kind since ${slackDateOfMs(firstSeenAt)}`, handled]
          .filter(Boolean)
          .join(" · "),
      ),
      ...(row ? [row] : []),
    ];
    if (!fitsInOneMessage(candidate, { blocks: NOTE_RESERVE.blocks + 1, text: NOTE_RESERVE.text + 300 }))
      break;
    blocks.splice(0, blocks.length, ...candidate);
    shown++;
  }
  const hidden = followUp.groups.slice(shown);
  if (hidden.length > 0) {
    blocks.push(context(`… and ${countOf(hidden.length, "other kind")} of error: ${listCommand(recipe)}`));
  }
  const jobs = followUp.groups.reduce(
    (sum, { group, now }) => sum + (now?.outstanding ?? group.jobs).length,
    0,
  );
  const totals = followUp.groups.reduce((sum, { total }) => sum + total, 0);
  // Whoever has the alert hears of more failures; nobody else is pinged again.
  const onCall = followUpOnCallLine(followUp.takenBy);
  if (onCall !== null) blocks.push(context(onCall));
  return {
    text: `${onCall !== null ? `${onCall}: ` : ""}${countOf(jobs, "more failed job")} of the same kind (${totals.toLocaleString("en-US")} in all)`,
    blocks,
  };
}

/** What became of a reply's other jobs: "✅ 2 fixed (repeated by @alex) · 1 left". */
function followUpHandledWords(handled: HandledJobs, left: number): string | null {
  const parts = [
    ...(handled.succeeded > 0 ? [`:white_check_mark: ${countOf(handled.succeeded, "job")} fixed`] : []),
    ...(handled.running > 0
      ? [`:hourglass_flowing_sand: ${countOf(handled.running, "repeat")} running`]
      : []),
  ];
  if (parts.length === 0) return null;
  return `${parts.join(", ")} (${repeatedByWords(handled)}) · *${left.toLocaleString("en-US")} left*`;
}

/** Posted in the channel when a watch stops: which one, why, and how to start it again. */
export function buildWatchPausedMessage(input: RecipeInWorkspace & { reason: string }): SlackMessage {
  const target = recipeAndCustomer(input);
  const reason = escapeTruncated(input.reason, SLACK_LIMITS.sectionText - 600);
  const watchAgain = inlineCode(`/workato-jobs watch ${input.customer.display} ${input.recipeId}`, 120);
  const unwatch = inlineCode(`/workato-jobs unwatch ${input.customer.display} ${input.recipeId}`, 120);
  return {
    text: `Stopped watching ${escapeTruncated(recipeLabel(input.recipeName, input.recipeId), 150)} for ${escapeMrkdwn(customerText(input.customer, input.customerName))}: ${reason}`,
    blocks: [
      section(`:double_vertical_bar: *Stopped watching* ${target}.\n${reason}`),
      context(`Once that is fixed, ${watchAgain} starts it again; ${unwatch} removes it.`),
    ],
  };
}

function listCommand(recipe: RecipeInWorkspace): string {
  return inlineCode(`/workato-jobs list ${recipe.customer.display} ${recipe.recipeId} failed`, 120);
}
