// Polls a probe until it returns something truthy: how tests wait for the app's asynchronous Slack calls.
import { inspect } from "node:util";

export interface WaitForOptions {
  timeoutMs?: number;
  intervalMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_INTERVAL_MS = 20;

/**
 * Resolves with the probe's first truthy result. On timeout, rejects with the last result, the last error the probe
 * threw, and whatever `context()` says (the fake passes its recent calls), so a failing test explains itself.
 */
export async function waitFor<T>(
  probe: () => T | undefined | false,
  opts: WaitForOptions = {},
  context: () => string = () => "",
): Promise<T> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const intervalMs = opts.intervalMs ?? DEFAULT_INTERVAL_MS;
  const deadline = performance.now() + timeoutMs;
  let last: unknown;
  let lastError: unknown;

  for (;;) {
    try {
      const result = probe();
      if (result) return result;
      last = result;
      lastError = undefined;
    } catch (error) {
      // A probe that throws (e.g. reading a message not posted yet) is treated as "not yet".
      lastError = error;
    }
    if (performance.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }

  const lines = [`waitFor: the probe was still not truthy after ${timeoutMs} ms.`];
  lines.push(
    lastError === undefined
      ? `Last result: ${inspect(last, { depth: 4 })}`
      : `Last error: ${lastError instanceof Error ? lastError.message : inspect(lastError)}`,
  );
  const extra = context();
  if (extra) lines.push(extra);
  throw new Error(lines.join("\n"));
}
