// Slack's mrkdwn as HTML for the demo page: *bold*, _italic_, ~strike~, `code`, ```blocks```, > quotes, links,
// mentions, emoji shortcodes, the &amp;/&lt;/&gt; entities, and <!date^…> tokens in the viewer's own time zone.

/**
 * The shortcodes the bot uses, and a few common ones; any other stays as typed, as Slack shows unknown emoji.
 * test/demo-emoji.test.ts fails when src/ uses a shortcode missing here.
 */
const EMOJI = new Map([
  ["white_check_mark", "✅"],
  ["large_green_square", "🟩"],
  ["white_large_square", "⬜"],
  ["mega", "📣"],
  ["no_entry_sign", "🚫"],
  ["outbox_tray", "📤"],
  ["heavy_check_mark", "✔️"],
  ["x", "❌"],
  ["hourglass_flowing_sand", "⏳"],
  ["hourglass", "⌛"],
  ["grey_question", "❔"],
  ["question", "❓"],
  ["repeat", "🔁"],
  ["arrows_counterclockwise", "🔄"],
  ["warning", "⚠️"],
  ["turtle", "🐢"],
  ["mag", "🔍"],
  ["double_vertical_bar", "⏸️"],
  ["eyes", "👀"],
  ["large_green_circle", "🟢"],
  ["red_circle", "🔴"],
  ["no_bell", "🔕"],
  ["bell", "🔔"],
  ["rotating_light", "🚨"],
  ["wave", "👋"],
  ["tada", "🎉"],
  ["zzz", "💤"],
  ["information_source", "ℹ️"],
  ["lock", "🔒"],
  ["bust_in_silhouette", "👤"],
  ["octagonal_sign", "🛑"],
  ["arrow_forward", "▶️"],
  ["calendar", "📆"],
  ["black_circle", "⚫"],
]);

const HTML_ESCAPES = new Map([
  ["&", "&amp;"],
  ["<", "&lt;"],
  [">", "&gt;"],
  ['"', "&quot;"],
  ["'", "&#39;"],
]);

