// <customer> as typed → a customer: ids and aliases as before, names and unique prefixes among what the channel may see.
import { describe, expect, it } from "vitest";
import type { DirectorySnapshot } from "../../src/customers/customer-directory.js";
import { createCustomerResolver } from "../../src/customers/customer-lookup.js";
import { matchName, nameKey } from "../../src/customers/customer-names.js";
import type { CustomerRef } from "../../src/workato/customer-ref.js";

const snapshot: DirectorySnapshot = {
  loadedAt: 1,
  problem: null,
  customers: [
    { id: 40001, externalId: "acme-eu", name: "Acme EU" },
    { id: 40002, externalId: null, name: "Acme US" },
    { id: 40003, externalId: "GLOBEX-1", name: "Globex" },
    { id: 40004, externalId: null, name: "Acme" },
    { id: 40005, externalId: null, name: "Société Générale" },
  ],
};

function resolver(
  maySee: (customer: CustomerRef) => boolean = () => true,
  aliases: Record<string, string> = {},
) {
  return createCustomerResolver({ resolveAlias: (text) => aliases[text] ?? text, maySee, snapshot });
}

describe("customer names", () => {
  it("ignores case, spaces, punctuation and accents", () => {
    expect(nameKey("  Société-Générale ")).toBe("societegenerale");
    expect(matchName("SOCIETE_generale", snapshot.customers)).toMatchObject({
      kind: "one",
      customer: { id: 40005 },
    });
  });

  it("prefers a whole name over the names it starts", () => {
    expect(matchName("acme", snapshot.customers)).toMatchObject({ kind: "one", customer: { id: 40004 } });
    expect(matchName("acme-", snapshot.customers)).toMatchObject({ kind: "one", customer: { id: 40004 } });
    expect(matchName("acmeu", snapshot.customers)).toMatchObject({ kind: "one", customer: { id: 40002 } });
  });
});

describe("createCustomerResolver", () => {
  it("reads ids, ext: ids and aliases without the directory", () => {
    const resolve = resolver(undefined, { eu: "ext:acme-eu" });
    expect(resolve("23456")).toMatchObject({ ok: true, ref: { display: "23456" } });
    expect(resolve("ext:acme-eu")).toMatchObject({ ok: true, ref: { kind: "external_id" } });
    expect(resolve("eu")).toMatchObject({ ok: true, ref: { display: "ext:acme-eu" } });
    // Text that starts like an id is an id with a problem, not a name.
    expect(resolve("0123")).toMatchObject({ ok: false, message: expect.stringContaining("not a customer") });
    expect(resolve("0123")).not.toHaveProperty("byName");
  });

  it("finds a unique name or prefix, and lists the choices of an ambiguous one", () => {
    const resolve = resolver();
    expect(resolve("globex")).toMatchObject({ ok: true, ref: { display: "40003" } });
    expect(resolve("Glo")).toMatchObject({ ok: true, ref: { display: "40003" } });
    expect(resolve("acme-e")).toMatchObject({ ok: true, ref: { display: "40001" } });
    const ambiguous = resolve("ac");
    expect(ambiguous).toMatchObject({ ok: false, byName: true });
    expect(ambiguous.ok ? "" : ambiguous.message).toContain(
      "fits 3 customers: Acme EU (40001), Acme US (40002), Acme (40004)",
    );
  });

  it("never finds, offers or suggests a customer the channel may not see, and uses the id form it may see", () => {
    const onlyEu = (customer: CustomerRef) => customer.display === "ext:acme-eu";
    const resolve = resolver(onlyEu);
    expect(resolve("ac")).toMatchObject({ ok: true, ref: { display: "ext:acme-eu" } });
    for (const text of ["globex", "glbex", "acme-us"]) {
      const answer = resolve(text);
      expect(answer).toMatchObject({ ok: false, byName: true });
      const message = answer.ok ? "" : answer.message;
      expect(message).toContain("No customer this channel may see");
      for (const hidden of ["Globex", "Acme US", "Acme (", "Société"]) expect(message).not.toContain(hidden);
    }
  });

  it("suggests a name one typo away", () => {
    const answer = resolver()("globx");
    expect(answer.ok ? "" : answer.message).toContain("Did you mean Globex (40003)?");
  });

  it("says names cannot work while Workato's customer list cannot be read", () => {
    const resolve = createCustomerResolver({
      resolveAlias: (text) => text,
      maySee: () => true,
      snapshot: {
        customers: [],
        loadedAt: null,
        problem: "Could not finish reading Workato's list of customers.",
      },
    });
    const answer = resolve("globex");
    expect(answer.ok ? "" : answer.message).toMatch(/could not be read.*use the customer's id/);
  });
});
