// Every command answered within 3 s of its acknowledgement, whatever is down: the store's trouble said once and
// truly ("nothing was changed"), a slow Workato answered by a private "Still waiting for Workato…" that the result
// then replaces, and a command refused outright while the store file is gone.
import type { Logger } from "pino";
import { isStoreOutage, type StoreCallsSeen, watchStoreCalls } from "../../store/store-health.js";
import type { SlackMessage } from "../blocks/elements.js";
import { buildErrorMessage } from "../blocks/help-blocks.js";
import {
  buildNotSavedMessage,
  buildStillWaitingMessage,
  buildStoreGoneMessage,
  buildStoreUnreachableMessage,
} from "../blocks/store-trouble-blocks.js";
import type { HandlerDeps } from "../handler-deps.js";
import type { Poster, ResponseOptions } from "../io/poster.js";

/**
 * Slack wants a word within 3 s of the acknowledgement; the note leaves at 2 s so that a slow response_url round
 * trip still lands inside them. Real time on purpose: it is Slack's clock that counts, not the bot's.
 */
export const STILL_WAITING_AFTER_MS = 2000;

const UNEXPECTED = buildErrorMessage(
  "Something went wrong while answering that; nothing more was done.",
  "It is in the bot's log. Try again, or tell whoever runs the bot.",
);

export interface AnswerOnTimeOptions {
  responseUrl: string;
  log: Logger;
  /** what the command saves ("Watch"), named in "… not saved"; undefined for a command that only reads */
  saves(): string | undefined;
}

/**
 * Runs a command's handler with a poster of its own for the command's response_url. Its answers go out in order;
 * the first replaces the "still waiting" note if one was shown (a channel answer cannot replace a private note, so
 * the note is deleted and the answer posted). When a store call of the command failed before it answered, the
 * person is told that instead of an answer resting on state the bot could not read or write.
 */
export async function answerOnTime(
  deps: HandlerDeps,
  options: AnswerOnTimeOptions,
  handler: (deps: HandlerDeps) => Promise<void>,
): Promise<void> {
  const { responseUrl, log } = options;
  const storeGone = () => deps.storeHealth?.condition().state === "gone";
  if (storeGone()) {
    log.warn("command refused: the store is gone");
    await deps.poster.respond(responseUrl, buildStoreGoneMessage());
    return;
  }
  const seen: StoreCallsSeen = { pending: 0, pendingWrites: 0, failed: false };
  let noteShown = false;
  let noteReplaced = false;
  let answered = false;
  let troubleTold = false;
  // One response at a time, in the order they were given, so the note can never land after what replaces it.
  let queue: Promise<unknown> = Promise.resolve();
  const inOrder = <T>(send: () => Promise<T>): Promise<T> => {
    const sent = queue.then(send);
    queue = sent.catch(() => undefined);
    return sent;
  };

  const send = (message: SlackMessage, respondOptions: ResponseOptions = {}): Promise<boolean> =>
    inOrder(async () => {
      if (!noteShown || noteReplaced || respondOptions.replaceOriginal) {
        return deps.poster.respond(responseUrl, message, respondOptions);
      }
      noteReplaced = true;
      if ((respondOptions.visibility ?? "ephemeral") === "ephemeral") {
        return deps.poster.respond(responseUrl, message, { ...respondOptions, replaceOriginal: true });
      }
      await deps.poster.respond(responseUrl, message, { deleteOriginal: true });
      return deps.poster.respond(responseUrl, message, respondOptions);
    });

  const tellStoreTrouble = (): Promise<boolean> => {
    if (troubleTold || answered) return Promise.resolve(false);
    troubleTold = true;
    const saves = options.saves();
    const message = storeGone()
      ? buildStoreGoneMessage()
      : saves !== undefined
        ? buildNotSavedMessage(saves)
        : buildStoreUnreachableMessage();
    log.warn({ pendingStoreCalls: seen.pending }, "command answered: the store cannot be used");
    return send(message);
  };

  const poster: Poster = {
    ...deps.poster,
    respond(url, message, respondOptions) {
      if (url !== responseUrl) return deps.poster.respond(url, message, respondOptions);
      if (troubleTold) {
        // The person was told nothing changed; an answer now (the store came back) is only logged.
        log.warn(
          { text: message.text.slice(0, 200) },
          "later answer not sent: the store trouble was already told",
        );
        return Promise.resolve(false);
      }
      if (seen.failed && !answered) return tellStoreTrouble();
      answered = true;
      return send(message, respondOptions);
    },
  };

  const timer = setTimeout(() => {
    if (answered || troubleTold) return;
    // Only reads unanswered while the store is known to be unreachable: nothing was changed, and that is said now. A
    // write unanswered may yet land, and a store merely slow may yet answer: the person is told the bot is waiting
    // for its database, and the outcome replaces that.
    const storeDown = deps.storeHealth?.condition().state === "unreachable";
    if (seen.failed || (storeDown && seen.pending > 0 && seen.pendingWrites === 0)) {
      tellStoreTrouble().catch(() => undefined);
      return;
    }
    const note = buildStillWaitingMessage(seen.pending > 0 ? "my database" : "Workato");
    inOrder(async () => {
      noteShown = await deps.poster.respond(responseUrl, note);
    }).catch(() => undefined);
  }, STILL_WAITING_AFTER_MS);
  timer.unref();

  try {
    await watchStoreCalls(seen, () => handler({ ...deps, poster }));
  } catch (error) {
    if (seen.failed || isStoreOutage(error)) {
      log.warn({ err: error }, "command failed on the store");
      await tellStoreTrouble();
    } else {
      log.error({ err: error }, "command failed");
      if (!answered && !troubleTold) {
        answered = true;
        await send(UNEXPECTED);
      }
    }
  } finally {
    clearTimeout(timer);
  }
  // The handler answered in the channel by other means (or not at all): the note does not stay behind.
  await inOrder(async () => {
    if (noteShown && !noteReplaced) {
      noteReplaced = true;
      await deps.poster.respond(responseUrl, { text: "", blocks: [] }, { deleteOriginal: true });
    }
  });
}
