// Random and hostile envelopes sent to the real app's /slack/events: whatever the body, shape, size or content type,
// a signed request is answered with 2xx/4xx well inside Slack's 3 seconds, the app keeps answering /healthz, and
// Workato is never called; an unsigned or badly signed one gets 401.
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, SIGNING_SECRET, startHarness } from "../../sim/app-harness.js";
import { signSlackRequest } from "../../sim/slack-requests.js";
import { DEFAULT_BODY_LIMIT_BYTES } from "../../src/http/guarded-receiver.js";
import { field, id, responseUrl, shapeless } from "../support/hostile-values.js";

/** "Well inside" Slack's 3 s: what an answer may take even on a busy test machine. */
const ANSWER_WITHIN_MS = 1000;
const FORM = "application/x-www-form-urlencoded";

interface Envelope {
  body: string | Uint8Array;
  contentType: string | undefined;
}

const actionId = fc.oneof(
  fc.constantFrom("job_details:0", "repeat_failed:4", "repeat_confirm", "watch_mute:7", "page_older:5", ""),
  fc.string({ maxLength: 30 }),
);

const action = fc.record(
  {
    action_id: field(actionId),
    type: field(fc.constantFrom("button", "static_select", "overflow")),
    block_id: field(fc.string({ maxLength: 40 })),
    value: field(fc.oneof(fc.string({ maxLength: 60 }), fc.json({ maxDepth: 2 }))),
    selected_option: field(fc.record({ value: field(fc.string({ maxLength: 30 })) })),
  },
  { requiredKeys: [] },
);

const blockActions = fc.record(
  {
    type: fc.constant("block_actions"),
    user: field(fc.record({ id: field(id), team_id: field(id) }, { requiredKeys: [] })),
    team: field(fc.record({ id: field(id) }, { requiredKeys: [] })),
    enterprise: field(fc.record({ id: field(id) }, { requiredKeys: [] })),
    channel: field(fc.record({ id: field(id), name: field(fc.string()) }, { requiredKeys: [] })),
    container: field(
      fc.record(
        {
          type: field(fc.constantFrom("message", "view")),
          channel_id: field(id),
          message_ts: field(fc.string()),
        },
        { requiredKeys: [] },
      ),
    ),
    response_url: field(responseUrl),
    is_enterprise_install: field(fc.boolean()),
    message: field(
      fc.record({ ts: field(fc.string()), blocks: field(fc.array(shapeless, { maxLength: 3 })) }),
    ),
    actions: field(fc.array(field(action), { maxLength: 3 })),
    // Keys that make Bolt route a body as another kind of envelope.
    event: shapeless,
    command: shapeless,
    name: shapeless,
    function_data: shapeless,
  },
  { requiredKeys: ["type"] },
);

const INTERACTION_TYPES = [
  "view_submission",
  "view_closed",
  "shortcut",
  "message_action",
  "block_suggestion",
  "interactive_message",
  "dialog_submission",
  "event_callback",
  "url_verification",
  "app_rate_limited",
];
const otherEnvelope = fc.record(
  {
    type: field(fc.oneof(fc.constantFrom(...INTERACTION_TYPES), fc.string({ maxLength: 20 }))),
    user: field(fc.record({ id: field(id) }, { requiredKeys: [] })),
    view: shapeless,
    event: shapeless,
    challenge: shapeless,
    actions: field(fc.array(shapeless, { maxLength: 2 })),
    callback_id: shapeless,
  },
  { requiredKeys: [] },
);

/** Anything at all where an object should be: the values that crash Bolt's HTTPReceiver. */
const payloadValue = fc.oneof(blockActions, otherEnvelope, shapeless, fc.jsonValue({ maxDepth: 3 }));

// Command texts that could make the app call Workato are left out: even garbage there must not.
const commandText = fc
  .oneof(
    fc.string({ maxLength: 80 }),
    fc.constantFrom("help", "list", "show x y z", "repeat", "watches", "list 1 x"),
  )
  .filter((text) => !/^\s*(list|show|repeat|history|watch|unwatch)\s+\S+\s+\d/i.test(text));

const slashCommandForm = fc
  .record(
    {
      command: fc.oneof(fc.constant("/workato-jobs"), fc.string({ maxLength: 20 })),
      text: commandText,
      user_id: id,
      channel_id: id,
      team_id: id,
      response_url: responseUrl,
      trigger_id: fc.string({ maxLength: 20 }),
      payload: fc.string({ maxLength: 20 }),
      extra: fc.string({ maxLength: 20 }),
    },
    { requiredKeys: [] },
  )
  .chain((fields) =>
    // Sometimes a field is sent twice, which querystring reads as an array.
    fc.subarray(Object.keys(fields)).map((twice) => {
      const form = new URLSearchParams();
      for (const [key, value] of Object.entries(fields)) {
        form.append(key, value);
        if (twice.includes(key)) form.append(key, value);
      }
      return form.toString();
    }),
  );

