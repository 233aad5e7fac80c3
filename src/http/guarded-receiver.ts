// Bolt's HTTPReceiver behind our own node:http server and a guard: every request to the events endpoint is read
// (with a size cap), its signature checked with Bolt's own verifier, its body parsed as Bolt parses it, and only
// envelopes a listener handles go on to Bolt. The rest are answered at once. Bolt itself throws, unhandled and
// fatal, on a body that is valid JSON but no object (`payload=null`), and answers what no listener takes only when
// its 3-second timeout fires.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import {
  type App,
  type BufferedIncomingMessage,
  type CustomRoute,
  HTTPModuleFunctions,
  HTTPReceiver,
  HTTPReceiverDeferredRequestError,
  type Receiver,
} from "@slack/bolt";
import type { Logger } from "pino";
import { boltLogger } from "../logger.js";
import { classifyEnvelope } from "./slack-envelope.js";

/** Our own messages stay far below this (Block Kit limits); Bolt's default is 4 MB. */
export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;
// Slack sends a whole request at once; a client that trickles one is cut off long before it can tie up sockets.
const REQUEST_TIMEOUT_MS = 15_000;
const HEADERS_TIMEOUT_MS = 10_000;

export interface GuardedReceiverOptions {
  signingSecret: string;
  /** default /slack/events */
  endpoint?: string;
  customRoutes: CustomRoute[];
  /** the slash commands a listener is registered for; others are answered by the guard */
  slashCommands: readonly string[];
  logger: Logger;
  bodyLimitBytes?: number;
}

export interface GuardedReceiver extends Receiver {
  /** the guard's request listener, for a server someone else owns */
  readonly requestListener: (req: IncomingMessage, res: ServerResponse) => void;
}

function answer(res: ServerResponse, status: number, text?: string): void {
  if (res.headersSent) return;
  if (text === undefined) {
    HTTPModuleFunctions.buildNoBodyResponse(res, status);
    return;
  }
  res.writeHead(status, { "content-type": "text/plain; charset=utf-8" });
  res.end(text);
}

function pathOf(req: IncomingMessage): string | null {
  try {
    return new URL(req.url ?? "/", "http://localhost").pathname;
  } catch {
    return null;
  }
}

export function createGuardedReceiver(options: GuardedReceiverOptions): GuardedReceiver {
  const endpoint = options.endpoint ?? "/slack/events";
  const bodyLimit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const log = options.logger.child({ component: "http-guard" });
  const bolt = new HTTPReceiver({
    signingSecret: options.signingSecret,
    endpoints: endpoint,
    customRoutes: options.customRoutes,
    logger: boltLogger(options.logger),
    bodyLimit,
    // Acknowledge first, work after: Slack wants an answer within 3 seconds whatever Workato does.
    processBeforeResponse: false,
  });
  let server: Server | undefined;

  /** Bolt's own listener, for what passed the guard and for /healthz; what it throws becomes a 404 or 500. */
  function toBolt(req: IncomingMessage, res: ServerResponse): void {
    try {
      bolt.requestListener(req, res);
    } catch (error) {
      if (error instanceof HTTPReceiverDeferredRequestError) answer(res, 404);
      else {
        log.error({ err: error, method: req.method, path: pathOf(req) }, "request failed in Bolt's receiver");
        answer(res, 500);
      }
    }
  }

  async function guardEvent(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let buffered: BufferedIncomingMessage;
    try {
      // Reads the body once (Bolt reuses the buffered body later) and checks the signature; an unsigned
      // ssl_check comes back with its body stripped to `ssl_check=1`, as Bolt does.
      buffered = await HTTPModuleFunctions.parseAndVerifyHTTPRequest(
        { signingSecret: options.signingSecret, bodyLimit },
        req,
      );
    } catch (error) {
      if (HTTPModuleFunctions.isRawBodyError(error) && error.statusCode === 413) {
        log.warn({ limit: bodyLimit }, "request refused: body too large");
        answer(res, 413);
        return;
      }
      log.warn({ reason: (error as Error).message }, "request refused: not signed by Slack");
      answer(res, 401);
      return;
    }
    let body: unknown;
    try {
      body = HTTPModuleFunctions.parseHTTPRequestBody(buffered);
    } catch {
      log.warn(
        { contentType: req.headers["content-type"]?.slice(0, 100) },
        "request refused: body not parseable",
      );
      answer(res, 400);
      return;
    }
    if (typeof body === "object" && body !== null && (body as { ssl_check?: unknown }).ssl_check === "1") {
      HTTPModuleFunctions.buildSSLCheckResponse(res);
      return;
    }
    const verdict = classifyEnvelope(body, options.slashCommands);
    switch (verdict.action) {
      case "dispatch":
        toBolt(buffered, res);
        return;
      case "url_verification":
        HTTPModuleFunctions.buildUrlVerificationResponse(res, body);
        return;
      case "answer":
        if (verdict.status === 400)
          log.warn({ reason: verdict.reason }, "request refused: not an envelope Slack sends");
        else log.info({ reason: verdict.reason }, "request answered by the guard");
        answer(res, verdict.status, verdict.text);
        return;
    }
  }

  function requestListener(req: IncomingMessage, res: ServerResponse): void {
    if (req.method === "POST" && pathOf(req) === endpoint) {
      guardEvent(req, res).catch((error: unknown) => {
        log.error({ err: error }, "the HTTP guard failed");
        answer(res, 500);
      });
      return;
    }
    toBolt(req, res);
  }

  return {
    requestListener,
    init(app: App) {
      bolt.init(app);
    },
    start(port: number) {
      return new Promise<Server>((resolve, reject) => {
        if (server) {
          reject(new Error("the HTTP receiver is already started"));
          return;
        }
        const created = createServer(
          { requestTimeout: REQUEST_TIMEOUT_MS, headersTimeout: HEADERS_TIMEOUT_MS },
          requestListener,
        );
        created.once("error", reject);
        created.listen(port, () => {
          created.off("error", reject);
          created.on("error", (error) => log.error({ err: error }, "HTTP server error"));
          server = created;
          resolve(created);
        });
      });
    },
    stop() {
      return new Promise<void>((resolve, reject) => {
        const running = server;
        server = undefined;
        if (!running) {
          resolve();
          return;
        }
        running.close((error) => (error ? reject(error) : resolve()));
        // Idle keep-alive sockets would hold close() open; requests in progress still finish.
        running.closeIdleConnections();
      });
    },
  };
}
