// fast-check arbitraries for hostile Slack envelopes, shared by the HTTP and Socket Mode guard tests: any JSON value
// where a field should be, ids, and response_urls that lead nowhere.
import fc from "fast-check";

/** Values in place of a field: every JSON type, so Bolt's unchecked reads meet null, numbers, arrays and strings. */
export const shapeless = fc.oneof(
  fc.constant(null),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.string({ maxLength: 30 }),
  fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
);

/** Mostly the good value, sometimes any other. */
export const field = <T>(good: fc.Arbitrary<T>) => fc.oneof({ weight: 3, arbitrary: good }, shapeless);

export const id = fc.oneof(
  fc.constantFrom("U0ALICE", "C0ONCALL", "T0TEAM", ""),
  fc.string({ maxLength: 20 }),
);

/** A response_url nothing listens on: the app may try it, and must not reach anything. */
export const responseUrl = fc.oneof(fc.constant("http://127.0.0.1:9/response"), fc.string({ maxLength: 40 }));
