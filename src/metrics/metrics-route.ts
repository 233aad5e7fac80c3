// GET /metrics: the registry's Prometheus text, as a node:http handler and as the Bolt custom route that mounts it.
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { CustomRoute } from "@slack/bolt";
import type { Metrics } from "./metrics.js";

export const METRICS_PATH = "/metrics";

export interface MetricsHandlerOptions {
  /** when set, scrapes must send `Authorization: Bearer <token>`: /metrics shares its port with /slack/events */
  bearerToken?: string;
}

export function createMetricsHandler(
  metrics: Pick<Metrics, "registry" | "text">,
  options: MetricsHandlerOptions = {},
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain" });
      res.end("method not allowed\n");
      return;
    }
    if (options.bearerToken !== undefined && !hasBearer(req, options.bearerToken)) {
      res.writeHead(401, { "www-authenticate": "Bearer", "content-type": "text/plain" });
      res.end("unauthorized\n");
      return;
    }
    metrics.text().then(
      (text) => {
        // prom-client's text format: "text/plain; version=0.0.4; charset=utf-8".
        res.writeHead(200, { "content-type": metrics.registry.contentType, "cache-control": "no-store" });
        res.end(req.method === "HEAD" ? undefined : text);
      },
      (error: unknown) => {
        res.writeHead(500, { "content-type": "text/plain" });
        res.end(`metrics unavailable: ${error instanceof Error ? error.message : String(error)}\n`);
      },
    );
  };
}

/** The route to put beside /healthz in the receiver's `customRoutes`. */
export function metricsRoute(metrics: Metrics, options: MetricsHandlerOptions = {}): CustomRoute {
  return { path: METRICS_PATH, method: ["GET"], handler: createMetricsHandler(metrics, options) };
}

function hasBearer(req: IncomingMessage, token: string): boolean {
  const given = Buffer.from(req.headers.authorization ?? "");
  const expected = Buffer.from(`Bearer ${token}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
