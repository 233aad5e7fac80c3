// The fake Slack's opt-in rate limits and its Home tab (views.publish), over real HTTP with Slack's own client.
import { WebClient, LogLevel as WebLogLevel } from "@slack/web-api";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeSlack, type FakeSlackOptions, startFakeSlack } from "../../sim/fake-slack/index.js";

const TOKEN = "xoxb-test-token";
const running: FakeSlack[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((fake) => fake.close()));
});

async function start(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const fake = await startFakeSlack(options);
  running.push(fake);
  return fake;
}

/** A raw form POST, as @slack/web-api sends it, so the test sees the HTTP status and headers themselves. */
async function post(fake: FakeSlack, method: string, args: Record<string, string>) {
  const response = await fetch(`${fake.apiUrl}${method}`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Bearer ${TOKEN}` },
    body: new URLSearchParams(args).toString(),
  });
  return {
    status: response.status,
    retryAfter: response.headers.get("retry-after"),
    body: await response.json(),
  };
}

const section = (text: string) => ({ type: "section", text: { type: "mrkdwn", text } });

describe("rate limits, when a test turns them on", () => {
  it("allows a burst of 3 posts per channel, then answers 429 ratelimited with Retry-After, and refills 1 a second", async () => {
    const fake = await start({ rateLimits: true });
    const statuses: number[] = [];
    for (let n = 0; n < 4; n++)
      statuses.push((await post(fake, "chat.postMessage", { channel: "C1", text: `${n}` })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await post(fake, "chat.postMessage", { channel: "C1", text: "again" });
    expect(refused).toMatchObject({
      status: 429,
      retryAfter: "1",
      body: { ok: false, error: "ratelimited" },
    });
    // Another channel has its own bucket.
    expect((await post(fake, "chat.postMessage", { channel: "C2", text: "elsewhere" })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await post(fake, "chat.postMessage", { channel: "C1", text: "later" })).status).toBe(200);
    expect(fake.messages("C1")).toHaveLength(4);
    expect(fake.rateLimitedCount("chat.postMessage")).toBe(2);
    expect(fake.rateLimitedCount()).toBe(2);
    expect(fake.calls.filter((call) => call.error === "ratelimited")).toHaveLength(2);
  });

  it("limits chat.update per workspace and chat.postEphemeral on their own budgets", async () => {
    const fake = await start({
      rateLimits: {
        update: { burst: 2, perSecond: 50 / 60 },
        postEphemeral: { burst: 1, perSecond: 100 / 60 },
      },
    });
    const posted = await post(fake, "chat.postMessage", { channel: "C1", text: "v0" });
    const ts = (posted.body as { ts: string }).ts;
    const other = await post(fake, "chat.postMessage", { channel: "C2", text: "w0" });
    const otherTs = (other.body as { ts: string }).ts;
    expect((await post(fake, "chat.update", { channel: "C1", ts, text: "v1" })).status).toBe(200);
    expect((await post(fake, "chat.update", { channel: "C2", ts: otherTs, text: "w1" })).status).toBe(200);
    const refused = await post(fake, "chat.update", { channel: "C1", ts, text: "v2" });
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(fake.message("C1", ts)?.text).toBe("v1");

    expect((await post(fake, "chat.postEphemeral", { channel: "C1", user: "U1", text: "e" })).status).toBe(
      200,
    );
    expect((await post(fake, "chat.postEphemeral", { channel: "C1", user: "U1", text: "e" })).status).toBe(
      429,
    );
    expect([fake.rateLimitedCount("chat.update"), fake.rateLimitedCount("chat.postEphemeral")]).toEqual([
      1, 1,
    ]);
  });

  it("is off by default, and can be switched on and off in a running fake", async () => {
    const fake = await start();
    for (let n = 0; n < 5; n++)
      expect((await post(fake, "chat.postMessage", { channel: "C1", text: "x" })).status).toBe(200);
    fake.enforceRateLimits({ postMessage: { burst: 1, perSecond: 1 } });
    expect((await post(fake, "chat.postMessage", { channel: "C1", text: "x" })).status).toBe(200);
    expect((await post(fake, "chat.postMessage", { channel: "C1", text: "x" })).status).toBe(429);
    fake.enforceRateLimits(false);
    expect((await post(fake, "chat.postMessage", { channel: "C1", text: "x" })).status).toBe(200);
  });

  it("lets @slack/web-api wait out the Retry-After and deliver the message", async () => {
    const fake = await start({ rateLimits: { postMessage: { burst: 1, perSecond: 1 } } });
    const client = new WebClient(TOKEN, {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 3, factor: 1, minTimeout: 10, maxTimeout: 10 },
      logLevel: WebLogLevel.ERROR,
    });
    await client.chat.postMessage({ channel: "C1", text: "first" });
    const began = Date.now();
    await client.chat.postMessage({ channel: "C1", text: "second" });
    expect(Date.now() - began).toBeGreaterThanOrEqual(900);
    expect(fake.messages("C1").map((message) => message.text)).toEqual(["first", "second"]);
    expect(fake.rateLimitedCount()).toBe(1);
  });
});

describe("Home tab", () => {
  it("stores the last view published per user, and refuses more than 100 blocks or a non-home view", async () => {
    const fake = await start();
    const client = new WebClient(TOKEN, {
      slackApiUrl: fake.apiUrl,
      retryConfig: { retries: 0 },
      logLevel: WebLogLevel.ERROR,
    });
    const blocks = Array.from({ length: 100 }, (_, n) => section(`Watch ${n}`));
    const answer = await client.views.publish({ user_id: "U1", view: { type: "home", blocks } });
    expect(answer.ok).toBe(true);
    expect(answer.view?.id).toMatch(/^V/);
    const first = fake.homeView("U1");
    expect(first?.blocks).toHaveLength(100);
    expect(first?.publishCount).toBe(1);

    await client.views.publish({ user_id: "U1", view: { type: "home", blocks: [section("Nothing open")] } });
    expect(fake.homeView("U1")).toMatchObject({
      publishCount: 2,
      id: first?.id,
      blocks: [section("Nothing open")],
    });
    expect(fake.homeView("U2")).toBeUndefined();

    const tooMany = [...blocks, section("one more")];
    const refused = await client.views
      .publish({ user_id: "U1", view: { type: "home", blocks: tooMany } })
      .catch(
        (error: { data?: { error?: string; response_metadata?: { messages?: string[] } } }) => error.data,
      );
    expect(refused).toMatchObject({ error: "invalid_arguments" });
    expect(refused?.response_metadata?.messages?.[0]).toContain("no more than 100 items");
    const modal = await client.views
      .publish({
        user_id: "U1",
        view: { type: "modal", title: { type: "plain_text", text: "x" }, blocks: [] },
      })
      .catch((error: { data?: { error?: string } }) => error.data);
    expect(modal).toMatchObject({ error: "invalid_arguments" });
    const stale = await client.views
      .publish({ user_id: "U1", hash: "stale", view: { type: "home", blocks: [] } })
      .catch((error: { data?: { error?: string } }) => error.data);
    expect(stale).toMatchObject({ error: "hash_conflict" });
    expect(fake.homeView("U1")?.publishCount).toBe(2);
  });
});
