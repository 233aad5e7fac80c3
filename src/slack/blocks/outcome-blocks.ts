// What became of a repeat's new jobs, worded for Slack: its summary's heading and note (edited in place as the
// follow-up learns more), the thread reply naming jobs that failed again, and the note of jobs still running at
// the follow-up's time limit.
import type { KnownBlock } from "@slack/types";
import type { KnownRepeat } from "../../lineage/lineage.js";
import type { FailedAgainJob } from "../../lineage/outcome-sink.js";
import type { FollowCounts } from "../../store/follow-up-store.js";
import { createActionIds } from "./action-ids.js";
import { actions, context, type SlackMessage, section } from "./elements.js";
import { countOf, escapeTruncated, firstLine, inlineCode } from "./format.js";
import { detailsButton, type RecipeInWorkspace, repeatFailedButton, repeatOneButton } from "./job-buttons.js";
import { jobIdList } from "./job-id-list.js";
import { packLines, SLACK_LIMITS } from "./limits.js";
import { ICON, type RequestCounts } from "./status-icons.js";

/** How far a repeat's follow-up has got. */
export interface SummaryOutcomes {
  counts: FollowCounts;
  state: "following" | "settled" | "time_limit";
  /** the follow-up's limit, for the time_limit wording */
  limitMinutes?: number;
}

/** mrkdwn: ":white_check_mark: 8 succeeded · :x: 2 failed again", with ":hourglass_flowing_sand: 3 running" while any run. */
export function outcomeLine(counts: FollowCounts): string {
  const running = counts.running > 0 ? ` · ${ICON.running} ${counts.running} running` : "";
  return `${ICON.succeeded} ${counts.succeeded} succeeded · ${ICON.failed} ${counts.failed} failed again${running}`;
}

/** Plain text for notifications: "8 succeeded, 2 failed again", with ", 3 running" while any run. */
export function outcomeText(counts: FollowCounts): string {
  const running = counts.running > 0 ? `, ${counts.running} running` : "";
  return `${counts.succeeded} succeeded, ${counts.failed} failed again${running}`;
}

/**
 * A repeat summary's heading, saying only what is known: the requests' answers while the new jobs' outcomes are
 * pending ("Requests sent: 9 enqueued, outcomes pending"), then their outcomes ("Finished: ✅ 8 succeeded · ❌ 1
 * failed again"). `text` is the same in plain words, for notifications.
 */
export function summaryHeading(
  enqueued: number,
  outcomes: SummaryOutcomes | undefined,
): { mrkdwn: string; text: string } {
  if (enqueued === 0) {
    return { mrkdwn: "*Requests sent:* none enqueued", text: "Requests sent: none enqueued" };
  }
  const sent = `${enqueued.toLocaleString("en-US")} enqueued`;
  if (!outcomes || outcomes.state === "following") {
    const pending = outcomes ? outcomes.counts.running : enqueued;
    const what = pending === enqueued ? "outcomes pending" : `${pending} outcomes pending`;
    return { mrkdwn: `*Requests sent:* ${sent}, ${what}`, text: `Requests sent: ${sent}, ${what}` };
  }
  const { counts } = outcomes;
  if (outcomes.state === "settled") {
    return { mrkdwn: `*Finished:* ${outcomeLine(counts)}`, text: `Finished: ${outcomeText(counts)}` };
  }
  const after = outcomes.limitMinutes === undefined ? "" : ` after ${outcomes.limitMinutes} min`;
  return {
    mrkdwn: `*Stopped following${after}:* ${outcomeLine(counts)}`,
    text: `Stopped following${after}: ${outcomeText(counts)}`,
  };
}

/** What updates next, under the summary: so nobody takes "outcomes pending" for the end. */
export function summaryNote(requests: RequestCounts, outcomes: SummaryOutcomes | undefined): KnownBlock[] {
  // With unknowns, Workato may have run some: their own section says so, and "nothing" would not be true.
  if (requests.enqueued === 0) return requests.unknown > 0 ? [] : [context("Nothing was repeated.")];
  if (!outcomes || outcomes.state === "following") {
    const sofar = outcomes ? [section(`*So far:* ${outcomeLine(outcomes.counts)}`)] : [];
    return [...sofar, context("Following the new jobs in Workato; this message is updated as they finish.")];
  }
  const { counts } = outcomes;
  if (outcomes.state === "settled") {
    return [
      context(
        counts.failed > 0
          ? `Every repeated job has finished; the ${countOf(counts.failed, "job")} that failed again ${counts.failed === 1 ? "is" : "are"} in this thread.`
          : "Every repeated job has finished.",
      ),
    ];
  }
  return [
    context(
      `I stopped following ${countOf(counts.running, "job")} still running; list the recipe's jobs to see how ${counts.running === 1 ? "it ends" : "they end"}.`,
    ),
  ];
}

