// The watch a watch-alert button (Mute, Unmute, Start recipe) names. Its value is only a hint from the client: the
// watch must exist and belong to the channel clicked in, or the person is told privately and nothing happens.
import type { Logger } from "pino";
import type { WatchRecord } from "../../store/store.js";
import { type CustomerRef, parseCustomerRef } from "../../workato/customer-ref.js";
import type { SlackMessage } from "../blocks/elements.js";
import { buildNotSavedMessage } from "../blocks/store-trouble-blocks.js";
import type { HandlerDeps } from "../handler-deps.js";
import { watchInHome } from "../home/home-data.js";
import type { ReplyTo } from "../io/poster.js";

export interface ButtonWatch {
  watch: WatchRecord;
  customer: CustomerRef;
}

/** The watch `watchId` names, when it exists and is the clicked channel's; undefined otherwise. */
export async function watchOfButton(
  deps: Pick<HandlerDeps, "store">,
  watchId: number | undefined,
  channel: string | undefined,
): Promise<ButtonWatch | undefined> {
  const watch = watchId === undefined ? undefined : await deps.store.watch(watchId);
  const customer = watch ? parseCustomerRef(watch.customer) : undefined;
  return watch && watch.channel === channel && customer?.ok ? { watch, customer: customer.ref } : undefined;
}

/** The watch `watchId` names, when the person's App Home shows it (a click there has no channel). */
export async function watchOfHome(
  deps: Pick<HandlerDeps, "store">,
  userId: string,
  watchId: number | undefined,
): Promise<ButtonWatch | undefined> {
  const watch = await watchInHome(deps.store, userId, watchId);
  const customer = watch ? parseCustomerRef(watch.customer) : undefined;
  return watch && customer?.ok ? { watch, customer: customer.ref } : undefined;
}

/** A button value that names no watch of this channel: logged, and `answer` given privately. */
export function answerStaleButton(
  deps: Pick<HandlerDeps, "background" | "poster">,
  log: Logger,
  kind: string,
  click: { value: string | undefined; responseUrl: ReplyTo },
  answer: SlackMessage,
): void {
  log.warn({ value: click.value?.slice(0, 200) }, `${kind} value rejected`);
  deps.background.run(`stale ${kind}`, () => deps.poster.respond(click.responseUrl, answer).then(() => {}));
}

/**
 * Records what a button asked for; when the store cannot take it, the person is told "… not saved" privately and
 * nothing is marked done (false).
 */
export async function savedOrToldNot(
  deps: Pick<HandlerDeps, "poster">,
  log: Logger,
  click: { what: string; responseUrl: string },
  write: () => Promise<void>,
): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    log.warn({ err: error }, `${click.what} not saved: the store cannot be written`);
    await deps.poster.respond(click.responseUrl, buildNotSavedMessage(click.what));
    return false;
  }
}
