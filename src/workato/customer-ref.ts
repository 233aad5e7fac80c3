// A customer (a Workato Embedded managed user) as people write it in Slack, and as the Jobs API wants it in a path.

/** A customer reference that has already been checked; only `parseCustomerRef` makes one. */
export interface CustomerRef {
  readonly kind: "managed_user_id" | "external_id";
  /** the ID without any prefix: "23456" or "acme/eu-1" */
  readonly id: string;
  /** how people write it, and how the bot shows it back: "23456" or "ext:acme/eu-1" */
  readonly display: string;
  /** the :managed_user_id path segment, already encoded: "23456" or "Eacme%2Feu-1" */
  readonly pathSegment: string;
}

export type CustomerRefParse = { ok: true; ref: CustomerRef } | { ok: false; message: string };

export const CUSTOMER_REF_USAGE =
  "a managed user ID (digits, e.g. 23456) or an external ID written ext:<id> (e.g. ext:A2300)";

const EXTERNAL_PREFIX = "ext:";
const MAX_EXTERNAL_ID_LENGTH = 255;
// Managed user IDs are positive integers; 18 digits keeps them well inside what Workato issues.
const MANAGED_USER_ID = /^[1-9]\d{0,17}$/;
// Whitespace and control characters cannot come from a Slack command argument legitimately, and would
// make a confusing path segment even once encoded.
const UNPRINTABLE = /[\s\p{Cc}\p{Cf}]/u;

export function parseCustomerRef(text: string): CustomerRefParse {
  if (MANAGED_USER_ID.test(text)) {
    return { ok: true, ref: { kind: "managed_user_id", id: text, display: text, pathSegment: text } };
  }
  if (text.toLowerCase().startsWith(EXTERNAL_PREFIX)) {
    const id = text.slice(EXTERNAL_PREFIX.length);
    if (id === "") return invalid(text, "the external ID after ext: is empty");
    if (id.length > MAX_EXTERNAL_ID_LENGTH) {
      return invalid(text, `external IDs are at most ${MAX_EXTERNAL_ID_LENGTH} characters`);
    }
    if (UNPRINTABLE.test(id))
      return invalid(text, "external IDs cannot contain spaces or control characters");
    return {
      ok: true,
      ref: {
        kind: "external_id",
        id,
        display: `${EXTERNAL_PREFIX}${id}`,
        // Workato's rule: external IDs are URL-encoded and prefixed with E (EA2300). Encoding "/" keeps
        // an ID like "acme/eu-1" a single path segment instead of a path trick.
        pathSegment: `E${encodeURIComponent(id)}`,
      },
    };
  }
  return invalid(text, `expected ${CUSTOMER_REF_USAGE}`);
}

function invalid(text: string, why: string): CustomerRefParse {
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return { ok: false, message: `"${shown}" is not a customer: ${why}.` };
}
