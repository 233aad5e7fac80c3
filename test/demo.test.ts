// `npm run demo` in a real browser: Debian's chromium, driven by playwright-core, uses the demo page as a person
// would — lists a recipe's failed jobs, repeats them through the confirm dialog, and reads every result in the thread.
// DEMO_SCREENSHOT=docs/demo.png (npm run demo:screenshot) also saves the page after the repeat for the README.
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAIN_CUSTOMER_NAME } from "../demo/catalog.js";
import { STOPPED_RECIPE } from "../demo/seed.js";
import { DEMO_CHANNEL, type Demo, startDemo } from "../demo/start-demo.js";
import { CUSTOMER, RECIPE, RECIPE_NAME } from "../sim/app-harness.js";
import { launchChromium } from "./support/chromium.js";

/** The viewer's zone, far from the server's (tests run with TZ=UTC): dates must be shown in the viewer's. */
const VIEWER_TIME_ZONE = "America/New_York";
const SCREENSHOT_PATH = process.env.DEMO_SCREENSHOT;

let demo: Demo;
let browser: Browser;

beforeAll(async () => {
  // Without new jobs arriving, the recipe's failed jobs are exactly the ones seeded.
  const [started, launched] = await Promise.allSettled([
    startDemo({ liveActivity: false }),
    launchChromium(),
  ]);
  if (started.status === "fulfilled") demo = started.value;
  if (launched.status === "fulfilled") browser = launched.value;
  // A missing chromium fails every test here with how to install it; afterAll still stops the demo.
  for (const outcome of [launched, started]) if (outcome.status === "rejected") throw outcome.reason;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

const VIEWPORT = { width: 1280, height: 900 };

async function openChannel(): Promise<Page> {
  const page = await browser.newPage({ timezoneId: VIEWER_TIME_ZONE, locale: "en-US", viewport: VIEWPORT });
  await page.goto(demo.url);
  await page.locator('body[data-connection="live"]').waitFor();
  return page;
}

async function run(page: Page, command: string): Promise<void> {
  await page.getByLabel("Message", { exact: true }).fill(command);
  await page.getByLabel("Message", { exact: true }).press("Enter");
}

/** The text a person sees in the element (Playwright's innerText: laid out, hidden parts left out). */
function shown(locator: Locator): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: a Playwright locator, not a DOM node; the visible text is the point.
  return locator.innerText();
}

/** What the viewer's clock shows for a moment, as the page's Slack date tokens write {time_secs}. */
function viewerTime(iso: string): string {
  return new Date(iso).toLocaleTimeString("en-US", {
    timeZone: VIEWER_TIME_ZONE,
    hour: "numeric",
    minute: "2-digit",
    second: "2-digit",
  });
}

describe("the demo page", () => {
  it("lists a recipe's failed jobs, repeats them after the confirm dialog, and shows every result in the thread", async () => {
    const { sim } = demo.harness;
    const failedIds = sim
      .jobs(CUSTOMER, RECIPE)
      .filter((job) => job.status === "failed")
      .map((job) => job.id);
    const count = failedIds.length;
    expect(count).toBeGreaterThan(3);
    const page = await openChannel();

    await run(page, `/workato-jobs list ${CUSTOMER} ${RECIPE} failed`);
    const list = page.locator("article.message", {
      has: page.locator(".bk-header", { hasText: RECIPE_NAME }),
    });
    await list.waitFor();
    const listText = await shown(list);
    for (const jobId of failedIds) expect(listText).toContain(jobId);
    expect(listText).toContain("NetSuite: Upsert customer failed: 400 Bad Request"); // first line of an error

    // Start times are Slack date tokens, shown in the viewer's time zone rather than the UTC fallback.
    const firstStart = list.locator("time[datetime]").first();
    const startedAt = await firstStart.getAttribute("datetime");
    expect(startedAt).not.toBeNull();
    expect(await shown(firstStart)).toContain(viewerTime(startedAt ?? ""));
    expect(listText).not.toContain(" UTC");

    const repeatAll = list.getByRole("button", { name: `Repeat ${count} failed` });
    expect(await repeatAll.getAttribute("class")).toContain("primary");
    await repeatAll.click();

    const dialog = page.getByRole("dialog");
    await dialog.waitFor();
    const dialogText = await shown(dialog);
    expect(dialogText).toContain(`Repeat ${count} failed jobs?`);
    // The main customer is named, as Workato's directory knows it.
    expect(dialogText).toContain(
      `This runs the recipe again for ${count} jobs of ${RECIPE_NAME} for ${MAIN_CUSTOMER_NAME}.`,
    );
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "hidden" });
    // Cancelled: nothing reached the app, so nothing reached Workato.
    expect(sim.requests.filter((request) => request.endpoint === "repeat")).toHaveLength(0);

    await repeatAll.click();
    await dialog.getByRole("button", { name: "Repeat" }).click();

    const thread = list.locator(".replies");
    // The one summary, whose heading says what is known: requests sent, then (edited in place) finished.
    const summary = thread.locator("article.message", { hasText: /Requests sent:|Finished:/ });
    await summary.waitFor({ timeout: 15_000 });
    expect(await shown(summary)).toMatch(new RegExp(`${count} enqueued · \\S+ 0 refused · \\S+ 0 unknown`));
    expect(await shown(list.locator(".thread-toggle"))).toMatch(/^Hide \d+ replies$/);

    // Each job's result is in the thread: the original and the new job Workato enqueued for it.
    const threadText = await shown(thread);
    const repeats = sim
      .jobs(CUSTOMER, RECIPE)
      .filter((job) => job.isRepeat && failedIds.includes(job.masterJobId));
    expect(repeats).toHaveLength(count);
    for (const repeat of repeats) expect(threadText).toContain(`${repeat.masterJobId} → ${repeat.id}`);

    // The list was updated in place: its repeat buttons are gone, a note says who repeated them.
    await list.getByText("Repeat requested by @alex").waitFor();
    expect(await repeatAll.count()).toBe(0);

    if (SCREENSHOT_PATH) {
      // As tall as the conversation, so the picture shows the list and its whole thread.
      const hidden = await page
        .locator("#timeline")
        .evaluate((timeline) => timeline.scrollHeight - timeline.clientHeight);
      await page.setViewportSize({ width: VIEWPORT.width, height: VIEWPORT.height + hidden });
      await page.mouse.move(0, 0);
      await page.screenshot({ path: SCREENSHOT_PATH });
    }
    await page.close();
  });

  it("draws Slack's mrkdwn, private messages marked for the viewer, and messages as they arrive", async () => {
    const page = await openChannel();
    const { slack } = demo.harness;
    const at = Date.UTC(2026, 2, 1, 14, 5, 9) / 1000;
    slack.seedMessage(DEMO_CHANNEL.id, {
      text: "formatting sample",
      blocks: [
        {
          type: "section",
          text: {
            type: "mrkdwn",
            text: [
              "*bold* _italic_ ~gone~ `a_snake_id` and <https://example.com/x?a=1&amp;b=2|a link>",
              "&lt;not a tag&gt; &amp; <@U0PRIYA> <!subteam^S0ONCALL> :white_check_mark:",
              `<!date^${at}^{date_num} {time_secs}|2026-03-01 14:05 UTC>`,
              "> quoted line",
              "```line one\nline <two>```",
            ].join("\n"),
          },
        },
      ],
    });
    const sample = page.locator("article.message", { hasText: "quoted line" });
    await sample.waitFor();
    expect(await shown(sample.locator("b"))).toBe("bold");
    expect(await shown(sample.locator("i"))).toBe("italic");
    expect(await shown(sample.locator("s"))).toBe("gone");
    expect(await shown(sample.locator("code"))).toBe("a_snake_id");
    expect(await sample.locator("a").getAttribute("href")).toBe("https://example.com/x?a=1&b=2");
    expect(await shown(sample.locator("blockquote"))).toBe("quoted line");
    expect(await shown(sample.locator("pre"))).toBe("line one\nline <two>");
    const text = await shown(sample);
    expect(text).toContain("<not a tag> &");
    expect(text).toContain("@priya");
    expect(text).toContain("@integrations-oncall");
    expect(text).toContain("✅");
    // 14:05:09 UTC is 9:05:09 AM in New York that day.
    expect(await shown(sample.locator("time").last())).toBe("2026-03-01 9:05:09 AM");

    await run(page, "/workato-jobs lst");
    const privateAnswer = page.locator("article.message.ephemeral").last();
    await privateAnswer.waitFor();
    expect(await shown(privateAnswer)).toContain("Only visible to you");
    expect(await shown(privateAnswer)).toContain("is not a command");
    await page.close();
  });

  it("sends an option chosen in a select to the app and shows its private answer", async () => {
    const page = await openChannel();
    // The API doc's job-details sample; its details offer each step's data in a select.
    await run(page, `/workato-jobs show ${CUSTOMER} 169891 j-AJMfQh8c-hsCXcs`);
    const details = page.locator("article.message:not(.ephemeral)", { hasText: "j-AJMfQh8c-hsCXcs" }).last();
    const select = details.locator("select");
    await select.waitFor();
    const firstStep = await select.locator("option").nth(1).getAttribute("value");
    await select.selectOption(firstStep ?? "");
    // Step 0's output in the sample names the calling IP: shown to the viewer alone.
    const stepData = page.locator("article.message.ephemeral", { hasText: "calling_ip" });
    await stepData.waitFor();
    expect(await shown(stepData)).toContain("Only visible to you");
    await page.close();
  });

  it("shows the viewer's App Home: the watch of the recipe Workato stopped, its channel by name", async () => {
    const page = await openChannel();
    await page.getByRole("button", { name: "Home", exact: true }).click();
    const home = page.locator("dialog#home");
    await home.locator(".home-view", { hasText: "Watches" }).waitFor();
    const text = await shown(home);
    expect(text).toContain(String(STOPPED_RECIPE.recipeId));
    expect(text).toContain(`#${DEMO_CHANNEL.name}`);
    expect(text).not.toContain(`#${DEMO_CHANNEL.id}`);
    expect(text).toContain(STOPPED_RECIPE.customerName);
    expect(text).toContain("Open alerts");
    expect(text).toContain("Your recent repeats");
    await page.close();
  });
});
