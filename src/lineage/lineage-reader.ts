// Reads what became of failed master jobs: the bot's own repeats (store) merged with Workato's rerun_only
// listing, read newest first only as far back as the oldest job asked about, bounded, cached and shared.
// Cached for display, fresh for action: a read about to decide what to send asks for a listing begun after it.
import type { Logger } from "pino";
import type { Clock } from "../clock.js";
import type { BotRepeatRecord } from "../store/follow-up-store.js";
import type { WorkatoClient } from "../workato/client.js";
import type { CustomerRef } from "../workato/customer-ref.js";
import { WorkatoApiError } from "../workato/errors.js";
import type { CallPriority } from "../workato/limits.js";
import type { JobSummary } from "../workato/schemas.js";
import {
  type CannotRepeatWhy,
  cannotRepeatWhyOf,
  type Handling,
  handlingOf,
  isRepeatable,
  type KnownRepeat,
  type Lineage,
} from "./lineage.js";
import { errorOf, repeatStateOf, timeOf } from "./listed-repeat.js";
import type { BotRepeatLookup, BotRepeatQueue } from "./store-seams.js";
import { unansweredRepeatsOf, unclearAnswersSince } from "./unanswered-repeats.js";

export interface MasterJob {
  id: string;
  /** the master's started_at (ms epoch): none of its repeats can have started before it */
  startedAt: number | null;
}

/** How each master job asked about stands; a job that was not asked about is "unknown". */
export type HandlingLookup = (jobId: string) => Handling;

export interface LineageReader {
  read(
    customer: CustomerRef,
    recipeId: number,
    masters: readonly MasterJob[],
    options: LineageReadOptions,
  ): Promise<HandlingLookup>;
}

export interface LineageReadOptions {
  priority: CallPriority;
  /**
   * The answer decides what to send (a click, a confirm): it must rest on a listing whose first page was asked for
   * after this call began, never on one cached from before, which cannot show a repeat made in Workato meanwhile.
   * Callers asking while such a listing of the recipe is read share one: at most one read runs and one waits.
   */
  fresh?: boolean;
}

export interface LineageReaderOptions {
  workato: Pick<WorkatoClient, "listJobs">;
  botRepeats: BotRepeatLookup;
  /**
   * The bot's repeats under way: a job it is still sending (or got no clear answer for) is "unknown", never
   * "never repeated", so a second click while the first waits its turn sends nothing. Absent: not looked at.
   */
  botQueue?: BotRepeatQueue;
  clock: Clock;
  /** list pages one recipe's listing may read, in all; default 20 (1,000 repeats at Workato's 50 a page) */
  maxPages?: number;
  /** how long a recipe's listing is reused; default 20 s */
  ttlMs?: number;
  logger?: Logger;
}

export const DEFAULT_LINEAGE_MAX_PAGES = 20;
export const DEFAULT_LINEAGE_TTL_MS = 20_000;

/** The recipe's repeats read so far, newest first, and how far back that reaches. */
interface ListingSnapshot {
  repeats: JobSummary[];
  pages: number;
  /** Workato has no older repeats than these */
  exhausted: boolean;
  /** started_at of the oldest repeat read: every repeat that started later has been read */
  reachedBack: number | null;
  /** when the first page was asked for: a request the bot sent after this may be missing from the listing */
  readFrom: number;
}

interface CacheEntry {
  snapshot: Promise<ListingSnapshot>;
  expiresAt: number;
  /** the number of listings begun before this one, plus one: a fresh read needs one begun after it asked */
  seq: number;
  /** its first snapshot came back (or failed): a fresh read need not wait for it before listing again */
  settled: boolean;
}

