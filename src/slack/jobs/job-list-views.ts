// Job lists as live views: the list a repeat was started from (or paged in the channel) is registered when the click
// comes, and drawn again (its query listed anew, with what became of each failed job) whenever the redrawer says
// the jobs it shows changed.
//
// Why at the click: a list is the answer to a slash command, posted through its response_url (it works in channels
// the bot was never invited to, and the answer is the command's own). Slack gives that answer no ts; the click's
// payload does (its message and channel), and what the response_url posted in_channel is the bot's own message, so
// chat.update may edit it. Registering at the click also keeps the registry to the lists that matter: those a repeat
// started from, and those paged (the page they show now is the one drawn again). A list Slack will not let the bot edit (cant_update_message, deleted) is left alone from then on.
import type { KnownBlock } from "@slack/types";
import type { Logger } from "pino";
import type { JobListQuery, ViewRecord } from "../../store/view-store.js";
import type { DrawResult, ViewDrawer } from "../../views/redrawer.js";
import { parseCustomerRef } from "../../workato/customer-ref.js";
import { isJobStatus } from "../../workato/job-status.js";
import { decodeButtonValue, decodeListPage, type ListPage } from "../blocks/action-ids.js";
import type { HandlerDeps } from "../handler-deps.js";
import { drawJobList, type JobListRequest } from "./job-views.js";

/** The clicked channel message, if it is a job list: its page's query rides on its counts line. */
export interface ClickedList {
  channel: string;
  ts: string;
  blocks: readonly KnownBlock[];
}

/** Slack's answers that mean the message can never be edited by the bot again. */
const GONE_ERRORS = new Set(["message_not_found", "cant_update_message", "channel_not_found", "is_archived"]);

/**
 * Registers the clicked list as a view of the master jobs its buttons offer and `clicked` (the jobs being
 * repeated), so their outcomes redraw it. Not a list (an alert, a details message): nothing is registered.
 */
export async function recordClickedList(
  deps: Pick<HandlerDeps, "store" | "clock">,
  target: { customer: { display: string }; recipeId: number },
  list: ClickedList,
  clicked: readonly string[],
  log: Logger,
): Promise<void> {
  const page = pageOf(list.blocks);
  if (page === null) return;
  const jobIds = new Set([...clicked, ...offeredJobIds(list.blocks)]);
  try {
    await deps.store.saveView({
      channel: list.channel,
      ts: list.ts,
      threadTs: null,
      customer: target.customer.display,
      recipeId: target.recipeId,
      jobIds: [...jobIds],
      shows: { kind: "job_list", query: queryOf(page) },
      postedAt: deps.clock.now(),
    });
  } catch (error) {
    // The repeat goes on: only the list will not show its outcomes.
    log.warn({ err: error }, "could not register the job list as a view");
  }
}

function pageOf(blocks: readonly KnownBlock[]): ListPage | null {
  for (const block of blocks) {
    const page = decodeListPage(block.block_id);
    if (page !== null) return page;
  }
  return null;
}

/** Every master job a Repeat button of the message carries. */
function offeredJobIds(blocks: readonly KnownBlock[]): string[] {
  const ids: string[] = [];
  for (const block of blocks) {
    if (block.type !== "actions") continue;
    for (const element of block.elements) {
      if (element.type !== "button") continue;
      ids.push(...(decodeButtonValue(element.value)?.j ?? []));
    }
  }
  return ids;
}

function queryOf(page: ListPage): JobListQuery {
  return {
    ...(page.s !== undefined ? { status: page.s } : {}),
    ...(page.rr ? { rerunOnly: true } : {}),
    ...(page.o !== undefined ? { offsetJobId: page.o } : {}),
    ...(page.t !== undefined ? { offsetStartedAt: page.t } : {}),
    ...(page.n ? { newer: true } : {}),
  };
}

function requestOf(view: ViewRecord, query: JobListQuery): JobListRequest | null {
  const customer = parseCustomerRef(view.customer);
  if (!customer.ok) return null;
  const status = query.status !== undefined && isJobStatus(query.status) ? query.status : undefined;
  return {
    customer: customer.ref,
    recipeId: view.recipeId,
    filter: { ...(status ? { status } : {}), rerunOnly: query.rerunOnly ?? false },
    paging: {
      ...(query.offsetJobId !== undefined ? { offsetJobId: query.offsetJobId } : {}),
      ...(query.offsetStartedAt !== undefined ? { offsetStartedAt: query.offsetStartedAt } : {}),
      ...(query.newer ? { newer: true } : {}),
    },
  };
}

const MAX_REMEMBERED = 1000;

/** Draws a registered list again: its query listed anew, at background priority, edited in place when it changed. */
export function createJobListDrawer(
  deps: Pick<HandlerDeps, "workato" | "names" | "lineage" | "poster">,
  log: Logger,
): ViewDrawer {
  /** what each list was last drawn with: the same again is not sent (chat.update is scarce) */
  const lastDrawn = new Map<string, string>();
  return {
    async draw(view): Promise<DrawResult> {
      if (view.shows.kind !== "job_list") return "gone";
      const request = requestOf(view, view.shows.query);
      if (request === null) return "gone";
      const drawn = await drawJobList(deps, request, "background", log);
      if (!drawn.ok) {
        return { failed: drawn.error instanceof Error ? drawn.error.message : String(drawn.error) };
      }
      const key = `${view.channel}\u0000${view.ts}`;
      const print = JSON.stringify(drawn.message);
      if (lastDrawn.get(key) === print) return "unchanged";
      const updated = await deps.poster.update(view.channel, view.ts, drawn.message);
      if (!updated.ok) return GONE_ERRORS.has(updated.error) ? "gone" : { failed: updated.error };
      lastDrawn.delete(key);
      lastDrawn.set(key, print);
      // Only recent lists are redrawn at all: the oldest memory goes first.
      if (lastDrawn.size > MAX_REMEMBERED) lastDrawn.delete(lastDrawn.keys().next().value ?? key);
      return "redrawn";
    },
  };
}
