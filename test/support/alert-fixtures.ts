// What tests of alerts share: a watch as the store returns it before its first poll, and the buttons an alert shows.
import type { WatchRecord } from "../../src/store/store.js";
import { unpolledWatch } from "./watch.js";

/** A watch of recipe 28904 in C0ONCALL, made at `createdAt` and never polled. */
export function watchRecordOf(overrides: Partial<WatchRecord> & Pick<WatchRecord, "createdAt">): WatchRecord {
  return {
    ...unpolledWatch({
      id: 7,
      channel: "C0ONCALL",
      customer: "23456",
      recipeId: 28904,
      mentions: [],
      createdBy: "U0ALICE",
      createdAt: overrides.createdAt,
    }),
    ...overrides,
  } as WatchRecord;
}

/** An open alert's own buttons, before those of each kind of error. */
export const ON_CALL_BUTTONS = ["I'm on it", "Resolve…"];

/** The buttons of one kind of error that is not muted, with `toRepeat` jobs to repeat. */
export const kindButtons = (toRepeat: number) => [
  "Details",
  `Repeat ${toRepeat} failed`,
  "Mute 1h",
  "Mute 24h",
];
