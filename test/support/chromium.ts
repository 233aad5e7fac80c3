// Launches a headless chromium through playwright-core for browser tests. The browser comes from npm
// (@sparticuz/chromium ships a self-contained build inside the package), so a fresh machine with only Node runs
// these tests after `npm ci`; CHROMIUM_PATH points at another chromium (e.g. Debian's /usr/bin/chromium).
import sparticuz from "@sparticuz/chromium";
import { type Browser, chromium } from "playwright-core";

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

/** The browser to drive: CHROMIUM_PATH when set, else the one unpacked from the npm package (into /tmp, once). */
export async function chromiumPath(): Promise<string> {
  return process.env.CHROMIUM_PATH || (await sparticuz.executablePath());
}

/** A headless chromium with a new, empty profile (playwright makes a fresh user data dir per launch). */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: await chromiumPath(), headless: true, args: CHROMIUM_ARGS });
}
