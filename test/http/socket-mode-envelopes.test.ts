// Socket Mode frames pass the guard HTTP envelopes pass: the real app built for Socket Mode is fed random and hostile
// frames as they would arrive over its WebSocket. Each is acknowledged, none throws where nothing catches it, none
// reaches Workato, and a well-formed command afterwards is still answered.
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fakeServicesEnv } from "../../sim/app-harness.js";
import { type FakeSlack, startFakeSlack } from "../../sim/fake-slack/index.js";
import { freePort } from "../../sim/free-port.js";
import { startWorkatoSimulator, type WorkatoSimulator } from "../../sim/workato-simulator/index.js";
import { createApp, type RunningApp } from "../../src/app.js";
import { loadConfig } from "../../src/config.js";
import { createLogger } from "../../src/logger.js";
import { field, id, responseUrl, shapeless } from "../support/hostile-values.js";

const ALLOWED = "C0NOBODYWRITESHERE";

const blockActions = fc.record(
  {
    type: fc.constant("block_actions"),
    user: field(fc.record({ id: field(id), team_id: field(id) }, { requiredKeys: [] })),
    team: field(fc.record({ id: field(id) }, { requiredKeys: [] })),
    channel: field(fc.record({ id: field(id) }, { requiredKeys: [] })),
    response_url: field(responseUrl),
    actions: field(
      fc.array(
        field(
          fc.record(
            {
              action_id: field(
                fc.constantFrom("job_details:0", "repeat_failed:4", "watch_mute:7", "open_link:1"),
              ),
              type: field(fc.constantFrom("button", "static_select")),
              value: field(fc.string({ maxLength: 60 })),
            },
            { requiredKeys: [] },
          ),
        ),
        { maxLength: 3 },
      ),
    ),
    event: shapeless,
    command: shapeless,
  },
  { requiredKeys: ["type"] },
);
const slashCommand = fc.record(
  {
    command: fc.oneof(fc.constant("/workato-jobs"), fc.string({ maxLength: 20 })),
    text: field(fc.constantFrom("help", "watches", "list", "show x y z", "")),
    user_id: field(id),
    channel_id: field(id),
    team_id: field(id),
    response_url: field(responseUrl),
  },
  { requiredKeys: [] },
);
const eventsApi = fc.record(
  {
    type: field(fc.constantFrom("event_callback", "app_rate_limited")),
    event: field(
      fc.record(
        { type: field(fc.constantFrom("app_home_opened", "app_mention")), user: field(id) },
        { requiredKeys: [] },
      ),
    ),
    authorizations: shapeless,
  },
  { requiredKeys: [] },
);

/** A frame as Slack's socket would carry it, or any text at all. */
const frame = fc.oneof(
  fc
    .record(
      {
        type: field(fc.constantFrom("slash_commands", "interactive", "events_api", "hello", "disconnect")),
        envelope_id: field(fc.uuid()),
        payload: fc.oneof(blockActions, slashCommand, eventsApi, shapeless),
        accepts_response_payload: field(fc.boolean()),
        retry_attempt: field(fc.nat(3)),
      },
      { requiredKeys: [] },
    )
    .map((value) => JSON.stringify(value)),
  fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value) ?? "null"),
  fc.string({ maxLength: 200 }),
);

let sim: WorkatoSimulator;
let slack: FakeSlack;
let running: RunningApp;
const crashes: unknown[] = [];
/** What the app acknowledged, in order: what the WebSocket would have carried back to Slack. */
const acks: { envelopeId: string; response: Record<string, unknown> | undefined }[] = [];

/** The envelope id Slack waits for an acknowledgement of (the client's own hello and disconnect need none). */
function awaitedAck(data: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return null;
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) return null;
  const { envelope_id: id, type } = parsed as { envelope_id?: unknown; type?: unknown };
  if (typeof id !== "string" || id === "" || type === "hello" || type === "disconnect") return null;
  return id;
}
const onCrash = (error: unknown) => crashes.push(error);

