// Watch alerts: the top-level alert (one section per error signature, with Details, Repeat N failed and Mute buttons),
// the same alert redrawn with its counts so far, the follow-up reply in its thread, the note a Mute click leaves, and
// the notice that a watch stopped.
//
// Design: one top-level message per watch per poll. Each signature in it gets three blocks — the error's first line
// with the job ids, a context line with the counts (block_id `watch_count:<signature>`, redrawn in place as more
// failures of that kind arrive in the thread) and its buttons — so muting or repeating one kind of error leaves the
// others as they are. Later failures of a kind already alerted go to the alert's thread: one reply per thread per poll.
import type { Button, KnownBlock } from "@slack/types";
import { isSlackUserId, SLACK_USER_GROUP_ID, SLACK_USER_ID } from "../../slack-ids.js";
import type { AlertMessage, AlertMessageGroup, FailedJob, FollowUp } from "../../watch/alert-sink.js";
import type { CustomerRef } from "../../workato/customer-ref.js";
import { ACTIONS, type ActionIds, createActionIds, decodeMuteValue, encodeMuteValue } from "./action-ids.js";
import { actions, button, context, type SlackMessage, section } from "./elements.js";
import { countOf, escapeMrkdwn, escapeTruncated, inlineCode, slackDateOfMs } from "./format.js";
import { detailsButton, type RecipeInWorkspace, recipeLabel, repeatFailedButton } from "./job-buttons.js";
import { fitsInOneMessage, NOTE_RESERVE, SLACK_LIMITS } from "./limits.js";
import { jobIdList } from "./repeat-blocks.js";

export const MUTE_HOURS = [1, 24] as const;

const FIRST_LINE_MAX = 300;
const JOB_IDS_MAX = 600;
const COUNT_BLOCK_PREFIX = "watch_count:";
/**
 * Room every alert keeps free: its closing lines (a block for kinds left out, the notes), and the notes later clicks
 * add (a repeat's note; a mute note on each count line).
 */
const ALERT_RESERVE = { blocks: NOTE_RESERVE.blocks + 2, text: NOTE_RESERVE.text + 2000 };

/** Only real user and user-group mentions are ever written into an alert; anything else stored is dropped. */
const MENTION = new RegExp(`^(<@${SLACK_USER_ID.source}>|<!subteam\\^${SLACK_USER_GROUP_ID.source}>)$`);

export function safeMentions(mentions: readonly string[]): string[] {
  return mentions.filter((mention) => MENTION.test(mention));
}

function where(message: Pick<AlertMessage, "target">): RecipeInWorkspace {
  const { target } = message;
  return { customer: target.customer, recipeId: target.watch.recipeId, recipeName: target.recipeName };
}

