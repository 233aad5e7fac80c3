// The message shape every builder returns, and small constructors for the blocks, buttons and selects they are made
// of; each constructor cuts its text to the Slack limit for that place, so no builder can overflow one by accident.
import type {
  ActionsBlock,
  ActionsBlockElement,
  Button,
  ConfirmationDialog,
  ContextBlock,
  HeaderBlock,
  KnownBlock,
  PlainTextOption,
  SectionBlock,
  SectionBlockAccessory,
  StaticSelect,
} from "@slack/types";
import { truncate } from "./format.js";
import { SLACK_LIMITS } from "./limits.js";

/** A message as chat.postMessage, chat.update and response_url take it. */
export interface SlackMessage {
  /** plain summary: notifications, screen readers, clients without blocks */
  text: string;
  blocks: KnownBlock[];
}

/** Header text is plain_text: shown as written, so it is not escaped (and cannot ping anyone). */
export function header(text: string): HeaderBlock {
  return {
    type: "header",
    text: { type: "plain_text", text: truncate(text, SLACK_LIMITS.headerText), emoji: true },
  };
}

/** `mrkdwn` must already be escaped where it holds outside text. */
export function section(mrkdwn: string, accessory?: SectionBlockAccessory): SectionBlock {
  return {
    type: "section",
    text: { type: "mrkdwn", text: truncate(mrkdwn, SLACK_LIMITS.sectionText) },
    ...(accessory ? { accessory } : {}),
  };
}

export function fieldsSection(fields: readonly string[]): SectionBlock {
  return {
    type: "section",
    fields: fields
      .slice(0, SLACK_LIMITS.sectionFields)
      .map((text) => ({ type: "mrkdwn" as const, text: truncate(text, SLACK_LIMITS.sectionFieldText) })),
  };
}

export function context(mrkdwn: string): ContextBlock {
  return {
    type: "context",
    elements: [{ type: "mrkdwn", text: truncate(mrkdwn, SLACK_LIMITS.contextElementText) }],
  };
}

/**
 * null when there is nothing to put in it: Slack refuses an empty actions block. `blockId` must be unique in the
 * message and at most 255 characters (see encodeListContext).
 */
export function actions(
  elements: readonly (ActionsBlockElement | null)[],
  blockId?: string,
): ActionsBlock | null {
  const present = elements.filter((element): element is ActionsBlockElement => element !== null);
  if (present.length === 0) return null;
  return {
    type: "actions",
    ...(blockId !== undefined ? { block_id: blockId } : {}),
    elements: present.slice(0, SLACK_LIMITS.actionsElements),
  };
}

export function button(
  actionId: string,
  label: string,
  value: string,
  options: { style?: "primary" | "danger"; confirm?: ConfirmationDialog } = {},
): Button {
  return {
    type: "button",
    action_id: actionId,
    text: { type: "plain_text", text: truncate(label, SLACK_LIMITS.buttonText) },
    value,
    ...(options.style ? { style: options.style } : {}),
    ...(options.confirm ? { confirm: options.confirm } : {}),
  };
}

/** A confirmation dialog in plain text, so names from a customer's workspace are shown, never interpreted. */
export function confirmDialog(dialog: {
  title: string;
  text: string;
  confirm: string;
  deny: string;
}): ConfirmationDialog {
  return {
    title: { type: "plain_text", text: truncate(dialog.title, SLACK_LIMITS.confirmTitle) },
    text: { type: "plain_text", text: truncate(dialog.text, SLACK_LIMITS.confirmText) },
    confirm: { type: "plain_text", text: truncate(dialog.confirm, SLACK_LIMITS.confirmButtonText) },
    deny: { type: "plain_text", text: truncate(dialog.deny, SLACK_LIMITS.confirmButtonText) },
  };
}

/** A select option; null when `value` is longer than Slack lets an option carry. The text is shown as typed. */
export function selectOption(text: string, value: string): PlainTextOption | null {
  if (value.length === 0 || value.length > SLACK_LIMITS.optionValue) return null;
  return { text: { type: "plain_text", text: truncate(text, SLACK_LIMITS.optionText) }, value };
}

/** A select of fixed options; null without options (Slack refuses an empty one), the first 100 otherwise. */
export function staticSelect(
  actionId: string,
  placeholder: string,
  options: readonly PlainTextOption[],
): StaticSelect | null {
  if (options.length === 0) return null;
  return {
    type: "static_select",
    action_id: actionId,
    placeholder: { type: "plain_text", text: truncate(placeholder, SLACK_LIMITS.selectPlaceholder) },
    options: options.slice(0, SLACK_LIMITS.selectOptions),
  };
}