beforeAll(async () => {
  sim = await startWorkatoSimulator();
  slack = await startFakeSlack();
  // Only a channel no generated frame uses may see customers: even a frame that happened to be a valid command or
  // click could not reach Workato.
  const policy = join(tmpdir(), `workato-jobs-socket-envelopes-${process.pid}.yml`);
  writeFileSync(policy, `channels:\n  ${ALLOWED}:\n    customers: ["*"]\n`);
  const { SLACK_SIGNING_SECRET: _unused, ...env } = fakeServicesEnv(sim, slack);
  const config = loadConfig({
    ...env,
    SLACK_APP_TOKEN: "xapp-1-test",
    PORT: String(await freePort()),
    SQLITE_PATH: ":memory:",
    ACCESS_POLICY: policy,
  });
  running = await createApp({
    config,
    logger: createLogger("silent"),
    socketAcknowledge: async (envelopeId, response) => {
      acks.push({ envelopeId, response });
    },
  });
  // Bolt's own start-up (auth.test with the bot token); the WebSocket itself is not opened: frames are fed in.
  await running.app.init();
  process.on("unhandledRejection", onCrash);
  process.on("uncaughtException", onCrash);
});
afterAll(async () => {
  process.off("unhandledRejection", onCrash);
  process.off("uncaughtException", onCrash);
  await running?.deps.background.settled();
  await slack?.close();
  await sim?.close();
});

describe("a frame over the Socket Mode connection", () => {
  it("is acknowledged, never throws where nothing catches it, and never reaches Workato, whatever it holds", async () => {
    const socket = running.socketMode;
    if (!socket) throw new Error("the app was not built for Socket Mode");
    const awaited = new Set<string>();
    await fc.assert(
      fc.asyncProperty(frame, async (data) => {
        const id = awaitedAck(data);
        if (id !== null) awaited.add(id);
        await socket.receiveFrame(data);
      }),
      { numRuns: 400 },
    );
    await running.deps.background.settled();
    // Give stray promises a turn to fail, and late acknowledgements a turn to arrive.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(crashes).toEqual([]);
    expect(sim.requests).toEqual([]);
    const acked = new Set(acks.map((ack) => ack.envelopeId));
    expect([...awaited].filter((id) => !acked.has(id))).toEqual([]);
  });

  it.each([
    ["null", "null"],
    ["an events_api envelope without its event", '{"type":"events_api","envelope_id":"e1","payload":{}}'],
    [
      "an events_api envelope whose event is null",
      '{"type":"events_api","envelope_id":"e2","payload":{"event":null}}',
    ],
    [
      "an interactive envelope with a null payload",
      '{"type":"interactive","envelope_id":"e3","payload":null}',
    ],
    [
      "a block_actions with a null user",
      '{"type":"interactive","envelope_id":"e4","payload":{"type":"block_actions","user":null,"actions":[{}]}}',
    ],
  ])("lives through %s, and still answers a well-formed command afterwards", async (_what, data) => {
    const socket = running.socketMode;
    if (!socket) throw new Error("the app was not built for Socket Mode");
    await socket.receiveFrame(data);
    const responseUrl = slack.createResponseUrl({ channel: ALLOWED, user: "U0ALICE" });
    const before = slack.ephemerals(ALLOWED, "U0ALICE").length;
    await socket.receiveFrame(
      JSON.stringify({
        type: "slash_commands",
        envelope_id: `ok-${before}`,
        payload: {
          command: "/workato-jobs",
          text: "watches",
          user_id: "U0ALICE",
          channel_id: ALLOWED,
          team_id: "T0HOME",
          response_url: responseUrl,
        },
      }),
    );
    const answer = await slack.waitFor(() => slack.ephemerals(ALLOWED, "U0ALICE")[before]);
    // Without its WebSocket the app never finished starting (start() reads the installing team), and says so: the
    // command went through the guard, Bolt and the handlers to its answer.
    expect(answer.text).toBe("I am still starting; try again in a moment.");
    expect(acks.map((ack) => ack.envelopeId)).toContain(`ok-${before}`);
    expect(crashes).toEqual([]);
  });
});
