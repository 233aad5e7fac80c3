// A repeat pauses while its store cannot be written, instead of stating a result it could not record: the gate says
// when writes work again (the store's health), a step that must be on record is tried until it is, and the reporter
// hears "paused" once and "resumed" once per pause however many steps were held.
import { isStoreOutage } from "../store/store-health.js";
import type { RepeatReporter } from "./repeat-reporter.js";

/** Whether the store can be written now (src/store/store-health.ts decides; a write that succeeds reopens it). */
export interface StoreGate {
  writable(): boolean;
}

/** How often a paused repeat looks at the gate; also the least wait between two tries of one step. */
export const STORE_RECHECK_MS = 250;

/** Resolves once the gate says the store can be written; a store that is gone keeps it waiting for an operator. */
export async function untilWritable(gate: StoreGate): Promise<void> {
  do await sleep(STORE_RECHECK_MS);
  while (!gate.writable());
}

/** The pause as one reporter tells it: "paused" when the first step is held, "resumed" when the last one lets go. */
export interface PauseNote {
  paused(): Promise<void>;
  resumed(): Promise<void>;
}

export function pauseNoteFor(reporter: Pick<RepeatReporter, "paused" | "resumed">): PauseNote {
  let isPaused = false;
  return {
    async paused() {
      if (isPaused) return;
      isPaused = true;
      await reporter.paused();
    },
    async resumed() {
      if (!isPaused) return;
      isPaused = false;
      await reporter.resumed();
    },
  };
}

/**
 * Runs a step that must reach the store (a write, or the reads the summary is drawn from), again and again while the
 * store is out, saying the repeat is paused meanwhile. Any other error is thrown: only an outage is waited out.
 */
export async function untilStored<T>(
  gate: StoreGate | undefined,
  note: PauseNote,
  step: () => Promise<T>,
  onOutage: (error: unknown) => void,
): Promise<T> {
  for (;;) {
    try {
      const done = await step();
      await note.resumed();
      return done;
    } catch (error) {
      if (gate === undefined || !isStoreOutage(error)) throw error;
      onOutage(error);
      await note.paused();
      await untilWritable(gate);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
