// Slack's Block Kit and message-size limits as a pure validator: message content in, Slack's error code (or null) out.
//
// Written from Slack's reference pages, independently of the app's own block builders, so a builder that drifts
// over a limit fails here the way it would fail in Slack:
//   docs.slack.dev/reference/block-kit/blocks            "up to 50 blocks in each message"; block_id max 255
//   …/blocks/section-block                               text max 3000; fields max 10 items, each max 2000
//   …/blocks/header-block                                plain_text max 150
//   …/blocks/context-block                               max 10 elements
//   …/blocks/actions-block                               max 25 elements
//   …/blocks/markdown-block                              text max 12,000
//   …/block-elements/button-element                      text 75, action_id 255, url 3000, value 2000
//   …/block-elements/select-menu-element (static_select) placeholder plain_text 150; exactly one of options (max 100)
//                                                        or option_groups (max 100); initial_option one of the options
//   …/composition-objects/option-object                  text 75 (plain_text in selects), value 150 and unique,
//                                                        description 75; url only in overflow menus
//   …/composition-objects/option-group-object            label plain_text 75, options max 100
//   …/composition-objects/confirmation-dialog-object     title 100, text 300, confirm 30, deny 30
//   docs.slack.dev/reference/methods/chat.postMessage    text over 40,000 characters: msg_too_long
// msg_blocks_too_long has no documented figure: slackapi/bolt-js#2509 saw it from ~13,200 characters of block text,
// varying with the blocks used. We reject above 12,000 so the app keeps a margin (it aims for ~11,000).
//
// Three rules are deliberately stricter than Slack: action_ids must be unique across the whole message (Slack documents
// "unique among all other action_ids in the containing block"), text objects must not be empty (Slack rejects most
// empty texts, but not every one), and a select's option values must differ (documented as "unique", not known to be
// enforced).

export const MAX_BLOCKS_PER_MESSAGE = 50;
/** Modals and the Home tab take up to 100 blocks. */
export const MAX_BLOCKS_PER_VIEW = 100;
export const MAX_BLOCK_ID_LENGTH = 255;
export const MAX_SECTION_TEXT_LENGTH = 3000;
export const MAX_SECTION_FIELDS = 10;
export const MAX_SECTION_FIELD_TEXT_LENGTH = 2000;
export const MAX_HEADER_TEXT_LENGTH = 150;
export const MAX_CONTEXT_ELEMENTS = 10;
export const MAX_ACTIONS_ELEMENTS = 25;
export const MAX_MARKDOWN_BLOCK_TEXT_LENGTH = 12_000;
/** Any text object not covered by a tighter limit (context elements, image titles). */
export const MAX_TEXT_OBJECT_LENGTH = 3000;
export const MAX_BUTTON_TEXT_LENGTH = 75;
export const MAX_BUTTON_VALUE_LENGTH = 2000;
export const MAX_BUTTON_URL_LENGTH = 3000;
export const MAX_ACTION_ID_LENGTH = 255;
export const MAX_SELECT_PLACEHOLDER_LENGTH = 150;
export const MAX_SELECT_OPTIONS = 100;
export const MAX_SELECT_OPTION_GROUPS = 100;
export const MAX_OPTION_TEXT_LENGTH = 75;
/** 150 on docs.slack.dev today; older api.slack.com pages (and @slack/types 3.2 comments) still say 75. */
export const MAX_OPTION_VALUE_LENGTH = 150;
export const MAX_OPTION_DESCRIPTION_LENGTH = 75;
export const MAX_OPTION_GROUP_LABEL_LENGTH = 75;
export const MAX_CONFIRM_TITLE_LENGTH = 100;
export const MAX_CONFIRM_TEXT_LENGTH = 300;
export const MAX_CONFIRM_BUTTON_TEXT_LENGTH = 30;
export const MAX_IMAGE_URL_LENGTH = 3000;
export const MAX_IMAGE_ALT_TEXT_LENGTH = 2000;
export const MAX_MESSAGE_TEXT_LENGTH = 40_000;
export const MAX_TOTAL_BLOCK_TEXT_LENGTH = 12_000;

export type BlockKitError = "invalid_blocks" | "msg_blocks_too_long";
export type MessageContentError = BlockKitError | "no_text" | "msg_too_long";

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function stringWithin(value: unknown, max: number): value is string {
  return typeof value === "string" && value.length >= 1 && value.length <= max;
}

function optionalStringWithin(value: unknown, max: number): boolean {
  return value === undefined || stringWithin(value, max);
}

function textObjectOk(value: unknown, max: number, plainOnly = false): boolean {
  if (!isObj(value)) return false;
  const typeOk = value.type === "plain_text" || (!plainOnly && value.type === "mrkdwn");
  return typeOk && stringWithin(value.text, max);
}

const BLOCK_TYPES = new Set([
  "actions",
  "context",
  "divider",
  "file",
  "header",
  "image",
  "input",
  "markdown",
  "rich_text",
  "section",
  "video",
]);

