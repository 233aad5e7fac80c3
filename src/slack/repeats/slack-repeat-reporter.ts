// The repeat lifecycle's RepeatReporter in Slack: a channel-visible parent, every request's results in its thread,
// then one summary the follow-up edits in place; the clicked message's repeat button gives way to a note once the repeat is on record.
import type { KnownBlock } from "@slack/types";
import type { Logger } from "pino";
import type { RepeatReporter } from "../../repeat/repeat-reporter.js";
import type { JobRepeatResult } from "../../workato/client.js";
import { MAX_JOBS_PER_REPEAT } from "../../workato/limits.js";
import { type SlackMessage, section } from "../blocks/elements.js";
import { buildErrorMessage } from "../blocks/help-blocks.js";
import {
  buildRepeatBatchReply,
  buildRepeatPauseNote,
  buildRepeatRequestedNote,
  buildRepeatStartedMessage,
  buildRepeatSummary,
  markRepeatRequested,
} from "../blocks/repeat-blocks.js";
import type { HandlerDeps } from "../handler-deps.js";
import type { ReplyTo } from "../io/poster.js";
import { createThreadPacer, type ThreadPacer } from "../io/thread-pacer.js";

/** The channel message whose repeat button was clicked. */
export interface ClickedMessage {
  ts: string;
  text: string;
  blocks: KnownBlock[];
  actionId: string;
}

/** Where a repeat is reported, and how to reach the person who asked. */
export interface ReportTo {
  channel: string;
  /** who asked: named in the summary */
  userId: string;
  /** the thread, once known: a resumed repeat's record has it, a new one gets it from `opened` */
  threadTs?: string;
  /** the repeat's id, once recorded: a resumed repeat's record has it, a new one gets it from `recorded` */
  id?: number;
  /** for private answers to the person who asked; a resumed repeat has none */
  responseUrl?: ReplyTo;
  /** the message clicked; without it a new parent message is posted */
  clicked?: ClickedMessage;
  /** an alert's message whose thread the repeat reports in, without marking it (a click in App Home) */
  inThread?: string;
}

const RECIPE_NAME_WAIT_MS = 500;
/** Slack takes about one message a second per channel; a plain repeat sends one request a second */
const REPLY_GAP_MS = 1000;

/** A result and the request that carried it; null: recorded before a restart, never posted. */
interface NumberedResult {
  batchNumber: number | null;
  result: JobRepeatResult;
}