/** @param {string} text */
export function escapeHtml(text) {
  return text.replace(/[&<>"']/g, (character) => HTML_ESCAPES.get(character) ?? character);
}

/** Slack escapes only these three; &amp; goes last so "&amp;lt;" stays the text "&lt;". @param {string} text */
export function decodeEntities(text) {
  return text.replaceAll("&lt;", "<").replaceAll("&gt;", ">").replaceAll("&amp;", "&");
}

/** @param {string} html */
function emojify(html) {
  return html.replace(/:([a-z0-9_+-]+):/g, (whole, name) => EMOJI.get(name) ?? whole);
}

/** plain_text is shown as written: no formatting, no entities; emoji shortcodes when the object allows them. */
export function plainTextToHtml(text, emoji = true) {
  const html = escapeHtml(String(text ?? ""));
  return emoji ? emojify(html) : html;
}

const pad2 = (/** @type {number} */ number) => String(number).padStart(2, "0");

/** "31st", "2nd": Slack's long dates are written this way. @param {number} day */
function ordinal(day) {
  const tens = day % 100;
  if (tens >= 11 && tens <= 13) return `${day}th`;
  return `${day}${["th", "st", "nd", "rd"][day % 10] ?? "th"}`;
}

/** "today"/"yesterday"/"tomorrow" when the date is one of those days where the viewer is, else null. */
function relativeDay(/** @type {Date} */ date, /** @type {Date} */ now) {
  const dayNumber = (/** @type {Date} */ day) =>
    Math.round(new Date(day.getFullYear(), day.getMonth(), day.getDate()).getTime() / 86_400_000);
  const difference = dayNumber(date) - dayNumber(now);
  return difference === 0 ? "today" : difference === -1 ? "yesterday" : difference === 1 ? "tomorrow" : null;
}

function ago(/** @type {Date} */ date, /** @type {Date} */ now) {
  const seconds = Math.round((date.getTime() - now.getTime()) / 1000);
  const format = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
  const units = /** @type {const} */ ([
    ["year", 31_536_000],
    ["month", 2_592_000],
    ["day", 86_400],
    ["hour", 3_600],
    ["minute", 60],
  ]);
  for (const [unit, size] of units)
    if (Math.abs(seconds) >= size) return format.format(Math.trunc(seconds / size), unit);
  return format.format(seconds, "second");
}

/**
 * Slack's date token formats ({date_num}, {date_slash}, {date}, {date_short}, {date_long}, {date_long_full}, their
 * _pretty forms, {day_divider_pretty}, {time}, {time_secs}, {ago}), written with the browser's clock and time zone:
 * each viewer sees their own local time. "today"/"yesterday"/"tomorrow" are capitalised when they open the format.
 */
export function formatSlackDate(/** @type {Date} */ date, /** @type {string} */ format, now = new Date()) {
  const english = (/** @type {Intl.DateTimeFormatOptions} */ options) =>
    date.toLocaleString("en-US", options);
  const month = english({ month: "long" });
  const dates = {
    date_num: () => `${date.getFullYear()}-${pad2(date.getMonth() + 1)}-${pad2(date.getDate())}`,
    date_slash: () => `${pad2(date.getDate())}/${pad2(date.getMonth() + 1)}/${date.getFullYear()}`,
    date: () => `${month} ${ordinal(date.getDate())}, ${date.getFullYear()}`,
    date_short: () => english({ month: "short", day: "numeric", year: "numeric" }),
    date_long: () =>
      `${english({ weekday: "long" })}, ${month} ${ordinal(date.getDate())}, ${date.getFullYear()}`,
    date_long_full: () => `${month} ${date.getDate()}, ${date.getFullYear()}`,
  };
  const sameYear = date.getFullYear() === now.getFullYear();
  /** @type {Record<string, () => string>} */
  const tokens = {
    ...dates,
    date_pretty: () => relativeDay(date, now) ?? dates.date(),
    date_short_pretty: () => relativeDay(date, now) ?? dates.date_short(),
    date_long_pretty: () => relativeDay(date, now) ?? dates.date_long(),
    day_divider_pretty: () =>
      relativeDay(date, now) ??
      (sameYear ? `${english({ weekday: "long" })}, ${month} ${ordinal(date.getDate())}` : dates.date_long()),
    time: () => english({ hour: "numeric", minute: "2-digit" }),
    time_secs: () => english({ hour: "numeric", minute: "2-digit", second: "2-digit" }),
    ago: () => ago(date, now),
  };
  return format.replace(/\{(\w+)\}/g, (whole, token, offset) => {
    const text = tokens[token]?.() ?? whole;
    return offset === 0 ? text.charAt(0).toUpperCase() + text.slice(1) : text;
  });
}

/** A message's ts as the viewer's clock time, like the time beside a Slack message. @param {string} ts */
export function formatClock(ts) {
  return new Date(Number(ts.split(".")[0]) * 1000).toLocaleTimeString("en-US", {
    hour: "numeric",
    minute: "2-digit",
  });
}

const SAFE_LINK = /^(https?:|mailto:)/i;

function link(/** @type {string} */ url, /** @type {string} */ innerHtml) {
  return `<a href="${escapeHtml(url)}" target="_blank" rel="noopener noreferrer">${innerHtml}</a>`;
}

/** <!date^epoch^format^optional_link|fallback> */
function renderDate(/** @type {string} */ target, /** @type {string} */ fallback) {
  const [, epochText = "", format = "", url] = target.split("^");
  const epoch = Number(epochText);
  if (epochText === "" || !Number.isFinite(epoch)) return escapeHtml(decodeEntities(fallback));
  const date = new Date(epoch * 1000);
  const shown = `<time datetime="${date.toISOString()}" title="${escapeHtml(date.toString())}">${escapeHtml(
    formatSlackDate(date, decodeEntities(format)),
  )}</time>`;
  return url && SAFE_LINK.test(url) ? link(decodeEntities(url), shown) : shown;
}

const mention = (/** @type {string} */ text) => `<span class="mention">${escapeHtml(text)}</span>`;

/** One `<…>` token: a mention, a channel, a special mention, a date, or a link. */
function renderAngle(/** @type {string} */ inner, /** @type {Record<string, string>} */ people) {
  const bar = inner.indexOf("|");
  const target = bar === -1 ? inner : inner.slice(0, bar);
  const label = bar === -1 ? null : decodeEntities(inner.slice(bar + 1));
  if (target.startsWith("@")) {
    const id = target.slice(1);
    return mention(`@${label ?? people[id] ?? id}`);
  }
  if (target.startsWith("#")) {
    const id = target.slice(1);
    return mention(`#${label ?? people[id] ?? id}`);
  }
  if (target.startsWith("!date^")) return renderDate(target, label ?? "");
  if (target.startsWith("!subteam^")) {
    const id = target.slice("!subteam^".length);
    return mention(`@${(label ?? people[id] ?? id).replace(/^@/, "")}`);
  }
  if (target.startsWith("!")) return mention(`@${label ?? target.slice(1)}`);
  if (SAFE_LINK.test(target)) {
    const url = decodeEntities(target);
    return link(url, escapeHtml(label ?? url));
  }
  // Not a Slack token: shown as typed.
  return escapeHtml(decodeEntities(`<${inner}>`));
}

// Slack formats only between word boundaries: snake_case_ids and 2*3*4 stay as typed.
const EMPHASIS = [
  { pattern: /(^|[^\w*])\*(?=\S)([^*\n]*?\S)\*(?!\w)/g, tag: "b" },
  { pattern: /(^|[^\w_])_(?=\S)([^_\n]*?\S)_(?!\w)/g, tag: "i" },
  { pattern: /(^|[^\w~])~(?=\S)([^~\n]*?\S)~(?!\w)/g, tag: "s" },
];

/** Text without code or tokens (those are held in slots): entities decoded, HTML escaped, then emphasis and emoji. */
function formatInline(/** @type {string} */ text) {
  let html = escapeHtml(decodeEntities(text));
  for (const { pattern, tag } of EMPHASIS) html = html.replace(pattern, `$1<${tag}>$2</${tag}>`);
  return emojify(html);
}

// Private-use characters mark where set-aside HTML goes back in; they never occur in Slack text.
const SLOT_OPEN = "\uE000";
const SLOT_CLOSE = "\uE001";
const SLOT = /\uE000(\d+)\uE001/g;

/**
 * mrkdwn → HTML. Code, code blocks and `<…>` tokens are set aside first, so nothing inside them is formatted; a
 * raw ">" opening a line (an escaped one is "&gt;") starts a quote.
 * @param {string} source
 * @param {Record<string, string>} people display names by Slack id, for mentions
 */
export function mrkdwnToHtml(source, people = {}) {
  /** @type {string[]} */
  const slots = [];
  const hold = (/** @type {string} */ html) => `${SLOT_OPEN}${slots.push(html) - 1}${SLOT_CLOSE}`;
  const text = String(source ?? "")
    .replace(/```([\s\S]*?)```/g, (_, code) =>
      hold(`<pre>${escapeHtml(decodeEntities(code.replace(/^\n/, "")))}</pre>`),
    )
    .replace(/`([^`\n]+)`/g, (_, code) => hold(`<code>${escapeHtml(decodeEntities(code))}</code>`))
    .replace(/<([^<>\n]+)>/g, (_, inner) => hold(renderAngle(inner, people)));

  /** @type {{ quote: boolean, lines: string[] }[]} */
  const parts = [];
  for (const line of text.split("\n")) {
    const marker = /^>\s?/.exec(line);
    const html = formatInline(marker ? line.slice(marker[0].length) : line);
    const last = parts.at(-1);
    if (last && last.quote === Boolean(marker)) last.lines.push(html);
    else parts.push({ quote: Boolean(marker), lines: [html] });
  }
  const html = parts
    .map((part) =>
      part.quote ? `<blockquote>${part.lines.join("<br>")}</blockquote>` : part.lines.join("<br>"),
    )
    .join("");
  return html.replace(SLOT, (_, index) => slots[Number(index)] ?? "");
}
