// Start-up configuration: a missing or malformed variable stops start-up with one line naming it and what to put there.
import { readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, ENV_VARIABLES, loadConfig } from "../src/config.js";

const VALID = {
  SLACK_BOT_TOKEN: "xoxb-1-2-abc",
  SLACK_SIGNING_SECRET: "shh-secret",
  WORKATO_API_TOKEN: "wrk-token",
};

function problems(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message.split("\n");
    throw error;
  }
  return [];
}

describe("loadConfig", () => {
  it("fills the defaults: Workato's US data centre, port 3000, info logs, HTTP mode", () => {
    const config = loadConfig(VALID);
    expect(config.workato.baseUrl).toBe("https://www.workato.com");
    expect(config.port).toBe(3000);
    expect(config.logLevel).toBe("info");
    expect(config.slack.appToken).toBeUndefined();
    expect(config.slack.apiUrl).toBeUndefined();
  });

  it("takes another data centre and a Slack API base, without a trailing slash problem", () => {
    const config = loadConfig({
      ...VALID,
      WORKATO_BASE_URL: "https://app.eu.workato.com/",
      SLACK_API_URL: "http://127.0.0.1:9999/api",
    });
    expect(config.workato.baseUrl).toBe("https://app.eu.workato.com");
    expect(config.slack.apiUrl).toBe("http://127.0.0.1:9999/api/");
  });

  it.each([
    ["SLACK_BOT_TOKEN", { ...VALID, SLACK_BOT_TOKEN: undefined }, /SLACK_BOT_TOKEN is missing.*xoxb-/],
    [
      "SLACK_BOT_TOKEN",
      { ...VALID, SLACK_BOT_TOKEN: "xoxp-user" },
      /SLACK_BOT_TOKEN must be the Bot User OAuth Token/,
    ],
    [
      "SLACK_SIGNING_SECRET",
      { ...VALID, SLACK_SIGNING_SECRET: "" },
      /SLACK_SIGNING_SECRET is missing.*Signing Secret/,
    ],
    ["WORKATO_API_TOKEN", { ...VALID, WORKATO_API_TOKEN: undefined }, /WORKATO_API_TOKEN is missing/],
    ["WORKATO_BASE_URL", { ...VALID, WORKATO_BASE_URL: "www.workato" }, /WORKATO_BASE_URL must be a URL/],
    ["PORT", { ...VALID, PORT: "eighty" }, /PORT must be a port number/],
    ["LOG_LEVEL", { ...VALID, LOG_LEVEL: "loud" }, /LOG_LEVEL must be one of/],
  ])("refuses a bad %s with one line that says what to put there", (_name, env, line) => {
    const lines = problems(env);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(line);
  });

  it("switches to Socket Mode with an app token, where no signing secret is needed", () => {
    const config = loadConfig({ ...VALID, SLACK_SIGNING_SECRET: undefined, SLACK_APP_TOKEN: "xapp-1-abc" });
    expect(config.slack.appToken).toBe("xapp-1-abc");
  });

  it("never puts a token in its error text", () => {
    const text = problems({ SLACK_BOT_TOKEN: "xoxp-secret-user-token", WORKATO_API_TOKEN: "" }).join("\n");
    expect(text).not.toContain("xoxp-secret-user-token");
  });

  it("reports every bad variable at once: values, the signing secret and the policy file in one round", () => {
    const lines = problems({
      SLACK_BOT_TOKEN: "xoxp-user",
      PORT: "eighty",
      WATCH_INTERVAL_SECONDS: "5",
      REPEAT_COALESCE_MS: "-1",
      ACCESS_POLICY: join(tmpdir(), "workato-jobs-no-such-policy.yml"),
    });
    expect(lines).toEqual([
      expect.stringMatching(/^SLACK_BOT_TOKEN must be the Bot User OAuth Token/),
      expect.stringMatching(/^WORKATO_API_TOKEN is missing/),
      expect.stringMatching(/^PORT must be a port number/),
      expect.stringMatching(/^REPEAT_COALESCE_MS must be between 0 and 10000/),
      expect.stringMatching(/^WATCH_INTERVAL_SECONDS must be at least 10/),
      expect.stringMatching(/^SLACK_SIGNING_SECRET is missing/),
      expect.stringMatching(/^ACCESS_POLICY: cannot read .*workato-jobs-no-such-policy\.yml \(ENOENT\)/),
    ]);
  });

  it("reports the policy file's mistakes together with the variables' ones", () => {
    const policy = join(tmpdir(), `workato-jobs-bad-policy-${process.pid}.yml`);
    writeFileSync(policy, "channels:\n  not-a-channel:\n    customers: []\n");
    const lines = problems({ ...VALID, LOG_LEVEL: "loud", ACCESS_POLICY: policy });
    expect(lines[0]).toMatch(/^LOG_LEVEL must be one of/);
    expect(lines.slice(1).length).toBeGreaterThan(0);
    for (const line of lines.slice(1)) expect(line).toMatch(/^.*workato-jobs-bad-policy.*: channels/);
  });
});

describe("the README's environment table", () => {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
  const section = readme.split(/^## /m).find((part) => part.startsWith("Environment\n")) ?? "";
  const documented = [...section.matchAll(/^\| `([A-Z][A-Z0-9_]*)`/gm)].map((match) => match[1]);

  it("lists every variable the app reads, and no other", () => {
    expect([...documented].sort()).toEqual([...ENV_VARIABLES].sort());
  });
});