export function createLineageReader(options: LineageReaderOptions): LineageReader {
  const { workato, botRepeats, botQueue, clock, logger } = options;
  const maxPages = options.maxPages ?? DEFAULT_LINEAGE_MAX_PAGES;
  const ttlMs = options.ttlMs ?? DEFAULT_LINEAGE_TTL_MS;
  const cache = new Map<string, CacheEntry>();
  /** per recipe, the fresh listing that waits for the one in flight to end before it begins */
  const queuedFresh = new Map<string, Promise<CacheEntry>>();
  let listingsBegun = 0;

  async function readPage(
    customer: CustomerRef,
    recipeId: number,
    before: ListingSnapshot,
    priority: CallPriority,
  ): Promise<ListingSnapshot> {
    const offsetJobId = before.repeats.at(-1)?.id;
    const page = await workato.listJobs(
      customer,
      recipeId,
      { rerunOnly: true, ...(offsetJobId !== undefined ? { offsetJobId } : {}) },
      { priority },
    );
    const repeats = [...before.repeats, ...page.items];
    const oldestWithTime = page.items.findLast((item) => timeOf(item.started_at) !== null);
    const scope = page.job_scope_count;
    return {
      repeats,
      pages: before.pages + 1,
      // job_scope_count saves the empty page that would otherwise prove the end.
      exhausted: page.items.length === 0 || (scope !== undefined && repeats.length >= scope),
      reachedBack: oldestWithTime ? timeOf(oldestWithTime.started_at) : before.reachedBack,
      readFrom: before.readFrom,
    };
  }

  /** Pages on until every repeat newer than `target` is read, Workato runs out, or the page bound is reached. */
  async function deepen(
    customer: CustomerRef,
    recipeId: number,
    from: ListingSnapshot,
    target: number,
    priority: CallPriority,
  ): Promise<ListingSnapshot> {
    let snapshot = from;
    while (!isDeepEnough(snapshot, target, maxPages)) {
      snapshot = await readPage(customer, recipeId, snapshot, priority);
    }
    return snapshot;
  }

  function beginListing(
    key: string,
    customer: CustomerRef,
    recipeId: number,
    target: number,
    priority: CallPriority,
  ): CacheEntry {
    const now = clock.now();
    const empty: ListingSnapshot = {
      repeats: [],
      pages: 0,
      exhausted: false,
      reachedBack: null,
      readFrom: now,
    };
    listingsBegun += 1;
    const entry: CacheEntry = {
      snapshot: deepen(customer, recipeId, empty, target, priority),
      expiresAt: now + ttlMs,
      seq: listingsBegun,
      settled: false,
    };
    const settle = () => {
      entry.settled = true;
    };
    entry.snapshot.then(settle, settle);
    forgetExpired(now);
    cache.set(key, entry);
    return entry;
  }

  /**
   * The listing a read rests on. A display read takes the cached one while it is young. A fresh read (`after`: the
   * listings begun when it asked) takes one begun since; otherwise it joins the one queued behind the read in
   * flight, or queues one, so a burst of clicks on one recipe costs two listings, not one each.
   */
  function entryFor(
    key: string,
    customer: CustomerRef,
    recipeId: number,
    target: number,
    priority: CallPriority,
    after: number | null,
  ): CacheEntry | Promise<CacheEntry> {
    const current = cache.get(key);
    if (after === null) {
      if (current && current.expiresAt > clock.now()) return current;
      return beginListing(key, customer, recipeId, target, priority);
    }
    if (current && current.seq > after) return current;
    const queued = queuedFresh.get(key);
    if (queued) return queued;
    if (!current || current.settled) return beginListing(key, customer, recipeId, target, priority);
    const inFlight = current.snapshot;
    const next = (async () => {
      // Whatever it found, it began too early for this read; only its end is awaited.
      await inFlight.catch(() => undefined);
      queuedFresh.delete(key);
      return beginListing(key, customer, recipeId, target, priority);
    })();
    queuedFresh.set(key, next);
    return next;
  }

  /** One listing per recipe at a time: concurrent reads wait for the one in flight, then deepen it if needed. */
  async function listingFor(
    customer: CustomerRef,
    recipeId: number,
    target: number,
    priority: CallPriority,
    after: number | null,
  ): Promise<ListingSnapshot> {
    const key = `${customer.pathSegment}/${recipeId}`;
    const current = await entryFor(key, customer, recipeId, target, priority, after);
    for (;;) {
      const awaited = current.snapshot;
      let snapshot: ListingSnapshot;
      try {
        snapshot = await awaited;
      } catch (error) {
        // A failed listing is not kept: the next read asks Workato again.
        if (cache.get(key) === current) cache.delete(key);
        throw error;
      }
      if (isDeepEnough(snapshot, target, maxPages)) return snapshot;
      // Another reader may have started deepening while this one waited; join it instead of paging twice.
      if (current.snapshot === awaited) {
        current.snapshot = deepen(customer, recipeId, snapshot, target, priority);
      }
    }
  }

  function forgetExpired(now: number): void {
    for (const [key, entry] of cache) if (entry.expiresAt <= now) cache.delete(key);
  }

  return {
    async read(customer, recipeId, masters, { priority, fresh = false }) {
      // Taken before anything is awaited: only a listing begun after this moment can serve a fresh read.
      const after = fresh ? listingsBegun : null;
      const asked = new Set(masters.map((master) => master.id));
      const notAsked: Handling = {
        kind: "unknown",
        reason: "repeat state unknown: this job was not looked up",
      };
      if (masters.length === 0) return () => notAsked;

      // Read before the enqueued repeats: a job answered in between is then in one of the two, never in neither.
      const underWay = botQueue
        ? await unansweredRepeatsOf(botQueue, customer.display, recipeId, asked)
        : new Map<string, number>();
      const ours = await botRepeats.botRepeatsOf(customer.display, recipeId, [...asked]);
      const refused = refusalsOf(await botRepeats.refusedRepeatsOf(customer.display, recipeId, [...asked]));
      const target = Math.min(...masters.map((master) => master.startedAt ?? Number.NEGATIVE_INFINITY));
      let snapshot: ListingSnapshot;
      try {
        snapshot = await listingFor(customer, recipeId, target, priority, after);
      } catch (error) {
        if (!(error instanceof WorkatoApiError)) throw error;
        logger?.warn({ code: error.code, recipeId }, "repeat listing failed; repeat state unknown");
        const unknown: Handling = { kind: "unknown", reason: `repeat state unknown: ${error.message}` };
        return (jobId) => (asked.has(jobId) ? unknown : notAsked);
      }

      if (botQueue) {
        const since = snapshot.readFrom;
        const unclear = await unclearAnswersSince(botQueue, customer.display, recipeId, asked, since);
        for (const [jobId, repeatId] of unclear) if (!underWay.has(jobId)) underWay.set(jobId, repeatId);
      }
      const handlings = new Map<string, Handling>();
      const listed = listedByMaster(snapshot.repeats, asked, ours);
      for (const master of masters) {
        const carriedBy = underWay.get(master.id);
        const refusal = refused.get(master.id) ?? null;
        // Workato's refusal for good holds however far the listing reached; a success or a running repeat says more.
        const known = covers(snapshot, master)
          ? handlingOf(lineageOf(master.id, listed.get(master.id) ?? [], ours), refusal)
          : refusal === null
            ? undefined
            : ({ kind: "cannot_repeat", why: refusal } as const);
        // A repeat that succeeded or runs says more; otherwise the bot's own unanswered request decides.
        if (carriedBy !== undefined && (known === undefined || isRepeatable(known))) {
          handlings.set(master.id, {
            kind: "unknown",
            reason: `repeat state unknown: the bot's repeat #${carriedBy} of this job has no clear answer yet (it may have run)`,
          });
          continue;
        }
        if (known === undefined) {
          handlings.set(master.id, {
            kind: "unknown",
            reason: `repeat state unknown: the job is older than the ${snapshot.pages} pages of repeats read`,
          });
          continue;
        }
        handlings.set(master.id, known);
      }
      return (jobId) => handlings.get(jobId) ?? notAsked;
    },
  };
}

