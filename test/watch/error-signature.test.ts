// Error signatures: failures that differ only in ids, numbers, dates and quoted values are one kind of error.
import { describe, expect, it } from "vitest";
import { DEFAULT_FAILURE_MESSAGE } from "../../sim/workato-simulator/job-defaults.js";
import { errorSignature, NO_ERROR_TEXT, normaliseError } from "../../src/watch/error-signature.js";

const same = (a: string | null, b: string | null) =>
  errorSignature(a).signature === errorSignature(b).signature;

describe("error signatures", () => {
  it("group failures that differ only in job ids, numbers and timestamps", () => {
    expect(
      same(
        "Timeout after 30000 ms calling j-AJMfQh8c-hsCXcs at 2023-08-31T02:25:11.000-07:00",
        "Timeout after 45012 ms calling j-BK9nR5ft-xeAEXN at 2024-01-02T13:00:59Z",
      ),
    ).toBe(true);
    expect(
      same("Row 12 of 400 rejected on 31/08/2023 at 02:25", "Row 7 of 5 rejected on 1/9/2023 at 14:03:59"),
    ).toBe(true);
  });

  it("group failures that differ in UUIDs, hex ids, emails, record ids and quoted values", () => {
    expect(
      same(
        "Request 3f2b8c1e-9a4d-4e5f-8b6a-1c2d3e4f5a6b failed (trace 0xdeadbeef, hash 9f86d081884c7d65) for jane@acme.com: Account 0015800000AbCdEAAV has invalid value 'Acme Corp'",
        'Request 00000000-1111-2222-3333-444444444444 failed (trace 0x1f, hash 2c26b46b68ffc68f) for bob.smith+ops@globex.co.uk: Account 001580000099ZzYAAU has invalid value "Globex GmbH"',
      ),
    ).toBe(true);
  });

  it("keep different kinds of error apart", () => {
    expect(
      same("NetSuite: Upsert customer failed: 400 Bad Request", "NetSuite: Upsert customer failed: timeout"),
    ).toBe(false);
    expect(same("Salesforce: INVALID_SESSION_ID", "Salesforce: INVALID_FIELD")).toBe(false);
    expect(
      same(
        "Call to https://api.acme.com/v1/accounts/12 failed",
        "Call to https://api.globex.com/v1/accounts/12 failed",
      ),
    ).toBe(false);
  });

  it("are short, stable hex strings", () => {
    const { signature } = errorSignature(DEFAULT_FAILURE_MESSAGE);
    expect(signature).toMatch(/^[0-9a-f]{12}$/);
    expect(errorSignature(DEFAULT_FAILURE_MESSAGE).signature).toBe(signature);
    // Pinned: a change to the normalisation regroups every open alert and mute, so it should be a visible decision.
    expect(signature).toBe("9fe9bd9f1c9d");
  });

  it("show the error's first line as Workato wrote it", () => {
    expect(errorSignature(DEFAULT_FAILURE_MESSAGE).firstLine).toBe(
      "NetSuite: Upsert customer failed: 400 Bad Request",
    );
    expect(errorSignature("\n\n   Only line 42  \n").firstLine).toBe("Only line 42");
  });

  it("put jobs without an error text in a kind of their own", () => {
    expect(errorSignature(null)).toEqual(errorSignature("   "));
    expect(errorSignature(null).firstLine).toBe(NO_ERROR_TEXT);
    expect(same(null, "Something failed")).toBe(false);
  });

  it("read only the start of a huge error, quickly", () => {
    const huge = `Payload rejected: ${"x".repeat(200_000)}`;
    const started = performance.now();
    expect(errorSignature(huge).signature).toBe(errorSignature(`${huge}tail that differs`).signature);
    expect(performance.now() - started).toBeLessThan(100);
    expect(normaliseError("  a \n\t b  ")).toBe("a b");
  });
});
