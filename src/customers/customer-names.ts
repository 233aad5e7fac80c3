// Finding a customer by the name people type: the whole name or a unique prefix, any case, spaces and punctuation
// ignored (so "acme-eu" and "AcmeEU" both find "Acme EU", and a name fits in one command word). Pure.
import { editDistance } from "../edit-distance.js";

/** A customer as the search sees it: anything with a name. */
export interface Named {
  readonly name: string;
}

export type NameMatch<T extends Named> =
  | { kind: "one"; customer: T }
  | { kind: "many"; customers: T[] }
  /** `closest`: names a typo away, for "did you mean" */
  | { kind: "none"; closest: T[] };

/** What two spellings of one name share: lower case, no accents, letters and digits only. */
export function nameKey(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, "");
}

/** A typo is at most this many edits, and only counts in a name of at least 4 letters. */
const MAX_TYPO_EDITS = 2;

export function matchName<T extends Named>(text: string, customers: readonly T[]): NameMatch<T> {
  const key = nameKey(text);
  if (key === "") return { kind: "none", closest: [] };
  const keyed = customers.map((customer) => ({ customer, key: nameKey(customer.name) }));
  const exact = keyed.filter((entry) => entry.key === key);
  // A whole name wins over names it is the start of: "Acme" is Acme, not Acme EU.
  const found = exact.length > 0 ? exact : keyed.filter((entry) => entry.key.startsWith(key));
  const [first, ...rest] = found;
  if (first && rest.length === 0) return { kind: "one", customer: first.customer };
  if (first) return { kind: "many", customers: found.map((entry) => entry.customer) };
  if (key.length < 4) return { kind: "none", closest: [] };
  const closest = keyed
    // A typo in a prefix counts too: "acmr" is one edit from the start of "acmeeu".
    .map((entry) => ({
      ...entry,
      distance: Math.min(editDistance(key, entry.key), editDistance(key, entry.key.slice(0, key.length))),
    }))
    .filter((entry) => entry.distance <= MAX_TYPO_EDITS)
    .sort((a, b) => a.distance - b.distance)
    .map((entry) => entry.customer);
  return { kind: "none", closest };
}
