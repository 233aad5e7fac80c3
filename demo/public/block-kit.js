// Block Kit as DOM for the demo page: header, section (text, fields, accessory), context, actions (buttons with their
// style and confirm dialog, static selects), divider and image; each button or select reports to `onAction`.
import { escapeHtml, mrkdwnToHtml, plainTextToHtml } from "./mrkdwn.js";

// Blocks and elements are read as Slack stores them (plain JSON objects), so their parameters carry no types here.

/**
 * @typedef {{ type: "button" | "static_select", actionId: string, value?: string, url?: string,
 *   confirm?: object, control: HTMLButtonElement | HTMLSelectElement }} BlockAction
 * @typedef {{ people: Record<string, string>, onAction: (action: BlockAction) => void }} RenderContext
 */

/** @param {string} tag @param {string} className @param {string} [html] */
function element(tag, className, html) {
  const made = document.createElement(tag);
  made.className = className;
  if (html !== undefined) made.innerHTML = html;
  return made;
}

/** A text object (mrkdwn or plain_text) as HTML. @param text @param {RenderContext} context */
export function textObjectHtml(text, context) {
  if (!text || typeof text.text !== "string") return "";
  return text.type === "mrkdwn"
    ? mrkdwnToHtml(text.text, context.people)
    : plainTextToHtml(text.text, text.emoji !== false);
}

/** @param button @param {RenderContext} context */
function renderButton(button, context) {
  const control = /** @type {HTMLButtonElement} */ (
    element("button", `bk-button ${button.style ?? "default"}`)
  );
  control.type = "button";
  control.innerHTML = textObjectHtml(button.text, context);
  control.addEventListener("click", () =>
    context.onAction({
      type: "button",
      actionId: button.action_id,
      value: button.value,
      url: button.url,
      confirm: button.confirm,
      control,
    }),
  );
  return control;
}

/** @param option */
function optionElement(option) {
  const made = document.createElement("option");
  made.value = option.value;
  made.textContent = option.text?.text ?? option.value;
  return made;
}

/** A static select (or an overflow menu, shown the same way). @param select @param {RenderContext} context */
function renderSelect(select, context) {
  const control = /** @type {HTMLSelectElement} */ (element("select", "bk-select"));
  const placeholder = document.createElement("option");
  placeholder.value = "";
  placeholder.textContent = select.placeholder?.text ?? (select.type === "overflow" ? "⋯" : "Select an item");
  placeholder.disabled = true;
  placeholder.selected = true;
  control.append(placeholder);
  for (const option of select.options ?? []) control.append(optionElement(option));
  for (const group of select.option_groups ?? []) {
    const optgroup = document.createElement("optgroup");
    optgroup.label = group.label?.text ?? "";
    for (const option of group.options ?? []) optgroup.append(optionElement(option));
    control.append(optgroup);
  }
  if (select.initial_option) control.value = select.initial_option.value;
  control.addEventListener("change", () =>
    context.onAction({
      type: "static_select",
      actionId: select.action_id,
      value: control.value,
      confirm: select.confirm,
      control,
    }),
  );
  return control;
}

/** @param image */
function renderImage(image, className = "bk-image") {
  const img = /** @type {HTMLImageElement} */ (element("img", className));
  img.src = image.image_url ?? "";
  img.alt = image.alt_text ?? "";
  return img;
}

/** An element of an actions block or a section's accessory. @param item @param {RenderContext} context */
function renderInteractive(item, context) {
  switch (item?.type) {
    case "button":
      return renderButton(item, context);
    case "static_select":
    case "overflow":
      return renderSelect(item, context);
    case "image":
      return renderImage(item, "bk-accessory-image");
    default:
      return element("span", "bk-unsupported", `(${escapeHtml(String(item?.type))}: not shown in this demo)`);
  }
}

/** @param block @param {RenderContext} context */
function renderSection(block, context) {
  const section = element("div", "bk-section");
  const main = element("div", "bk-section-main");
  if (block.text) main.append(element("div", "bk-text", textObjectHtml(block.text, context)));
  if (Array.isArray(block.fields) && block.fields.length > 0) {
    const fields = element("div", "bk-fields");
    for (const field of block.fields)
      fields.append(element("div", "bk-field", textObjectHtml(field, context)));
    main.append(fields);
  }
  section.append(main);
  if (block.accessory) section.append(renderInteractive(block.accessory, context));
  return section;
}

/** @param block @param {RenderContext} context */
function renderBlock(block, context) {
  switch (block?.type) {
    case "header":
      return element("h3", "bk-header", textObjectHtml(block.text, context));
    case "section":
      return renderSection(block, context);
    case "context": {
      const row = element("div", "bk-context");
      for (const item of block.elements ?? []) {
        row.append(
          item?.type === "image"
            ? renderImage(item, "bk-context-image")
            : element("span", "", textObjectHtml(item, context)),
        );
      }
      return row;
    }
    case "actions": {
      const row = element("div", "bk-actions");
      for (const item of block.elements ?? []) row.append(renderInteractive(item, context));
      return row;
    }
    case "divider":
      return element("hr", "bk-divider");
    case "image":
      return renderImage(block);
    default:
      return element(
        "div",
        "bk-unsupported",
        `(${escapeHtml(String(block?.type))} block: not shown in this demo)`,
      );
  }
}

/** @param {unknown[]} blocks @param {RenderContext} context */
export function renderBlocks(blocks, context) {
  const container = element("div", "blocks");
  for (const block of blocks) container.append(renderBlock(block, context));
  return container;
}
