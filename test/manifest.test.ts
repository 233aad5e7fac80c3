// manifest.yml creates the app the code expects: the same slash command, interactivity, and only the scopes used.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { SLASH_COMMAND } from "../src/slack/commands.js";

interface Manifest {
  features: { slash_commands: { command: string; url: string }[]; bot_user: { display_name: string } };
  oauth_config: { scopes: { bot: string[] } };
  settings: { interactivity: { is_enabled: boolean; request_url: string }; socket_mode_enabled: boolean };
}

const manifest = parse(readFileSync(new URL("../manifest.yml", import.meta.url), "utf8")) as Manifest;

describe("manifest.yml", () => {
  it("declares the slash command the app listens to, sent to /slack/events", () => {
    expect(manifest.features.slash_commands.map((command) => command.command)).toEqual([SLASH_COMMAND]);
    expect(manifest.features.slash_commands[0]?.url).toMatch(/\/slack\/events$/);
  });

  it("sends button clicks to the same endpoint", () => {
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.interactivity.request_url).toBe(manifest.features.slash_commands[0]?.url);
  });

  it("asks for exactly the bot scopes the app uses", () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual([
      "channels:read",
      "chat:write",
      "commands",
      "groups:read",
      "im:read",
      "mpim:read",
      "usergroups:read",
      "users:read",
    ]);
  });

  it("names the bot as the invite hint tells people to type it", () => {
    expect(manifest.features.bot_user.display_name).toBe("workato-jobs");
  });
});
