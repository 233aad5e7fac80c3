// The one clock: every part of the bot reads the time through it, so tests can move time and nothing disagrees.
export interface Clock {
  /** milliseconds since the epoch */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock a test sets and moves by hand. */
export function manualClock(start: number): Clock & { set(at: number): void; advance(ms: number): void } {
  let at = start;
  return {
    now: () => at,
    set(next) {
      at = next;
    },
    advance(ms) {
      at += ms;
    },
  };
}
