// Launches Debian's chromium through playwright-core for browser tests. It never downloads a browser: CI installs
// chromium with apt-get (.ci/run), and a missing one fails the test with the command that installs it.
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

// Running as root needs --no-sandbox; without the background-networking flags chromium keeps dialling Google's
// hosts, which a closed network refuses many times over.
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** A headless chromium with a new, empty profile (playwright makes a fresh user data dir per launch). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `No chromium at ${CHROMIUM_PATH}: the browser tests drive Debian's chromium. Install it with ` +
        "`apt-get install -y --no-install-recommends chromium` (.ci/run does this), or set CHROMIUM_PATH.",
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}
