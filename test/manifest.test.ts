// manifest.yml (HTTP mode) and manifest.socket-mode.yml create the app the code expects: the same slash command,
// interactivity, and only the scopes used; they differ only where the two modes must.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { SLASH_COMMAND } from "../src/slack/commands/grammar.js";

interface Manifest {
  features: {
    slash_commands: { command: string; url?: string }[];
    bot_user: { display_name: string };
    app_home?: { home_tab_enabled?: boolean };
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: {
    interactivity: { is_enabled: boolean; request_url?: string };
    event_subscriptions?: { request_url?: string; bot_events?: string[] };
    socket_mode_enabled: boolean;
  };
}

const read = (file: string) =>
  parse(readFileSync(new URL(`../${file}`, import.meta.url), "utf8")) as Manifest;
const manifest = read("manifest.yml");
const socketMode = read("manifest.socket-mode.yml");

/** A manifest without what differs between the modes: the URLs and the Socket Mode switch. */
function withoutModeFields(source: Manifest): unknown {
  const copy = structuredClone(source);
  for (const command of copy.features.slash_commands) delete command.url;
  delete copy.settings.interactivity.request_url;
  if (copy.settings.event_subscriptions) delete copy.settings.event_subscriptions.request_url;
  copy.settings.socket_mode_enabled = false;
  return copy;
}

describe.each([
  ["manifest.yml", manifest],
  ["manifest.socket-mode.yml", socketMode],
])("%s", (_file, current) => {
  it("declares the slash command the app listens to", () => {
    expect(current.features.slash_commands.map((command) => command.command)).toEqual([SLASH_COMMAND]);
  });

  it("turns interactivity on, for the buttons", () => {
    expect(current.settings.interactivity.is_enabled).toBe(true);
  });

  it("asks for exactly the bot scopes the app uses", () => {
    expect([...current.oauth_config.scopes.bot].sort()).toEqual([
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

  it("turns the Home tab on and subscribes to app_home_opened, which draws it", () => {
    expect(current.features.app_home?.home_tab_enabled).toBe(true);
    expect(current.settings.event_subscriptions?.bot_events).toEqual(["app_home_opened"]);
  });

  it("names the bot as the invite hint tells people to type it", () => {
    expect(current.features.bot_user.display_name).toBe("workato-jobs");
  });
});

describe("manifest.yml (HTTP mode)", () => {
  it("sends the slash command to /slack/events", () => {
    expect(manifest.features.slash_commands[0]?.url).toMatch(/^https:\/\/YOUR-HOST\/slack\/events$/);
    expect(manifest.settings.socket_mode_enabled).toBe(false);
  });

  it("sends button clicks to the same endpoint", () => {
    expect(manifest.settings.interactivity.request_url).toBe(manifest.features.slash_commands[0]?.url);
  });

  it("sends events (app_home_opened) to the same endpoint", () => {
    expect(manifest.settings.event_subscriptions?.request_url).toBe(manifest.features.slash_commands[0]?.url);
  });
});

describe("manifest.socket-mode.yml", () => {
  it("turns Socket Mode on and has no URL, which Socket Mode does not use", () => {
    expect(socketMode.settings.socket_mode_enabled).toBe(true);
    expect(socketMode.features.slash_commands[0]?.url).toBeUndefined();
    expect(socketMode.settings.interactivity.request_url).toBeUndefined();
    expect(socketMode.settings.event_subscriptions?.request_url).toBeUndefined();
  });

  it("says everything else exactly as manifest.yml does", () => {
    expect(withoutModeFields(socketMode)).toEqual(withoutModeFields(manifest));
  });
});
