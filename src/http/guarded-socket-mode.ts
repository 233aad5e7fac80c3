// Bolt's SocketModeReceiver behind the same guard as HTTP (slack-envelope.ts): every frame from the WebSocket is
// parsed and checked before the Socket Mode client reads it (it reads `payload.event.type` unchecked), and every
// envelope goes on to Bolt only when a listener handles its shape; the rest are acknowledged at once and logged.
// A malformed frame can neither throw where nothing catches it nor be redelivered by Slack for want of an ack.
import { type App, type CustomRoute, type Receiver, SocketModeReceiver } from "@slack/bolt";
import type { Logger } from "pino";
import { boltLogger } from "../logger.js";
import { classifyEnvelope } from "./slack-envelope.js";

export interface GuardedSocketModeOptions {
  appToken: string;
  customRoutes: CustomRoute[];
  /** where /healthz and /metrics are served */
  port: number;
  /** the slash commands a listener is registered for; others are answered by the guard */
  slashCommands: readonly string[];
  logger: Logger;
  /**
   * Where acknowledgements go instead of the WebSocket: for tests that feed frames without a socket (see
   * receiveFrame). Production leaves it out, and the Socket Mode client sends them.
   */
  acknowledge?: (envelopeId: string, response?: Record<string, unknown>) => Promise<void>;
}

export interface GuardedSocketModeReceiver extends Receiver {
  /** One frame as it arrives over the WebSocket (text), through the guard: what Slack's socket delivers. */
  receiveFrame(data: string): Promise<void>;
}

/** What the Socket Mode client emits to Bolt for each envelope (@slack/socket-mode's `slack_event`). */
interface SlackEventArgs {
  ack: (response?: Record<string, unknown>) => Promise<void>;
  envelope_id?: unknown;
  type?: unknown;
  body?: unknown;
}

/** Frame types that carry an envelope in `payload` (the rest, such as hello and disconnect, are the client's own). */
const ENVELOPE_TYPES = new Set(["slash_commands", "interactive", "events_api"]);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Why a parsed frame must not reach the client, or null when its shape is one the client reads safely. */
function frameProblem(frame: unknown): string | null {
  if (!isPlainObject(frame)) return "a frame that is not a JSON object";
  if (typeof frame.type !== "string") return "a frame without a type";
  if (!ENVELOPE_TYPES.has(frame.type)) return null;
  if (typeof frame.envelope_id !== "string" || frame.envelope_id === "") return "an envelope without its id";
  if (!isPlainObject(frame.payload)) return "an envelope whose payload is not an object";
  if (
    frame.type === "events_api" &&
    !(isPlainObject(frame.payload.event) && typeof frame.payload.event.type === "string")
  )
    return "an events_api envelope without an event type";
  return null;
}

type Listener = (...args: unknown[]) => unknown;

export function createGuardedSocketModeReceiver(
  options: GuardedSocketModeOptions,
): GuardedSocketModeReceiver {
  const log = options.logger.child({ component: "socket-guard" });
  const bolt = new SocketModeReceiver({
    appToken: options.appToken,
    customRoutes: options.customRoutes,
    installerOptions: { port: options.port },
    logger: boltLogger(options.logger),
  });
  const { client } = bolt;
  // The client's own frame reader and Bolt's envelope listener, both registered in their constructors: each now
  // only gets what the guard lets through.
  const [clientReadFrame] = client.listeners("ws_message") as Listener[];
  const [boltListener] = client.listeners("slack_event") as Listener[];
  if (!clientReadFrame || !boltListener)
    throw new Error("@slack/socket-mode changed: no frame or event listener to guard");
  const readFrame = clientReadFrame;
  const toBolt = boltListener;
  client.removeAllListeners("ws_message");
  client.removeAllListeners("slack_event");

  /** Acknowledges an envelope the guard answers itself; a failed ack is only logged (the socket may be gone). */
  async function ackWith(ack: SlackEventArgs["ack"] | undefined, response?: Record<string, unknown>) {
    if (!ack) return;
    await ack(response).catch((error: unknown) =>
      log.warn({ err: error }, "could not acknowledge an envelope"),
    );
  }

  async function receiveFrame(data: string): Promise<void> {
    let frame: unknown;
    try {
      frame = JSON.parse(data);
    } catch {
      log.warn({ length: data.length }, "frame refused: not JSON");
      return;
    }
    const problem = frameProblem(frame);
    if (problem === null) {
      await readFrame.call(client, data, false);
      return;
    }
    log.warn({ reason: problem }, "frame refused: not an envelope Slack sends");
    // One that names its envelope is still acknowledged, so Slack does not send it again: as an empty envelope,
    // which the client acks through its own path once the envelope guard below has refused it.
    const id = isPlainObject(frame) ? frame.envelope_id : undefined;
    if (typeof id === "string" && id !== "")
      await readFrame.call(
        client,
        JSON.stringify({ type: "interactive", envelope_id: id, payload: {} }),
        false,
      );
  }

  async function guardEnvelope(args: SlackEventArgs): Promise<void> {
    const verdict = classifyEnvelope(args.body, options.slashCommands);
    switch (verdict.action) {
      case "dispatch":
        await toBolt.call(client, args);
        return;
      case "url_verification":
        // The Events API's URL check never comes over a socket; acknowledged like any envelope nobody handles.
        await ackWith(args.ack);
        return;
      case "answer":
        if (verdict.status === 400)
          log.warn({ reason: verdict.reason }, "envelope refused: not one Slack sends");
        else log.info({ reason: verdict.reason }, "envelope answered by the guard");
        await ackWith(args.ack, verdict.text !== undefined ? { text: verdict.text } : undefined);
        return;
    }
  }

  client.on("ws_message", (data: unknown, isBinary: unknown) => {
    if (isBinary === true || typeof data !== "string") {
      log.warn("frame refused: binary");
      return;
    }
    receiveFrame(data).catch((error: unknown) => log.error({ err: error }, "the Socket Mode guard failed"));
  });
  const { acknowledge } = options;
  client.on("slack_event", (args: SlackEventArgs) => {
    const envelopeId = args.envelope_id;
    const acked =
      acknowledge && typeof envelopeId === "string"
        ? { ...args, ack: (response?: Record<string, unknown>) => acknowledge(envelopeId, response) }
        : args;
    guardEnvelope(acked).catch((error: unknown) => log.error({ err: error }, "the Socket Mode guard failed"));
  });

  return {
    receiveFrame,
    init(app: App) {
      bolt.init(app);
    },
    start: () => bolt.start(),
    stop: () => bolt.stop(),
  };
}