/** Master job id → why Workato refused to repeat it for good, from the refusals the bot recorded. */
function refusalsOf(
  refusals: readonly { masterJobId: string; typeId: string | null; message: string }[],
): Map<string, CannotRepeatWhy> {
  const byMaster = new Map<string, CannotRepeatWhy>();
  for (const refusal of refusals) {
    const why = cannotRepeatWhyOf(refusal.typeId, refusal.message);
    if (why !== null) byMaster.set(refusal.masterJobId, why);
  }
  return byMaster;
}

function isDeepEnough(snapshot: ListingSnapshot, target: number, maxPages: number): boolean {
  if (snapshot.exhausted || snapshot.pages >= maxPages) return true;
  return snapshot.reachedBack !== null && snapshot.reachedBack < target;
}

/** Whether every repeat of this master has been read: they all started after it, and the listing is newest first. */
function covers(snapshot: ListingSnapshot, master: MasterJob): boolean {
  if (snapshot.exhausted) return true;
  return (
    master.startedAt !== null && snapshot.reachedBack !== null && master.startedAt > snapshot.reachedBack
  );
}

function listedByMaster(
  listing: readonly JobSummary[],
  asked: ReadonlySet<string>,
  ours: readonly BotRepeatRecord[],
): Map<string, KnownRepeat[]> {
  const oursByNewJob = new Map(ours.map((repeat) => [repeat.newJobId, repeat]));
  const byMaster = new Map<string, KnownRepeat[]>();
  for (const job of listing) {
    const master = job.master_job_id;
    if (!master || master === job.id || !asked.has(master)) continue;
    const bot = oursByNewJob.get(job.id);
    const listedState = repeatStateOf(job.status);
    const repeat: KnownRepeat = {
      newJobId: job.id,
      // A cached listing may still show running a repeat whose outcome the bot's follow-up has since recorded.
      state: listedState === "running" && bot?.followed ? bot.followed.state : listedState,
      startedAt: timeOf(job.started_at),
      completedAt: timeOf(job.completed_at),
      error: errorOf(job),
      requestedBy: bot ? { userId: bot.requestedBy, at: bot.sentAt } : null,
    };
    const repeats = byMaster.get(master) ?? [];
    repeats.push(repeat);
    byMaster.set(master, repeats);
  }
  return byMaster;
}

/**
 * The bot's repeats Workato does not list (yet) come first, as the newest: just enqueued, they count as running
 * unless their follow-up already saw them finish.
 */
function lineageOf(masterJobId: string, listed: KnownRepeat[], ours: readonly BotRepeatRecord[]): Lineage {
  const listedIds = new Set(listed.map((repeat) => repeat.newJobId));
  const unlisted = ours
    .filter((repeat) => repeat.masterJobId === masterJobId && !listedIds.has(repeat.newJobId))
    .sort((a, b) => b.sentAt - a.sentAt)
    .map(
      (repeat): KnownRepeat => ({
        newJobId: repeat.newJobId,
        state: repeat.followed?.state ?? "running",
        startedAt: null,
        completedAt: repeat.followed?.completedAt ?? null,
        error: repeat.followed?.error ?? null,
        requestedBy: { userId: repeat.requestedBy, at: repeat.sentAt },
      }),
    );
  return { masterJobId, repeats: [...unlisted, ...listed] };
}
