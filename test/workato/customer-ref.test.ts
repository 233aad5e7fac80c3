// Customers are written as managed user IDs or ext:<external id>; anything else is refused before any request.
import { describe, expect, it } from "vitest";
import { parseCustomerRef } from "../../src/workato/customer-ref.js";

describe("parseCustomerRef", () => {
  it("takes a managed user ID as it is", () => {
    expect(parseCustomerRef("23456")).toEqual({
      ok: true,
      ref: { kind: "managed_user_id", id: "23456", display: "23456", pathSegment: "23456" },
    });
  });

  it("prefixes external IDs with E and URL-encodes them", () => {
    const plain = parseCustomerRef("ext:A2300");
    const slashed = parseCustomerRef("ext:acme/eu-1");
    expect(plain.ok && plain.ref.pathSegment).toBe("EA2300");
    expect(slashed.ok && slashed.ref.pathSegment).toBe("Eacme%2Feu-1");
    expect(slashed.ok && slashed.ref.display).toBe("ext:acme/eu-1");
    const tricky = parseCustomerRef("ext:../../admin?x=1#y");
    expect(tricky.ok && tricky.ref.pathSegment).toBe("E..%2F..%2Fadmin%3Fx%3D1%23y");
  });

  it.each([
    "",
    "acme",
    "-5",
    "0",
    "12a",
    "ext:",
    "ext:has space",
    "1".repeat(19),
    `ext:${"x".repeat(256)}`,
    "../1",
  ])("refuses %j with a message naming both accepted forms", (text) => {
    const parsed = parseCustomerRef(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(/customer/);
  });
});
