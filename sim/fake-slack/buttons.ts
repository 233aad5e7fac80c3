// Finds the buttons a user would see in a stored message, by label or action_id, so tests can click or inspect them.
import type { FakeMessage } from "./messages.js";

export interface FoundButton {
  /** The visible label (the button's plain_text). */
  text: string;
  actionId: string;
  blockId: string;
  value?: string;
  style?: string;
  url?: string;
  /** The confirmation dialog Slack shows before sending the click, if any. */
  confirm?: Record<string, unknown>;
  /** The button element exactly as stored. */
  element: Record<string, unknown>;
}

export interface ButtonQuery {
  text?: string;
  actionId?: string;
  /** Which of the matching buttons, in reading order; default the first. */
  index?: number;
}

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asButton(element: unknown, blockId: string): FoundButton | undefined {
  if (!isObj(element) || element.type !== "button") return undefined;
  const label = isObj(element.text) && typeof element.text.text === "string" ? element.text.text : "";
  return {
    text: label,
    actionId: typeof element.action_id === "string" ? element.action_id : "",
    blockId,
    ...(typeof element.value === "string" ? { value: element.value } : {}),
    ...(typeof element.style === "string" ? { style: element.style } : {}),
    ...(typeof element.url === "string" ? { url: element.url } : {}),
    ...(isObj(element.confirm) ? { confirm: element.confirm } : {}),
    element,
  };
}

/** Every button in the message, in reading order (actions blocks and section accessories). */
export function listButtons(message: Pick<FakeMessage, "blocks">): FoundButton[] {
  const found: FoundButton[] = [];
  for (const block of message.blocks) {
    if (!isObj(block)) continue;
    const blockId = typeof block.block_id === "string" ? block.block_id : "";
    const candidates =
      block.type === "actions" && Array.isArray(block.elements) ? block.elements : [block.accessory];
    for (const candidate of candidates) {
      const button = asButton(candidate, blockId);
      if (button) found.push(button);
    }
  }
  return found;
}

function describe(buttons: FoundButton[]): string {
  if (buttons.length === 0) return "The message has no buttons.";
  return `Buttons present: ${buttons.map((b) => `"${b.text}" (action_id ${b.actionId}, block_id ${b.blockId})`).join("; ")}`;
}

/** The matching button; throws, listing the buttons present, when there is none. */
export function findButton(message: Pick<FakeMessage, "blocks" | "ts">, query: ButtonQuery): FoundButton {
  const all = listButtons(message);
  const matching = all.filter(
    (b) =>
      (query.text === undefined || b.text === query.text) &&
      (query.actionId === undefined || b.actionId === query.actionId),
  );
  const button = matching[query.index ?? 0];
  if (!button) {
    const wanted = JSON.stringify(query);
    throw new Error(`No button matching ${wanted} in message ${message.ts}. ${describe(all)}`);
  }
  return button;
}
