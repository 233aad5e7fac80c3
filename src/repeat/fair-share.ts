// How the repeat slots are shared, so a 1,200-job recovery never makes a 3-job click wait a minute: each slot
// goes to the ready recipe served longest ago (round-robin across recipes), and a request takes its jobs in
// turn from every repeat waiting in that recipe (round-robin across repeats). Pure: no timers, no I/O.

export interface FairQueue<J> {
  /** jobs waiting, oldest first */
  readonly waiting: J[];
  /** when this queue was last given a slot (a sequence number); 0 for a queue never served */
  lastServed: number;
}

/** Among ready queues, the one served longest ago; among those never served, the one whose oldest job waited longest. */
export function nextFairQueue<Q extends FairQueue<J>, J extends { waitingSince: number }>(
  queues: Iterable<Q>,
  isReady: (queue: Q) => boolean,
): Q | undefined {
  let best: Q | undefined;
  for (const queue of queues) {
    if (!isReady(queue)) continue;
    if (best === undefined || isBefore(queue, best)) best = queue;
  }
  return best;
}

function isBefore<J extends { waitingSince: number }>(a: FairQueue<J>, b: FairQueue<J>): boolean {
  if (a.lastServed !== b.lastServed) return a.lastServed < b.lastServed;
  const oldestA = a.waiting[0]?.waitingSince ?? Number.POSITIVE_INFINITY;
  const oldestB = b.waiting[0]?.waitingSince ?? Number.POSITIVE_INFINITY;
  return oldestA < oldestB;
}

/**
 * Removes and returns up to `max` jobs from `waiting`: one from each owner in turn (owners in the order their first
 * job waits), each owner's jobs in their own order. With one owner this is simply the first `max` jobs.
 */
export function takeInTurn<J, O>(waiting: J[], max: number, ownerOf: (job: J) => O): J[] {
  const perOwner = new Map<O, J[]>();
  for (const job of waiting) {
    const owner = ownerOf(job);
    const jobs = perOwner.get(owner);
    if (jobs === undefined) perOwner.set(owner, [job]);
    else if (jobs.length < max) jobs.push(job);
  }
  if (perOwner.size === 1) return waiting.splice(0, max);
  const lists = [...perOwner.values()];
  const taken = new Set<J>();
  for (let round = 0; taken.size < max; round++) {
    let tookAny = false;
    for (const jobs of lists) {
      const job = jobs[round];
      if (job === undefined) continue;
      taken.add(job);
      tookAny = true;
      if (taken.size === max) break;
    }
    if (!tookAny) break;
  }
  const kept = waiting.filter((job) => !taken.has(job));
  const order = waiting.filter((job) => taken.has(job));
  waiting.splice(0, waiting.length, ...kept);
  return order;
}