const contentType = fc.constantFrom(
  FORM,
  "application/json",
  `${FORM}; charset=utf-8`,
  "text/plain",
  "multipart/form-data; boundary=x",
  "",
  undefined,
);
/** The content type that fits the body most of the time, any other now and then. */
const withContentType = (body: fc.Arbitrary<string | Uint8Array>, fitting: string) =>
  fc.record({ body, contentType: fc.oneof({ weight: 4, arbitrary: fc.constant(fitting) }, contentType) });

const envelope: fc.Arbitrary<Envelope> = fc.oneof(
  withContentType(
    payloadValue.map((value) => `payload=${encodeURIComponent(JSON.stringify(value) ?? "null")}`),
    FORM,
  ),
  withContentType(
    fc.string({ maxLength: 200 }).map((text) => `payload=${encodeURIComponent(text)}`),
    FORM,
  ),
  withContentType(slashCommandForm, FORM),
  withContentType(
    payloadValue.map((value) => JSON.stringify(value) ?? "null"),
    "application/json",
  ),
  withContentType(fc.uint8Array({ maxLength: 400 }), "application/octet-stream"),
  withContentType(fc.string({ maxLength: 400 }), FORM),
);

const asText = (body: string | Uint8Array) =>
  typeof body === "string" ? body : Buffer.from(body).toString("utf8");

async function post(harness: Harness, envelope: Envelope, headers: Record<string, string>) {
  const started = performance.now();
  const response = await fetch(`${harness.appUrl}/slack/events`, {
    method: "POST",
    headers: {
      ...(envelope.contentType !== undefined ? { "content-type": envelope.contentType } : {}),
      ...headers,
    },
    body: envelope.body,
    signal: AbortSignal.timeout(5000),
  });
  await response.arrayBuffer();
  return { status: response.status, ms: performance.now() - started };
}

/** Signed as Slack signs: over the body as the app will read it. */
const signed = (harness: Harness, envelope: Envelope) =>
  post(harness, envelope, signSlackRequest(SIGNING_SECRET, asText(envelope.body)));

async function healthz(harness: Harness): Promise<number> {
  return (await fetch(`${harness.appUrl}/healthz`)).status;
}

const isAnswer = (status: number) => (status >= 200 && status < 300) || (status >= 400 && status < 500);

let harness: Harness;
beforeAll(async () => {
  // A channel no generated request uses is the only one allowed: even an envelope that happened to be a valid
  // command or button could not reach Workato.
  const policy = join(tmpdir(), `workato-jobs-hostile-envelopes-${process.pid}.yml`);
  writeFileSync(policy, `channels:\n  C0NOBODYWRITESHERE:\n    customers: ["*"]\n`);
  harness = await startHarness({ env: { ACCESS_POLICY: policy, LOG_LEVEL: "warn" } });
});
afterAll(async () => {
  await harness?.close();
});