// Interactive elements other than buttons and static selects get a light check (known type, action_id): the app
// builds no others.
const OTHER_INTERACTIVE_ELEMENTS = new Set([
  "channels_select",
  "checkboxes",
  "conversations_select",
  "datepicker",
  "datetimepicker",
  "external_select",
  "multi_channels_select",
  "multi_conversations_select",
  "multi_external_select",
  "multi_static_select",
  "multi_users_select",
  "overflow",
  "radio_buttons",
  "timepicker",
  "users_select",
  "workflow_button",
]);

/** Tracks ids across the whole message, because duplicates are only visible at that level. */
class IdRegistry {
  private readonly blockIds = new Set<string>();
  private readonly actionIds = new Set<string>();

  blockId(id: unknown): boolean {
    if (id === undefined) return true;
    if (!stringWithin(id, MAX_BLOCK_ID_LENGTH) || this.blockIds.has(id)) return false;
    this.blockIds.add(id);
    return true;
  }

  actionId(id: unknown): boolean {
    if (id === undefined) return true;
    if (!stringWithin(id, MAX_ACTION_ID_LENGTH) || this.actionIds.has(id)) return false;
    this.actionIds.add(id);
    return true;
  }
}

function confirmOk(confirm: unknown): boolean {
  if (confirm === undefined) return true;
  if (!isObj(confirm)) return false;
  return (
    textObjectOk(confirm.title, MAX_CONFIRM_TITLE_LENGTH, true) &&
    textObjectOk(confirm.text, MAX_CONFIRM_TEXT_LENGTH) &&
    textObjectOk(confirm.confirm, MAX_CONFIRM_BUTTON_TEXT_LENGTH, true) &&
    textObjectOk(confirm.deny, MAX_CONFIRM_BUTTON_TEXT_LENGTH, true) &&
    (confirm.style === undefined || confirm.style === "primary" || confirm.style === "danger")
  );
}

function buttonOk(button: Obj, ids: IdRegistry): boolean {
  return (
    textObjectOk(button.text, MAX_BUTTON_TEXT_LENGTH, true) &&
    ids.actionId(button.action_id) &&
    optionalStringWithin(button.value, MAX_BUTTON_VALUE_LENGTH) &&
    optionalStringWithin(button.url, MAX_BUTTON_URL_LENGTH) &&
    (button.style === undefined || button.style === "primary" || button.style === "danger") &&
    confirmOk(button.confirm)
  );
}

function imageElementOk(image: Obj): boolean {
  const source = stringWithin(image.image_url, MAX_IMAGE_URL_LENGTH) || isObj(image.slack_file);
  return source && stringWithin(image.alt_text, MAX_IMAGE_ALT_TEXT_LENGTH);
}

/** A select's option: plain_text only (mrkdwn is for radio buttons and checkboxes), and no url (overflow only). */
function selectOptionOk(option: unknown): boolean {
  return (
    isObj(option) &&
    textObjectOk(option.text, MAX_OPTION_TEXT_LENGTH, true) &&
    stringWithin(option.value, MAX_OPTION_VALUE_LENGTH) &&
    (option.description === undefined ||
      textObjectOk(option.description, MAX_OPTION_DESCRIPTION_LENGTH, true)) &&
    option.url === undefined
  );
}

function optionListOk(options: unknown): options is Obj[] {
  return (
    Array.isArray(options) &&
    options.length >= 1 &&
    options.length <= MAX_SELECT_OPTIONS &&
    options.every(selectOptionOk)
  );
}

/** Every option a static select offers, or null when its options or option groups break a limit. */
function staticSelectOptions(select: Obj): Obj[] | null {
  const { options, option_groups: groups } = select;
  if ((options === undefined) === (groups === undefined)) return null;
  if (options !== undefined) return optionListOk(options) ? options : null;
  if (!Array.isArray(groups) || groups.length === 0 || groups.length > MAX_SELECT_OPTION_GROUPS) return null;
  const all: Obj[] = [];
  for (const group of groups) {
    if (!isObj(group) || !textObjectOk(group.label, MAX_OPTION_GROUP_LABEL_LENGTH, true)) return null;
    if (!optionListOk(group.options)) return null;
    all.push(...group.options);
  }
  return all;
}

/** "Exactly matches": the same value and the same text shown. */
function sameOption(a: Obj, b: Obj): boolean {
  const textOf = (option: Obj) => (isObj(option.text) ? [option.text.type, option.text.text] : []);
  return a.value === b.value && JSON.stringify(textOf(a)) === JSON.stringify(textOf(b));
}

function staticSelectOk(select: Obj, ids: IdRegistry): boolean {
  const options = staticSelectOptions(select);
  if (options === null) return false;
  // "A unique string value": two options with one value could not be told apart in the payload.
  const values = options.map((option) => option.value);
  if (new Set(values).size !== values.length) return false;
  const initial = select.initial_option;
  if (initial !== undefined) {
    if (!selectOptionOk(initial) || !isObj(initial) || !options.some((option) => sameOption(option, initial)))
      return false;
  }
  return (
    ids.actionId(select.action_id) &&
    (select.placeholder === undefined ||
      textObjectOk(select.placeholder, MAX_SELECT_PLACEHOLDER_LENGTH, true)) &&
    confirmOk(select.confirm)
  );
}

