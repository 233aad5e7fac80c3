// Assertions every block-builder test makes: Slack would accept the message, and what its buttons and selects carry.
import { expect } from "vitest";
import { validateMessageContent } from "../../../sim/fake-slack/block-kit-limits.js";
import { type FoundButton, listButtons } from "../../../sim/fake-slack/buttons.js";
import { type ButtonValue, decodeButtonValue } from "../../../src/slack/blocks/action-ids.js";
import type { SlackMessage } from "../../../src/slack/blocks/elements.js";

/** Checked by the fake Slack's validator, written from Slack's docs independently of the builders. */
export function expectSlackAccepts(message: SlackMessage): void {
  expect(validateMessageContent(message)).toBeNull();
}

export function buttonsOf(message: SlackMessage): FoundButton[] {
  return listButtons(message);
}

export function buttonsLabelled(message: SlackMessage, label: string | RegExp): FoundButton[] {
  return buttonsOf(message).filter((button) =>
    typeof label === "string" ? button.text === label : label.test(button.text),
  );
}

/** What the button hands back to its handler when clicked; fails the test when it would not decode. */
export function decodedValue(button: FoundButton | undefined): ButtonValue {
  const value = decodeButtonValue(button?.value);
  if (value === null) throw new Error(`button ${button?.text ?? "(missing)"} carries no valid value`);
  return value;
}

/** The whole message as posted, for "does it say …" and "does it leak …" checks. */
export function messageJson(message: SlackMessage): string {
  return JSON.stringify(message);
}

/**
 * The message's `text` and every mrkdwn text object: the places Slack reads mentions and links in.
 * plain_text (headers, buttons, confirm dialogs) is shown as typed and cannot ping anyone.
 */
export function mrkdwnTexts(message: SlackMessage): string[] {
  const found = [message.text];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (typeof value === "object" && value !== null) {
      if ("type" in value && value.type === "mrkdwn" && "text" in value && typeof value.text === "string") {
        found.push(value.text);
      }
      Object.values(value).forEach(visit);
    }
  };
  visit(message.blocks);
  return found;
}

export interface FoundSelect {
  actionId: string;
  /** the block_id of the actions block holding it: what a block_actions payload names as its block */
  blockId: string;
  placeholder: string;
  options: { text: string; value: string }[];
}

/** Every static select in the message's actions blocks, in reading order. */
export function selectsOf(message: SlackMessage): FoundSelect[] {
  return message.blocks.flatMap((block) => {
    if (block.type !== "actions") return [];
    return block.elements.flatMap((element) =>
      element.type === "static_select"
        ? [
            {
              actionId: element.action_id ?? "",
              blockId: block.block_id ?? "",
              placeholder: element.placeholder?.text ?? "",
              options: (element.options ?? []).map((option) => ({
                text: option.text.text,
                value: option.value ?? "",
              })),
            },
          ]
        : [],
    );
  });
}
