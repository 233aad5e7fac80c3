// `<customer>` as typed → the customer: an id, ext:<id> or policy alias as before, else a name or unique name prefix
// looked up in a directory snapshot among the customers this channel may see. Pure and synchronous, so the command
// grammar can use it; the caller decides when the snapshot is fresh enough (see customer-directory.ts).
import { type CustomerRef, type CustomerRefParse, parseCustomerRef } from "../workato/customer-ref.js";
import type { Customer } from "../workato/schemas.js";
import type { DirectorySnapshot } from "./customer-directory.js";
import { matchName } from "./customer-names.js";

/** `byName`: the text was taken as a name, so the answer depends on the directory and on what the channel may see. */
export type CustomerLookup = { ok: true; ref: CustomerRef } | { ok: false; message: string; byName?: true };

export type ResolveCustomer = (text: string) => CustomerLookup;

/** A customer of the directory, with the reference this channel may use for it. */
export interface VisibleCustomer {
  name: string;
  ref: CustomerRef;
  customer: Customer;
}

export interface CustomerLookupInput {
  /** the policy's aliases (identity without a policy) */
  resolveAlias: (text: string) => string;
  /** whether the channel may see this customer, by the policy alone */
  maySee: (customer: CustomerRef) => boolean;
  snapshot: DirectorySnapshot;
}

const MAX_CHOICES = 8;
// Text that starts like an id is read as one, so its own problem ("ext: is empty") is what people see.
const LOOKS_LIKE_AN_ID = /^(\d|ext:)/i;

/** The directory's customers this channel may see, each under the id form the policy allows it by. */
export function visibleCustomers(
  snapshot: DirectorySnapshot,
  maySee: (customer: CustomerRef) => boolean,
): VisibleCustomer[] {
  return snapshot.customers.flatMap((customer) => {
    const byId = parseCustomerRef(String(customer.id));
    const byExternalId = customer.externalId !== null ? parseCustomerRef(`ext:${customer.externalId}`) : null;
    for (const parsed of [byId, byExternalId]) {
      if (parsed?.ok && maySee(parsed.ref)) return [{ name: customer.name, ref: parsed.ref, customer }];
    }
    return [];
  });
}

export function createCustomerResolver(input: CustomerLookupInput): ResolveCustomer {
  return (text) => {
    const parsed: CustomerRefParse = parseCustomerRef(input.resolveAlias(text));
    if (parsed.ok || LOOKS_LIKE_AN_ID.test(text)) return parsed;
    return lookUpName(text, input);
  };
}

/** "Acme EU (23456)" */
export function customerChoice(customer: { name: string; ref: CustomerRef }): string {
  return `${customer.name} (${customer.ref.display})`;
}

function lookUpName(text: string, input: CustomerLookupInput): CustomerLookup {
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  const visible = visibleCustomers(input.snapshot, input.maySee);
  const match = matchName(text, visible);
  if (match.kind === "one") return { ok: true, ref: match.customer.ref };
  if (match.kind === "many") {
    const choices = match.customers.slice(0, MAX_CHOICES).map(customerChoice);
    const more =
      match.customers.length > MAX_CHOICES ? `, and ${match.customers.length - MAX_CHOICES} more` : "";
    return {
      ok: false,
      byName: true,
      message: `"${shown}" fits ${match.customers.length} customers: ${choices.join(", ")}${more}. Type more of the name, or the id.`,
    };
  }
  if (input.snapshot.loadedAt === null && input.snapshot.problem !== null) {
    return {
      ok: false,
      byName: true,
      message: `Customer names need Workato's list of customers, and it could not be read. ${input.snapshot.problem} Meanwhile use the customer's id (digits) or ext:<external id>.`,
    };
  }
  const closest = match.closest[0];
  const suggestion = closest ? ` Did you mean ${customerChoice(closest)}?` : "";
  return {
    ok: false,
    byName: true,
    message: `No customer this channel may see is named "${shown}" or has a name starting with it.${suggestion} "/workato-jobs customers" lists them; an id (digits) or ext:<external id> works too.`,
  };
}