function recipeAndCustomer(recipe: RecipeInWorkspace): string {
  const name = escapeTruncated(recipeLabel(recipe.recipeName, recipe.recipeId), 150);
  return `*${name}* (${inlineCode(String(recipe.recipeId))}) for customer ${inlineCode(recipe.customer.display)}`;
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

function muteButtons(ids: ActionIds, watchId: number, signature: string): Button[] {
  return MUTE_HOURS.map((hours) =>
    button(ids.next(ACTIONS.mute), `Mute ${hours}h`, encodeMuteValue({ w: watchId, s: signature, h: hours })),
  );
}

/** Details of the newest failure, and Repeat N failed for exactly these jobs. */
function jobButtons(ids: ActionIds, recipe: RecipeInWorkspace, jobs: readonly FailedJob[]): Button[] {
  const newest = jobs[0];
  const details = newest ? detailsButton(ids, recipe, newest.id) : null;
  const repeat = repeatFailedButton(ids, recipe, masterIds(jobs));
  return [details, repeat?.button ?? null].filter((element): element is Button => element !== null);
}

function countLine(group: AlertMessageGroup, postedAt: number): string {
  const parts =
    group.total > group.jobs.length
      ? [
          `:repeat: *${group.total.toLocaleString("en-US")} so far* (${group.total - group.jobs.length} more in the thread), latest ${slackDateOfMs(group.lastSeenAt)}`,
        ]
      : [`First seen ${slackDateOfMs(postedAt)}`];
  if (group.mutedUntil !== null) parts.push(`:no_bell: Muted until ${slackDateOfMs(group.mutedUntil)}`);
  parts.push(`kind ${inlineCode(group.signature)}`);
  return parts.join(" · ");
}

function groupBlocks(
  ids: ActionIds,
  recipe: RecipeInWorkspace,
  watchId: number,
  group: AlertMessageGroup,
  postedAt: number,
): KnownBlock[] {
  const blocks: KnownBlock[] = [
    section(`*${group.jobs.length}×* ${firstLineText(group.firstLine)}\n${failureLines(group.jobs)}`),
    { ...context(countLine(group, postedAt)), block_id: countBlockId(group.signature) },
  ];
  const buttons: Button[] = [
    ...jobButtons(ids, recipe, group.jobs),
    ...(group.mutedUntil === null ? muteButtons(ids, watchId, group.signature) : []),
  ];
  const row = actions(buttons);
  if (row) blocks.push(row);
  return blocks;
}

/** The top-level alert: as first posted (totals equal to the jobs listed), or redrawn with the counts so far. */
export function buildAlertMessage(
  message: Pick<AlertMessage, "target" | "mention" | "truncated" | "groups" | "postedAt">,
): SlackMessage {
  const recipe = where(message);
  const ids = createActionIds();
  const jobs = message.groups.reduce((sum, group) => sum + group.jobs.length, 0);
  const mentions = message.mention ? safeMentions(message.target.watch.mentions) : [];
  const headline = `:rotating_light: *${countOf(jobs, "new failed job")}* of ${recipeAndCustomer(recipe)}`;
  const blocks: KnownBlock[] = [
    section(mentions.length > 0 ? `${headline}\n${mentions.join(" ")}` : headline),
  ];

  let shown = 0;
  for (const group of message.groups) {
    const candidate = [
      ...blocks,
      ...groupBlocks(ids, recipe, message.target.watch.id, group, message.postedAt),
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
  const summary = `${countOf(jobs, "new failed job")} of ${escapeTruncated(recipeLabel(recipe.recipeName, recipe.recipeId), 150)} for ${escapeMrkdwn(recipe.customer.display)}`;
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
  for (const { group, total, firstSeenAt } of followUp.groups) {
    const row = actions(jobButtons(ids, recipe, group.jobs));
    const candidate: KnownBlock[] = [
      ...blocks,
      section(
        `:repeat: *${countOf(group.jobs.length, "more failed job")}*: ${firstLineText(group.firstLine)}\n${failureLines(group.jobs)}`,
      ),
      context(`${total.toLocaleString("en-US")} of this kind since ${slackDateOfMs(firstSeenAt)}`),
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
  const jobs = followUp.groups.reduce((sum, { group }) => sum + group.jobs.length, 0);
  const totals = followUp.groups.reduce((sum, { total }) => sum + total, 0);
  return {
    text: `${countOf(jobs, "more failed job")} of the same kind (${totals.toLocaleString("en-US")} in all)`,
    blocks,
  };
}

/** Posted in the channel when a watch stops: which one, why, and how to start it again. */
export function buildWatchPausedMessage(input: {
  customer: CustomerRef;
  recipeId: number;
  recipeName: string | null;
  reason: string;
}): SlackMessage {
  const target = recipeAndCustomer(input);
  const reason = escapeTruncated(input.reason, SLACK_LIMITS.sectionText - 600);
  const watchAgain = inlineCode(`/workato-jobs watch ${input.customer.display} ${input.recipeId}`, 120);
  const unwatch = inlineCode(`/workato-jobs unwatch ${input.customer.display} ${input.recipeId}`, 120);
  return {
    text: `Stopped watching ${escapeTruncated(recipeLabel(input.recipeName, input.recipeId), 150)} for ${escapeMrkdwn(input.customer.display)}: ${reason}`,
    blocks: [
      section(`:double_vertical_bar: *Stopped watching* ${target}.\n${reason}`),
      context(`Once that is fixed, ${watchAgain} starts it again; ${unwatch} removes it.`),
    ],
  };
}

/** The note a Mute click leaves on the alert. */
export function muteNote(input: { userId: string; hours: number; until: number }): string {
  const who = isSlackUserId(input.userId) ? `<@${input.userId}>` : "someone";
  return `:no_bell: Muted for ${input.hours}h by ${who} (until ${slackDateOfMs(input.until)})`;
}

interface ElementLike {
  type: string;
  action_id?: string;
  value?: string;
}

/**
 * The alert's blocks once `signature` was muted: its Mute buttons are gone ("*" takes every signature's) and `note`
 * is added to its count line; a message without that count line (an older layout) gets the note at the end.
 */
export function markMuted(blocks: readonly KnownBlock[], signature: string, note: string): KnownBlock[] {
  const isMuteOfIt = (element: ElementLike) => {
    const value = decodeMuteValue(element.value);
    return value !== null && (signature === "*" || value.s === signature);
  };
  let noted = false;
  const kept: KnownBlock[] = [];
  for (const block of blocks) {
    if (block.type === "actions") {
      const elements = block.elements.filter((element) => !isMuteOfIt(element));
      if (elements.length > 0) kept.push({ ...block, elements });
    } else if (
      block.type === "context" &&
      (block.block_id === countBlockId(signature) ||
        (signature === "*" && block.block_id?.startsWith(COUNT_BLOCK_PREFIX)))
    ) {
      const texts = block.elements.map((element) => ("text" in element ? element.text : "")).filter(Boolean);
      kept.push({ ...context([...texts, note].join(" · ")), block_id: block.block_id });
      noted = true;
    } else {
      kept.push(block);
    }
  }
  if (!noted) kept.push(context(note));
  return kept.slice(0, SLACK_LIMITS.blocksPerMessage);
}

function listCommand(recipe: RecipeInWorkspace): string {
  return inlineCode(`/workato-jobs list ${recipe.customer.display} ${recipe.recipeId} failed`, 120);
}