export function createSlackRepeatReporter(
  deps: Pick<HandlerDeps, "poster" | "names" | "store">,
  to: ReportTo,
  log: Logger,
): RepeatReporter {
  const { poster } = deps;
  let threadTs = to.threadTs;
  let repeatId = to.id;
  let pacer: ThreadPacer<NumberedResult> | null = null;

  /**
   * Every reply goes through one pacer: in order, within Slack's limits, and retried while Slack fails for as long
   * as it takes, so an outage delays a result and never loses it. A result is marked posted once Slack took it.
   */
  function thread(ts: string): ThreadPacer<NumberedResult> {
    pacer ??= createThreadPacer<NumberedResult>({
      poster,
      channel: to.channel,
      threadTs: ts,
      composeReply: (items) => {
        // One reply per request: the results of the first request still queued (a request's worth at most).
        const first = items[0]?.batchNumber ?? null;
        const differs = items.findIndex((item) => item.batchNumber !== first);
        const mine = items.slice(0, Math.min(differs === -1 ? items.length : differs, MAX_JOBS_PER_REPEAT));
        return {
          message: buildRepeatBatchReply({
            batchNumber: first ?? "before the restart",
            results: mine.map((item) => item.result),
          }),
          count: mine.length,
        };
      },
      posted: (items) =>
        rememberPosted(
          deps.store,
          repeatId ?? null,
          items.map((item) => item.result.jobId),
          log,
        ),
      replyGapMs: REPLY_GAP_MS,
      log,
    });
    return pacer;
  }

  /** the thread's one pause note, posted at the first pause and edited in place at every change after */
  let pauseNote: Promise<string | null> | null = null;

  /** Each change waits for the one before, so "resumed" never lands before the "paused" it edits. */
  let pauseChanges: Promise<void> = Promise.resolve();
  function showPause(state: "paused" | "resumed"): Promise<void> {
    pauseChanges = pauseChanges.then(async () => {
      if (threadTs === undefined) return;
      const message = buildRepeatPauseNote(state);
      const ts = await pauseNote;
      if (ts) {
        const updated = await poster.update(to.channel, ts, message);
        if (!updated.ok) log.warn({ slackError: updated.error }, "could not update a repeat's pause note");
        return;
      }
      // Nothing to say "carried on" under when the pause itself was never shown.
      if (state === "resumed") return;
      const at = threadTs;
      pauseNote = poster.post(to.channel, message, at).then((posted) => {
        if (posted.ok) return posted.ts;
        log.warn({ slackError: posted.error }, "could not post a repeat's pause note");
        return null;
      });
      await pauseNote;
    });
    return pauseChanges;
  }

  /** A thread reply; a refused one is logged, never thrown: the repeat goes on and its record holds the truth. */
  async function reply(message: SlackMessage, failure: string, batchNumber?: number): Promise<void> {
    if (threadTs === undefined) return;
    const posted = await poster.post(to.channel, message, threadTs);
    if (!posted.ok) log.error({ slackError: posted.error, batchNumber }, failure);
  }

  return {
    async opened(repeat) {
      // The name makes the parent readable, but a slow Workato must not hold the repeat up: "Recipe 28904" will do.
      const name = await Promise.race([
        deps.names.recipe(repeat.customer, repeat.recipeId),
        new Promise<null>((resolve) => setTimeout(() => resolve(null), RECIPE_NAME_WAIT_MS).unref()),
      ]);
      const started = buildRepeatStartedMessage({
        userId: repeat.userId,
        count: repeat.jobIds.length,
        recipeName: name,
        recipeId: repeat.recipeId,
        customer: repeat.customer,
        customerName: deps.names.customer(repeat.customer),
      });
      const parent = to.clicked?.ts ?? to.inThread;
      const opening = await poster.post(to.channel, started, parent);
      if (!opening.ok) return { ok: false, error: opening.error };
      threadTs = parent ?? opening.ts;
      return { ok: true, threadTs };
    },

    async recorded(at, recordedId) {
      repeatId = recordedId;
      if (!to.clicked || to.responseUrl === undefined) return;
      const note = buildRepeatRequestedNote({ userId: to.userId, at: new Date(at) });
      const blocks = markRepeatRequested(to.clicked.blocks, to.clicked.actionId, note);
      await poster.respond(
        to.responseUrl,
        { text: to.clicked.text, blocks },
        { replaceOriginal: true, visibility: "in_channel" },
      );
    },

    async batch(results, batchNumber) {
      if (threadTs === undefined) return;
      thread(threadTs).add(results.map((result) => ({ batchNumber, result })));
    },

    async summary(results) {
      if (threadTs === undefined) return;
      const replies = thread(threadTs);
      // The follow-up edits this message in place as the new jobs finish.
      replies.reply(buildRepeatSummary({ results, userId: to.userId }), async (ts) => {
        if (repeatId !== undefined) await rememberSummary(deps.store, repeatId, ts, log);
      });
      // The repeat is finished only once its thread holds every result and the summary.
      await replies.drained();
    },

    async restarted(inFlight) {
      if (threadTs === undefined) return;
      const note = `:arrows_counterclockwise: The bot restarted during this repeat; carrying on. ${
        inFlight > 0
          ? `Checking with Workato what happened to the ${inFlight} jobs whose request was in flight.`
          : ""
      }`;
      const replies = thread(threadTs);
      replies.reply({ text: note, blocks: [section(note)] });
      // Answers recorded before the restart that Slack never took: they go first, once.
      if (repeatId === undefined) return;
      const unposted = await deps.store.unpostedResults(repeatId);
      replies.add(unposted.map((result) => ({ batchNumber: null, result })));
    },

    paused: () => showPause("paused"),

    resumed: () => showPause("resumed"),

    async cannotStart(reason) {
      if (reason.kind === "cannot_record") {
        await reply(
          buildErrorMessage(
            "I could not record this repeat safely, so nothing was repeated.",
            "Try again in a moment.",
          ),
          "could not say in the thread that a repeat was not started",
        );
        return;
      }
      if (to.responseUrl !== undefined) await poster.respond(to.responseUrl, cannotPostHere(reason.error));
    },
  };
}

/**
 * Marks results posted once Slack took their reply, so a restart posts exactly the recorded results the thread does
 * not hold yet. A store that refuses is logged, not thrown: the worst a restart can do is post them once more.
 */
export async function rememberPosted(
  store: Pick<HandlerDeps["store"], "markResultsPosted">,
  repeatId: number | null,
  jobIds: readonly string[],
  log: Logger,
): Promise<void> {
  if (repeatId === null) return;
  try {
    await store.markResultsPosted(repeatId, jobIds);
  } catch (error) {
    log.error({ err: error, results: jobIds.length }, "could not mark thread results as posted");
  }
}

/**
 * Keeps the summary's ts, so the follow-up edits this one message in place as outcomes arrive, after a restart too.
 * A store that refuses is logged, not thrown: the repeat is done, only its outcomes will come as a new reply.
 */
export async function rememberSummary(
  store: Pick<HandlerDeps["store"], "saveSummaryTs">,
  repeatId: number,
  ts: string,
  log: Logger,
): Promise<void> {
  try {
    await store.saveSummaryTs(repeatId, ts);
  } catch (error) {
    log.error(
      { err: error, repeatId },
      "could not remember a repeat's summary; outcomes will be posted anew",
    );
  }
}

function cannotPostHere(slackError: string) {
  if (slackError === "not_in_channel" || slackError === "channel_not_found") {
    return buildErrorMessage(
      "I am not a member of this channel, so I could not post the repeat's results here. Nothing was repeated.",
      "Invite me with /invite @workato-jobs (or mention me and accept Slack's offer to add me), then try again.",
    );
  }
  return buildErrorMessage(
    `Slack refused my message (${slackError}), so the repeat was not started. Nothing was repeated.`,
    "Try again in a moment.",
  );
}
