// Every emoji shortcode the bot writes (found in src/) is drawn as an emoji by the demo page, not left as ":calendar:".
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { z } from "zod";

const SRC = fileURLToPath(new URL("../src", import.meta.url));
const PAGE_MRKDWN = new URL("../demo/public/mrkdwn.js", import.meta.url).href;

/** A shortcode standing as a word of its own (so "undici:client:sendHeaders" and "hh:mm:ss" are not taken for one). */
const SHORTCODE = /(?<![\w:])(:[a-z][a-z0-9_+-]*:)(?![\w:])/g;
/** Words of that shape in src/ that are not emoji. */
const NOT_EMOJI = new Set([":memory:"]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

function shortcodesInSource(): string[] {
  const found = new Set<string>();
  for (const file of sourceFiles(SRC)) {
    for (const match of readFileSync(file, "utf8").matchAll(SHORTCODE)) {
      const [, shortcode] = match;
      if (shortcode !== undefined && !NOT_EMOJI.has(shortcode)) found.add(shortcode);
    }
  }
  return [...found].sort();
}

const pageModule = z.object({
  mrkdwnToHtml: z.custom<(text: string) => unknown>((value) => typeof value === "function"),
});

async function pageRenderer(): Promise<(text: string) => string> {
  const loaded: unknown = await import(PAGE_MRKDWN);
  const { mrkdwnToHtml } = pageModule.parse(loaded);
  return (text) => z.string().parse(mrkdwnToHtml(text));
}

describe("the demo page's emoji", () => {
  it("finds the shortcodes the bot writes, the ones once shown as text among them", () => {
    expect(shortcodesInSource()).toEqual(
      expect.arrayContaining([
        ":octagonal_sign:",
        ":arrow_forward:",
        ":calendar:",
        ":white_check_mark:",
        ":x:",
      ]),
    );
  });

  it("draws every shortcode the bot writes as an emoji", async () => {
    const render = await pageRenderer();
    const shownAsText = shortcodesInSource().filter((shortcode) =>
      render(`before ${shortcode} after`).includes(shortcode),
    );
    expect(shownAsText).toEqual([]);
  });
});
