// The Slack limits the block builders stay within, and the two measures they use to stay there: a message's
// total block text, and packing lines of text into as few sections as the limits allow.
import type { KnownBlock } from "@slack/types";
import { truncate } from "./format.js";

export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  headerText: 150,
  contextElements: 10,
  contextElementText: 3000,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  blockId: 255,
  selectOptions: 100,
  selectPlaceholder: 150,
  optionText: 75,
  /** docs.slack.dev today; older api.slack.com pages said 75 */
  optionValue: 150,
  confirmTitle: 100,
  confirmText: 300,
  confirmButtonText: 30,
  /**
   * Slack refuses a message with msg_blocks_too_long from roughly 13,000 characters of block text (the figure
   * is undocumented and varies with the blocks used, slackapi/bolt-js#2509), so builders stop well before.
   */
  messageBlockText: 11_000,
} as const;

/**
 * What a builder leaves free so a repeat button can later be swapped for the "Repeat requested by …" note
 * (see markRepeatRequested) without the updated message breaking a limit.
 */
export const NOTE_RESERVE = { blocks: 1, text: 200 } as const;

/** The sum of every `text` string anywhere in the blocks (texts, fields, buttons, confirm dialogs). */
export function blockTextLength(value: unknown): number {
  if (Array.isArray(value)) return value.reduce<number>((sum, item) => sum + blockTextLength(item), 0);
  if (typeof value !== "object" || value === null) return 0;
  let sum = 0;
  for (const [key, child] of Object.entries(value)) {
    sum += key === "text" && typeof child === "string" ? child.length : blockTextLength(child);
  }
  return sum;
}

/** Whether the blocks fit one message with `reserve` blocks and characters still to spare. */
export function fitsInOneMessage(
  blocks: readonly KnownBlock[],
  reserve: { blocks: number; text: number } = { blocks: 0, text: 0 },
): boolean {
  return (
    blocks.length + reserve.blocks <= SLACK_LIMITS.blocksPerMessage &&
    blockTextLength(blocks) + reserve.text <= SLACK_LIMITS.messageBlockText
  );
}

/**
 * Packs lines, in order, into section texts of at most `maxSectionText` characters, stopping before
 * `maxSections` sections or `maxTotalText` characters would be exceeded. Lines longer than a section are cut.
 * `shown` says how many lines made it, so the caller can say how many did not.
 */
export function packLines(
  lines: readonly string[],
  limits: { maxSections: number; maxTotalText: number; maxSectionText?: number },
): { texts: string[]; shown: number } {
  const maxSectionText = limits.maxSectionText ?? SLACK_LIMITS.sectionText;
  const texts: string[] = [];
  let current = "";
  let total = 0;
  let shown = 0;
  for (const rawLine of lines) {
    const line = truncate(rawLine, maxSectionText);
    const joinsCurrent = current !== "" && current.length + 1 + line.length <= maxSectionText;
    const added = joinsCurrent ? line.length + 1 : line.length;
    const sectionsAfter = texts.length + (current === "" || joinsCurrent ? 1 : 2);
    if (total + added > limits.maxTotalText || sectionsAfter > limits.maxSections) break;
    if (joinsCurrent) {
      current = `${current}\n${line}`;
    } else {
      if (current !== "") texts.push(current);
      current = line;
    }
    total += added;
    shown++;
  }
  if (current !== "") texts.push(current);
  return { texts, shown };
}