const MAX_GROUPS = 8;
/** jobs with their own Details / Repeat again buttons, all groups together: two blocks each */
const MAX_JOBS_WITH_BUTTONS = 10;
const ERROR_MAX = 200;
const IDS_PER_GROUP = 600;

/** Failed-again jobs by the first line of their error, the largest group first. */
function groupByError(jobs: readonly FailedAgainJob[]): [string, FailedAgainJob[]][] {
  const groups = new Map<string, FailedAgainJob[]>();
  for (const job of jobs) {
    const reason = job.error ? firstLine(job.error) : "";
    const key = reason === "" ? "(no error text given)" : reason;
    groups.set(key, [...(groups.get(key) ?? []), job]);
  }
  return [...groups.entries()].sort((a, b) => b[1].length - a[1].length);
}

function asFailedRepeat(job: FailedAgainJob): KnownRepeat {
  return {
    newJobId: job.newJobId,
    state: "failed",
    startedAt: null,
    completedAt: job.completedAt,
    error: job.error,
    requestedBy: null,
  };
}

/**
 * The thread reply naming jobs whose repeat failed again, grouped by error: the first ten with **Details** (the
 * failed repeat) and **Repeat again** (its master), the rest by id, and one button repeating them all again.
 */
export function buildFailedAgainReply(input: {
  where: RecipeInWorkspace;
  jobs: readonly FailedAgainJob[];
}): SlackMessage {
  const { where, jobs } = input;
  const ids = createActionIds();
  const text = `${countOf(jobs.length, "repeated job")} failed again`;
  const blocks: KnownBlock[] = [section(`${ICON.failed} *${text}*`)];
  let withButtons = 0;
  const groups = groupByError(jobs);
  for (const [reason, members] of groups.slice(0, MAX_GROUPS)) {
    blocks.push(section(`*${members.length}* × ${escapeTruncated(reason, ERROR_MAX)}`));
    const rest: string[] = [];
    for (const job of members) {
      if (withButtons >= MAX_JOBS_WITH_BUTTONS) {
        rest.push(job.masterJobId);
        continue;
      }
      const again = repeatOneButton(
        ids,
        where,
        { id: job.masterJobId, master_job_id: job.masterJobId },
        { kind: "failed_again", latest: asFailedRepeat(job), repeats: 1 },
      );
      const row = actions([detailsButton(ids, where, job.newJobId), again]);
      blocks.push(context(`${inlineCode(job.masterJobId)} → ${inlineCode(job.newJobId)}`));
      if (row) blocks.push(row);
      withButtons++;
    }
    if (rest.length > 0) blocks.push(context(`Also: ${jobIdList(rest, IDS_PER_GROUP)}`));
  }
  const otherGroups = groups.slice(MAX_GROUPS);
  if (otherGroups.length > 0) {
    const count = otherGroups.reduce((sum, [, members]) => sum + members.length, 0);
    const lines = otherGroups.map(
      ([reason, members]) =>
        `*${members.length}* × ${escapeTruncated(reason, 100)}: ${jobIdList(
          members.map((job) => job.masterJobId),
          200,
        )}`,
    );
    const packed = packLines([`… and ${countOf(count, "job")} with other errors`, ...lines], {
      maxSections: 2,
      maxTotalText: 5000,
    });
    blocks.push(...packed.texts.map((line) => section(line)));
  }
  const all = repeatFailedButton(
    ids,
    where,
    jobs.map((job) => job.masterJobId),
  );
  if (all && jobs.length > 1) {
    const row = actions([all.button]);
    if (row) blocks.push(row);
  }
  return { text, blocks: blocks.slice(0, SLACK_LIMITS.blocksPerMessage) };
}

/** The thread reply at the follow-up's time limit: which repeated jobs were still running. */
export function buildStillRunningReply(input: {
  jobs: readonly { masterJobId: string; newJobId: string }[];
  limitMinutes: number;
}): SlackMessage {
  const text = `${countOf(input.jobs.length, "repeated job")} still running after ${input.limitMinutes} min`;
  return {
    text,
    blocks: [
      section(
        `${ICON.running} *${text}*; I stopped following ${input.jobs.length === 1 ? "it" : "them"}.\n${jobIdList(
          input.jobs.map((job) => job.newJobId),
          2500,
        )}`,
      ),
      context("Before repeating any of them again, list the recipe's jobs: they may still finish."),
    ],
  };
}