describe("a signed request with any body", () => {
  it("is answered with 2xx/4xx within a second, keeps the app serving, and calls Workato for none", async () => {
    await fc.assert(
      fc.asyncProperty(envelope, async (sent) => {
        const answer = await signed(harness, sent);
        expect(isAnswer(answer.status), `status ${answer.status}`).toBe(true);
        expect(answer.ms).toBeLessThan(ANSWER_WITHIN_MS);
      }),
      { numRuns: 400 },
    );
    expect(await healthz(harness)).toBe(200);
    await harness.app.deps.background.settled();
    expect(harness.sim.requests).toEqual([]);
  });

  it.each([
    ["payload=1", "payload=1", 400],
    ["payload=null", "payload=null", 400],
    ['payload="x"', `payload=${encodeURIComponent('"x"')}`, 400],
    ["payload=[]", `payload=${encodeURIComponent("[]")}`, 400],
    [
      "a block_actions without actions",
      `payload=${encodeURIComponent(JSON.stringify({ type: "block_actions", user: { id: "U0ALICE" } }))}`,
      400,
    ],
    ["an interaction type Slack never sends", `payload=${encodeURIComponent('{"type":"nonsense"}')}`, 400],
    [
      "a view_submission without a usable view (the Resolve dialog always has one)",
      `payload=${encodeURIComponent(JSON.stringify({ type: "view_submission", user: { id: "U0ALICE" }, view: {} }))}`,
      400,
    ],
    [
      "a shortcut (none declared)",
      `payload=${encodeURIComponent(JSON.stringify({ type: "shortcut", callback_id: "x", user: { id: "U0ALICE" } }))}`,
      200,
    ],
  ])("answers %s at once with HTTP %i", async (_what, body, status) => {
    const answer = await signed(harness, { body, contentType: FORM });
    expect(answer.status).toBe(status);
    expect(answer.ms).toBeLessThan(ANSWER_WITHIN_MS);
    expect(await healthz(harness)).toBe(200);
  });

  it.each(["customers", "recipes acme", "list acme 28904"])(
    "reads no customer list from Workato for %j typed in a channel that may see no customer",
    async (text) => {
      const form = new URLSearchParams({
        command: "/workato-jobs",
        text,
        user_id: "U0ALICE",
        channel_id: "C0NOTLISTED",
        team_id: "T0HOME",
        response_url: "http://127.0.0.1:9/response",
      });
      const answer = await signed(harness, { body: form.toString(), contentType: FORM });
      expect(answer.status).toBe(200);
      await harness.app.deps.background.settled();
      expect(harness.sim.requests).toEqual([]);
    },
  );

  it("answers the Events API's url_verification with its challenge and an event callback with 200", async () => {
    const challenge = JSON.stringify({ type: "url_verification", challenge: "c-123" });
    const verified = await fetch(`${harness.appUrl}/slack/events`, {
      method: "POST",
      headers: { "content-type": "application/json", ...signSlackRequest(SIGNING_SECRET, challenge) },
      body: challenge,
    });
    expect(await verified.json()).toEqual({ challenge: "c-123" });
    const event = await signed(harness, {
      body: JSON.stringify({ type: "event_callback", event: { type: "app_mention" } }),
      contentType: "application/json",
    });
    expect(event.status).toBe(200);
  });

  it("refuses a body over the size cap with 413, and takes a big real-sized click", async () => {
    const huge = `payload=${"x".repeat(DEFAULT_BODY_LIMIT_BYTES + 1)}`;
    const refused = await signed(harness, { body: huge, contentType: FORM });
    expect(refused.status).toBe(413);
    const bigMessage = {
      type: "block_actions",
      user: { id: "U0ALICE", team_id: "T0TEAM" },
      team: { id: "T0TEAM" },
      channel: { id: "C0ONCALL" },
      response_url: "http://127.0.0.1:9/response",
      message: {
        ts: "1.000001",
        blocks: Array.from({ length: 50 }, () => ({ type: "section", text: "y".repeat(3000) })),
      },
      actions: [{ type: "button", action_id: "totally_unknown", block_id: "b", value: "v" }],
    };
    const taken = await signed(harness, {
      body: `payload=${encodeURIComponent(JSON.stringify(bigMessage))}`,
      contentType: FORM,
    });
    expect(taken.status).toBe(200);
    expect(taken.ms).toBeLessThan(ANSWER_WITHIN_MS);
  });
});

describe("an unsigned or badly signed request", () => {
  const badSignature = fc.constantFrom("none", "other secret", "stale", "other body", "garbage header");

  it("gets 401 and does nothing, whatever its body", async () => {
    const commandsBefore = harness.slack.calls.length;
    await fc.assert(
      fc.asyncProperty(envelope, badSignature, async (sent, how) => {
        const text = asText(sent.body);
        const nowSeconds = Math.floor(Date.now() / 1000);
        const headers: Record<string, string> =
          how === "none"
            ? {}
            : how === "other secret"
              ? signSlackRequest("not-the-signing-secret", text)
              : how === "stale"
                ? signSlackRequest(SIGNING_SECRET, text, nowSeconds - 600)
                : how === "other body"
                  ? signSlackRequest(SIGNING_SECRET, `${text}x`)
                  : { "x-slack-signature": "v0=zz", "x-slack-request-timestamp": "soon" };
        const answer = await post(harness, sent, headers);
        expect(answer.status).toBe(401);
      }),
      { numRuns: 200 },
    );
    await harness.app.deps.background.settled();
    expect(harness.slack.calls.length).toBe(commandsBefore);
    expect(harness.sim.requests).toEqual([]);
  });

  it("gets Slack's unsigned ssl_check answered with 200, and anything smuggled with it ignored", async () => {
    const body = `ssl_check=1&payload=${encodeURIComponent(JSON.stringify({ type: "block_actions", actions: [{}] }))}`;
    const answer = await post(harness, { body, contentType: FORM }, {});
    expect(answer.status).toBe(200);
  });
});
