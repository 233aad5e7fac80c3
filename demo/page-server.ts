// The demo's web page over node:http: the static files in demo/public, the channel as Server-Sent Events (a snapshot,
// then every change), and what a person can do there: send a message, click a button, choose an option, open Home.
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";
import type { ChannelFeed } from "./channel-feed.js";

export type ActionOutcome = { ok: true } | { ok: false; problem: string };

/** What the page's controls do; each answer is shown under the message box when it is a problem. */
export interface PageActions {
  /** a line typed in the message box: a slash command or a plain message */
  send(text: string): Promise<ActionOutcome>;
  click(input: { messageTs: string; actionId: string }): Promise<ActionOutcome>;
  choose(input: { messageTs: string; actionId: string; value: string }): Promise<ActionOutcome>;
  /** opens the viewer's App Home tab as Slack does (app_home_opened) and answers with the view the app published */
  home(): Promise<{ ok: true; blocks: unknown[] } | { ok: false; problem: string }>;
}

export interface PageServer {
  url: string;
  close(): Promise<void>;
}

const PUBLIC_DIR = new URL("./public/", import.meta.url);
const PUBLIC_FILES: ReadonlyMap<string, { file: string; contentType: string }> = new Map([
  ["/", { file: "index.html", contentType: "text/html; charset=utf-8" }],
  ["/page.css", { file: "page.css", contentType: "text/css; charset=utf-8" }],
  ["/page.js", { file: "page.js", contentType: "text/javascript; charset=utf-8" }],
  ["/block-kit.js", { file: "block-kit.js", contentType: "text/javascript; charset=utf-8" }],
  ["/mrkdwn.js", { file: "mrkdwn.js", contentType: "text/javascript; charset=utf-8" }],
]);

const MAX_BODY_BYTES = 64 * 1024;
/** Proxies and browsers drop an idle stream after a while; a comment now and then keeps it open. */
const HEARTBEAT_MS = 15_000;

const messageTs = z.string().regex(/^\d+\.\d+$/, "not a Slack message ts");
const sendSchema = z.object({ text: z.string().max(4000) });
const clickSchema = z.object({ messageTs, actionId: z.string().min(1).max(255) });
const chooseSchema = clickSchema.extend({ value: z.string().min(1).max(150) });

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new Error("request body too large");
    chunks.push(buffer);
  }
  return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

function streamChannel(req: IncomingMessage, res: ServerResponse, feed: ChannelFeed): void {
  res.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-store",
    connection: "keep-alive",
  });
  // JSON has no raw newlines, so each event's data fits on the one `data:` line SSE wants.
  const write = (event: string, data: unknown) =>
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  write("snapshot", feed.snapshot());
  const unsubscribe = feed.subscribe((event) => write("change", event));
  const heartbeat = setInterval(() => res.write(": still here\n\n"), HEARTBEAT_MS);
  req.on("close", () => {
    clearInterval(heartbeat);
    unsubscribe();
  });
}

async function serveFile(res: ServerResponse, file: { file: string; contentType: string }): Promise<void> {
  const content = await readFile(new URL(file.file, PUBLIC_DIR));
  res.writeHead(200, { "content-type": file.contentType, "cache-control": "no-store" });
  res.end(content);
}

async function runAction<T>(
  req: IncomingMessage,
  res: ServerResponse,
  schema: z.ZodType<T>,
  action: (input: T) => Promise<ActionOutcome>,
): Promise<void> {
  const parsed = schema.safeParse(await readJson(req));
  if (!parsed.success) {
    sendJson(res, 400, {
      ok: false,
      problem: `Bad request: ${parsed.error.issues[0]?.message ?? "invalid"}`,
    });
    return;
  }
  const outcome = await action(parsed.data);
  sendJson(res, outcome.ok ? 200 : 422, outcome);
}

export async function startPageServer(options: {
  port: number;
  host: string;
  feed: ChannelFeed;
  actions: PageActions;
}): Promise<PageServer> {
  const { feed, actions } = options;

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? "/", "http://demo.invalid").pathname;
    const file = PUBLIC_FILES.get(path);
    if (req.method === "GET" && file) return serveFile(res, file);
    if (req.method === "GET" && path === "/api/events") return streamChannel(req, res, feed);
    if (req.method === "POST" && path === "/api/home") {
      const home = await actions.home();
      return sendJson(res, home.ok ? 200 : 422, home);
    }
    if (req.method === "POST" && path === "/api/send")
      return runAction(req, res, sendSchema, (input) => actions.send(input.text));
    if (req.method === "POST" && path === "/api/click")
      return runAction(req, res, clickSchema, actions.click);
    if (req.method === "POST" && path === "/api/choose")
      return runAction(req, res, chooseSchema, actions.choose);
    sendJson(res, 404, { ok: false, problem: `Nothing at ${req.method} ${path}` });
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      const problem = error instanceof Error ? error.message : String(error);
      if (!res.headersSent) sendJson(res, 500, { ok: false, problem });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${options.host}:${port}/`,
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // The page's event stream never ends by itself.
        server.closeAllConnections();
      });
    },
  };
}
