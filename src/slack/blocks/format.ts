// Text helpers every block builder shares: Slack escaping, safe truncation, dates, durations and status emoji.
import { isSlackUserId } from "../../slack-ids.js";
import { parseIsoTime } from "../../time.js";
import type { CustomerRef } from "../../workato/customer-ref.js";
import { ICON } from "./status-icons.js";

const ELLIPSIS = "…";
/** Shown wherever a value is missing, so an empty cell never looks like a rendering bug. */
export const MISSING = "—";

// Slack reads &, < and > as control characters in mrkdwn (links, mentions such as <!channel>); these three
// escapes are the only ones Slack asks for.
export function escapeMrkdwn(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/**
 * At most `max` characters, ending with "…" when shortened. Never cuts a surrogate pair (emoji) or an escape
 * such as "&amp;" in half, so it is safe on text that was already escaped.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= ELLIPSIS.length) return ELLIPSIS.slice(0, Math.max(0, max));
  let kept = text.slice(0, max - ELLIPSIS.length);
  if (/[\uD800-\uDBFF]$/.test(kept)) kept = kept.slice(0, -1);
  kept = kept.replace(/&[a-z]{0,3}$/, "");
  return `${kept}${ELLIPSIS}`;
}

/**
 * Outside text made safe for mrkdwn and cut to `max` characters as shown. Only the part that can be shown is
 * escaped, so a 100 kB error costs no more than a short one.
 */
export function escapeTruncated(text: string, max: number): string {
  return truncate(escapeMrkdwn(text.slice(0, max + 1)), max);
}

/**
 * The longest beginning of `text` whose escaped form fits in `max` characters, and how many characters of the
 * original were left out. Cutting the original (not the escaped text) keeps the count exact.
 */
export function escapeWithin(text: string, max: number): { text: string; omitted: number } {
  let length = 0;
  let end = 0;
  while (end < text.length) {
    const code = text.charCodeAt(end);
    const isPair = code >= 0xd800 && code <= 0xdbff && end + 1 < text.length;
    const width = isPair ? 2 : 1;
    const escapedLength = escapeMrkdwn(text.slice(end, end + width)).length;
    if (length + escapedLength > max) break;
    length += escapedLength;
    end += width;
  }
  return { text: escapeMrkdwn(text.slice(0, end)), omitted: text.length - end };
}

/**
 * A labelled code block of outside text (an error, a step's data) cut to fit in `max` characters with a note of how
 * much was left out. A backtick could close the block early and let the rest be read as formatting, so it becomes a
 * look-alike; escaping &, < and > keeps "<!channel>" and links inert (Slack shows them as typed inside code).
 */
export function codeBlockWithin(label: string, text: string, max: number): string {
  const opening = `*${label}*\n\`\`\``;
  const closing = "```";
  const longestNote = `\n_(truncated, ${text.length} more characters)_`;
  const room = max - opening.length - closing.length - longestNote.length;
  const clipped = escapeWithin(text.replaceAll("`", "ˋ"), room);
  const note = clipped.omitted > 0 ? `\n_(truncated, ${clipped.omitted} more characters)_` : "";
  return `${opening}${clipped.text}${closing}${note}`;
}

/** The first non-blank line, trimmed: Workato errors often put the useful sentence first and a trace after. */
export function firstLine(text: string): string {
  for (const line of text.split(/\r\n|\r|\n/)) {
    const trimmed = line.trim();
    if (trimmed !== "") return trimmed;
  }
  return "";
}

/**
 * Inline code for an identifier from Workato. A backtick inside would end the code span early, so it is
 * swapped for a look-alike; the result is escaped and at most `max` characters inside the backticks.
 */
export function inlineCode(text: string, max = 60): string {
  return `\`${escapeTruncated(text.replaceAll("`", "ˋ"), max)}\``;
}

/** A user mention; anything that is not a Slack user ID is shown as escaped text rather than trusted. */
export function mentionUser(userId: string): string {
  return isSlackUserId(userId) ? `<@${userId}>` : escapeTruncated(userId, 40);
}

/**
 * A customer as sentences name it: the directory's name when known ("Acme Corporation"), else the id people type
 * ("23456", "ext:A2300"). Unescaped: the caller escapes or truncates it for where it goes.
 */
export function customerText(customer: CustomerRef, name?: string | null): string {
  return name?.trim() ? name : customer.display;
}

/** A customer as headers name it, with the id to type next to the name: "Acme Corporation (23456)". Unescaped. */
export function customerTitle(customer: CustomerRef, name?: string | null): string {
  return name?.trim() ? `${name} (${customer.display})` : customer.display;
}

/** What a line about one watched recipe knows of it: its ids, and its names where they could be read. */
export interface NamedRecipe {
  /** CustomerRef.display */
  customer: string;
  recipeId: number;
  recipeName?: string | null;
  customerName?: string | null;
}

/**
 * "*Orders sync* (recipe `28904`) of *Acme Corporation* (`23456`)", each name falling back to its id alone:
 * "recipe `28904` of customer `23456`". The ids stay beside the names, for typing the next command.
 */
export function recipeOfCustomer(recipe: NamedRecipe): string {
  const id = inlineCode(String(recipe.recipeId));
  const named = recipe.recipeName?.trim()
    ? `*${escapeTruncated(recipe.recipeName, 100)}* (recipe ${id})`
    : `recipe ${id}`;
  const customer = recipe.customerName?.trim()
    ? `*${escapeTruncated(recipe.customerName, 60)}* (${inlineCode(recipe.customer)})`
    : `customer ${inlineCode(recipe.customer)}`;
  return `${named} of ${customer}`;
}

/** A channel as Slack shows it, by name and as a link (`<#C0ONCALL>`); anything that is not a channel id as text. */
export function channelMention(channel: string): string {
  return /^[CGD][A-Z0-9]{2,30}$/.test(channel) ? `<#${channel}>` : escapeTruncated(channel, 40);
}

/** "1 job", "3 jobs". */
export function countOf(count: number, noun: string): string {
  return `${count.toLocaleString("en-US")} ${noun}${count === 1 ? "" : "s"}`;
}

// "long" reads "Aug 31st, 2023 9:25:11 AM"; "numeric" reads "2023-08-31 9:25 AM" in 14 fewer characters, which
// adds up in a list of a hundred jobs.
const DATE_TOKENS = {
  long: "{date_short_pretty} {time_secs}",
  numeric: "{date_num} {time}",
} as const;

/**
 * A Slack date token, so each reader sees the time in their own time zone; the fallback (old clients,
 * notifications) is the UTC time written out. Missing → `fallbackIfMissing`; unparsable → the raw text, escaped.
 */
export function slackDate(
  iso: string | null | undefined,
  fallbackIfMissing = MISSING,
  style: keyof typeof DATE_TOKENS = "long",
): string {
  if (iso === null || iso === undefined || iso.trim() === "") return fallbackIfMissing;
  const ms = parseIsoTime(iso);
  if (ms === null) return escapeTruncated(iso, 60);
  const utc = new Date(ms).toISOString();
  const fallback = `${utc.slice(0, 10)} ${utc.slice(11, 16)} UTC`;
  return `<!date^${Math.floor(ms / 1000)}^${DATE_TOKENS[style]}|${fallback}>`;
}

const pad2 = (n: number) => String(n).padStart(2, "0");

/** "0.7 ms", "13.5 ms", "80 ms", "250 ms", "12.3 s", "4 min 05 s", "2 h 03 min". */
export function formatMilliseconds(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return MISSING;
  if (ms === 0) return "0 ms";
  if (ms < 0.05) return "< 0.1 ms";
  if (ms < 100) return `${Number(ms.toFixed(1))} ms`;
  if (ms < 999.5) return `${Math.round(ms)} ms`;
  const tenths = Math.round(ms / 100);
  if (tenths < 600) return `${(tenths / 10).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${pad2(seconds % 60)} s`;
  const minutes = Math.round(ms / 60_000);
  return `${Math.floor(minutes / 60)} h ${pad2(minutes % 60)} min`;
}

/** A time the bot itself keeps (epoch ms) as a Slack date token; `null` (never) → `ifNull`. */
export function slackDateOfMs(ms: number | null, ifNull = MISSING): string {
  return ms === null ? ifNull : slackDate(new Date(ms).toISOString());
}

/** How long a job ran; "running" while it has no completion time. */
export function formatDuration(
  startedIso: string | null | undefined,
  completedIso: string | null | undefined,
): string {
  const started = parseIsoTime(startedIso);
  if (completedIso === null || completedIso === undefined || completedIso.trim() === "") {
    return started === null ? MISSING : "running";
  }
  const completed = parseIsoTime(completedIso);
  if (started === null || completed === null) return MISSING;
  return formatMilliseconds(completed - started);
}

// A Map, not an object literal: statuses are free text, and "toString" must not find Object.prototype.
const KNOWN_STATUS_EMOJI: ReadonlyMap<string, string> = new Map([
  ["succeeded", ICON.succeeded],
  ["failed", ICON.failed],
  ["pending", ICON.running],
]);

/** The emoji alone; for plain_text (headers), where the status can be written out unescaped beside it. */
export function statusShortcode(status: string): string {
  return KNOWN_STATUS_EMOJI.get(status) ?? ":grey_question:";
}

export function isKnownStatus(status: string): boolean {
  return KNOWN_STATUS_EMOJI.has(status);
}

/** mrkdwn: the emoji for a known status; for any other (statuses are free text) the emoji plus the status. */
export function statusEmoji(status: string): string {
  const shortcode = statusShortcode(status);
  return isKnownStatus(status) ? shortcode : `${shortcode} ${escapeTruncated(status, 40)}`;
}
