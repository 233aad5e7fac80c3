// A small seeded random source, so the demo's made-up history is the same on every run (and in the screenshot).

export interface Random {
  /** a number in [0, 1) */
  next(): number;
  /** an integer in [min, max] */
  between(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** true with the given probability */
  chance(probability: number): boolean;
  /** a copy of `items` in random order */
  shuffled<T>(items: readonly T[]): T[];
  /** `length` characters from A–Z and 0–9, for the ids inside error texts */
  code(length: number): string;
}

const CODE_CHARACTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/** mulberry32: tiny, fast and good enough to scatter demo data; not for anything secret. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const between = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => {
    const item = items[Math.floor(next() * items.length)];
    if (item === undefined) throw new Error("pick: no items to pick from");
    return item;
  };
  return {
    next,
    between,
    pick,
    chance: (probability) => next() < probability,
    shuffled(items) {
      const copy = [...items];
      for (let index = copy.length - 1; index > 0; index--) {
        const other = between(0, index);
        [copy[index], copy[other]] = [
          copy[other] as (typeof copy)[number],
          copy[index] as (typeof copy)[number],
        ];
      }
      return copy;
    },
    code: (length) => Array.from({ length }, () => pick([...CODE_CHARACTERS])).join(""),
  };
}
