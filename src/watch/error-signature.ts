// Error signatures: a job's error text with its variable parts (ids, numbers, dates, emails, quoted values) blanked
// out and hashed, so failures that differ only in those parts are counted and alerted as one kind of error.
import { createHash } from "node:crypto";

export interface ErrorSignature {
  /** 12 hex characters, stable across processes and versions of Node */
  signature: string;
  /** the first non-blank line of the error as Workato wrote it (not normalised), for people to read */
  firstLine: string;
}

/** What a job without an error text is grouped under, and shown as. */
export const NO_ERROR_TEXT = "(Workato gave no error message)";

// Errors can carry whole payloads; the part that tells kinds of error apart is at the start.
const MAX_NORMALISED_INPUT = 4000;
const SIGNATURE_LENGTH = 12;

// Order matters: the wider patterns go first, so an email's digits or a UUID's hex runs are not blanked separately
// (leaving shapes that differ from one occurrence to the next).
const RULES: readonly (readonly [RegExp, string])[] = [
  // URLs keep their host (which system failed is part of the kind of error), not their path or query.
  [/\b(https?:\/\/[^\s/?#"'<>]+)[^\s"'<>]*/gi, "$1/…"],
  [/\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b/g, "<email>"],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, "<uuid>"],
  // 2023-08-31T02:25:11.000-07:00, 2023-08-31 02:25:11Z, 2023-08-31
  [
    /\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:\s?(?:Z|UTC|[+-]\d{2}:?\d{2}))?)?\b/gi,
    "<time>",
  ],
  // 31/08/2023, 08/31/23, 31.08.2023
  [/\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b/g, "<time>"],
  // 02:25, 02:25:11.123
  [/\b\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\b/g, "<time>"],
  // Workato job ids: j-AJMfQh8c-hsCXcs
  [/\bj-[A-Za-z0-9_-]+/g, "<job>"],
  // Quoted values: 'foo', "foo", `foo`, “foo” (short, on one line; a quoted paragraph is left as text)
  [/'[^'\n]{1,200}'|"[^"\n]{1,200}"|`[^`\n]{1,200}`|“[^”\n]{1,200}”/g, "<value>"],
  [/\b0x[0-9a-f]+\b/gi, "<hex>"],
  // Hex runs (hashes, request ids) of 8+ characters holding at least one digit
  [/\b(?=[0-9a-f]*\d)[0-9a-f]{8,}\b/gi, "<hex>"],
  // Record ids that mix letters and digits, e.g. Salesforce's 0015800000AbCdEAAV
  [/\b(?=[A-Za-z0-9]*\d)(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{10,}\b/g, "<id>"],
  [/\d+(?:[.,]\d+)*/g, "<n>"],
];

/** The error text with its variable parts replaced by placeholders and its spacing collapsed. */
export function normaliseError(error: string): string {
  let text = error.slice(0, MAX_NORMALISED_INPUT);
  for (const [pattern, replacement] of RULES) text = text.replace(pattern, replacement);
  return text.replace(/\s+/g, " ").trim();
}

export function errorSignature(error: string | null): ErrorSignature {
  const text = error === null || error.trim() === "" ? NO_ERROR_TEXT : error;
  const normalised = normaliseError(text);
  const signature = createHash("sha256").update(normalised).digest("hex").slice(0, SIGNATURE_LENGTH);
  return { signature, firstLine: firstLineOf(text) };
}

/** Workato errors usually put the useful sentence first and a trace after it. */
function firstLineOf(text: string): string {
  for (const line of text.split(/\r\n|\r|\n/)) {
    const trimmed = line.trim();
    if (trimmed !== "") return trimmed;
  }
  return NO_ERROR_TEXT;
}
