// Customer references for tests, parsed the way the app parses typed input.
import { type CustomerRef, parseCustomerRef } from "../../src/workato/customer-ref.js";

export function customerRef(text: string): CustomerRef {
  const parsed = parseCustomerRef(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.ref;
}