function interactiveElementOk(element: unknown, ids: IdRegistry): boolean {
  if (!isObj(element) || typeof element.type !== "string") return false;
  if (element.type === "button") return buttonOk(element, ids);
  if (element.type === "static_select") return staticSelectOk(element, ids);
  return (
    OTHER_INTERACTIVE_ELEMENTS.has(element.type) &&
    ids.actionId(element.action_id) &&
    confirmOk(element.confirm)
  );
}

function accessoryOk(accessory: unknown, ids: IdRegistry): boolean {
  if (accessory === undefined) return true;
  if (isObj(accessory) && accessory.type === "image") return imageElementOk(accessory);
  return interactiveElementOk(accessory, ids);
}

function sectionOk(block: Obj, ids: IdRegistry): boolean {
  if (block.text === undefined && block.fields === undefined) return false;
  if (block.text !== undefined && !textObjectOk(block.text, MAX_SECTION_TEXT_LENGTH)) return false;
  if (block.fields !== undefined) {
    const fields = block.fields;
    if (!Array.isArray(fields) || fields.length === 0 || fields.length > MAX_SECTION_FIELDS) return false;
    if (!fields.every((field) => textObjectOk(field, MAX_SECTION_FIELD_TEXT_LENGTH))) return false;
  }
  return accessoryOk(block.accessory, ids);
}

function contextOk(block: Obj): boolean {
  const elements = block.elements;
  if (!Array.isArray(elements) || elements.length === 0 || elements.length > MAX_CONTEXT_ELEMENTS)
    return false;
  return elements.every((element) =>
    isObj(element) && element.type === "image"
      ? imageElementOk(element)
      : textObjectOk(element, MAX_TEXT_OBJECT_LENGTH),
  );
}

function actionsOk(block: Obj, ids: IdRegistry): boolean {
  const elements = block.elements;
  if (!Array.isArray(elements) || elements.length === 0 || elements.length > MAX_ACTIONS_ELEMENTS)
    return false;
  return elements.every((element) => interactiveElementOk(element, ids));
}

function blockOk(block: unknown, ids: IdRegistry): boolean {
  if (!isObj(block) || typeof block.type !== "string" || !BLOCK_TYPES.has(block.type)) return false;
  if (!ids.blockId(block.block_id)) return false;
  switch (block.type) {
    case "section":
      return sectionOk(block, ids);
    case "header":
      return textObjectOk(block.text, MAX_HEADER_TEXT_LENGTH, true);
    case "context":
      return contextOk(block);
    case "actions":
      return actionsOk(block, ids);
    case "markdown":
      return stringWithin(block.text, MAX_MARKDOWN_BLOCK_TEXT_LENGTH);
    case "image":
      return imageElementOk(block) && (block.title === undefined || textObjectOk(block.title, 2000, true));
    case "rich_text":
      return Array.isArray(block.elements);
    default:
      // divider, file, input, video: no limit the app could break, so nothing further to check.
      return true;
  }
}

/** Sum of every `text` string anywhere in the blocks: what Slack's undocumented msg_blocks_too_long counts. */
export function blocksTextLength(value: unknown): number {
  if (Array.isArray(value)) return value.reduce<number>((sum, item) => sum + blocksTextLength(item), 0);
  if (!isObj(value)) return 0;
  let sum = 0;
  for (const [key, child] of Object.entries(value)) {
    sum += key === "text" && typeof child === "string" ? child.length : blocksTextLength(child);
  }
  return sum;
}

/**
 * Slack's error code for a `blocks` value that breaks a Block Kit limit, or null when Slack would accept it.
 * Defaults are a message's limits; views (Home tab) pass 100 blocks and no total-text limit.
 */
export function validateBlocks(
  blocks: unknown,
  limits: { maxBlocks: number; maxTotalTextLength: number } = {
    maxBlocks: MAX_BLOCKS_PER_MESSAGE,
    maxTotalTextLength: MAX_TOTAL_BLOCK_TEXT_LENGTH,
  },
): BlockKitError | null {
  if (!Array.isArray(blocks) || blocks.length > limits.maxBlocks) return "invalid_blocks";
  const ids = new IdRegistry();
  if (!blocks.every((block) => blockOk(block, ids))) return "invalid_blocks";
  if (blocksTextLength(blocks) > limits.maxTotalTextLength) return "msg_blocks_too_long";
  return null;
}

/** The checks chat.postMessage, chat.postEphemeral and response_url apply to a message's content. */
export function validateMessageContent(content: {
  text?: unknown;
  blocks?: unknown;
  attachments?: unknown;
}): MessageContentError | null {
  const hasText = typeof content.text === "string" && content.text.length > 0;
  const hasBlocks = Array.isArray(content.blocks) && content.blocks.length > 0;
  const hasAttachments = Array.isArray(content.attachments) && content.attachments.length > 0;
  if (!hasText && !hasBlocks && !hasAttachments) return "no_text";
  if (typeof content.text === "string" && content.text.length > MAX_MESSAGE_TEXT_LENGTH)
    return "msg_too_long";
  if (content.blocks !== undefined) return validateBlocks(content.blocks);
  return null;
}
