// Counts Slack's 429s: the Web API client waits them out and retries, so its "rate_limited" event is the only sign.
import { type WebClient, WebClientEvent } from "@slack/web-api";
import type { MetricsRecorder } from "./metrics.js";

/** Records every 429 `client` receives under its Web API method (chat.postMessage, …). */
export function observeSlackRateLimits(
  client: WebClient,
  metrics: Pick<MetricsRecorder, "slackRateLimited">,
) {
  const onRateLimited = (_retryAfterSeconds: number, request: { url?: unknown }) => {
    metrics.slackRateLimited(slackMethodOf(request.url));
  };
  client.on(WebClientEvent.RATE_LIMITED, onRateLimited);
  return function stopObserving(): void {
    client.off(WebClientEvent.RATE_LIMITED, onRateLimited);
  };
}

/** "chat.postMessage" from https://slack.com/api/chat.postMessage (or a fake Slack's …/api/chat.postMessage). */
export function slackMethodOf(url: unknown): string {
  const path = typeof url === "string" ? (url.split("?")[0] ?? "") : "";
  return path.slice(path.lastIndexOf("/") + 1) || "unknown";
}
