// Which app_home_opened envelopes the HTTP guard hands to Bolt: the real event's shape only, since Bolt reads its
// fields unchecked; every other event is still answered by the guard.
import { describe, expect, it } from "vitest";
import { classifyEnvelope } from "../../src/http/slack-envelope.js";

const opened = (event: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  type: "event_callback",
  team_id: "T0TEAM",
  event: { type: "app_home_opened", user: "U0ALICE", channel: "D0HOME", tab: "home", ...event },
  ...extra,
});

describe("the guard and app_home_opened", () => {
  it("passes Slack's app_home_opened event on to Bolt", () => {
    expect(classifyEnvelope(opened({}), ["/workato-jobs"])).toEqual({
      action: "dispatch",
      kind: "app_home_opened",
    });
  });

  it.each([
    ["without a user", opened({ user: undefined })],
    ["with a user that is no Slack user id", opened({ user: { id: "U0ALICE" } })],
    ["with an item Bolt would look into", opened({ item: "x" })],
    ["with a channel that is an object", opened({ channel: { id: 1 } })],
    ["with authorizations of the wrong shape", opened({}, { authorizations: [null] })],
    ["with a command beside it", opened({}, { command: "/workato-jobs" })],
  ])("refuses one %s with 400", (_what, body) => {
    expect(classifyEnvelope(body, ["/workato-jobs"])).toMatchObject({ action: "answer", status: 400 });
  });

  it("still answers every other event itself with 200", () => {
    const mention = { type: "event_callback", event: { type: "app_mention", user: "U0ALICE" } };
    expect(classifyEnvelope(mention, ["/workato-jobs"])).toMatchObject({ action: "answer", status: 200 });
  });
});
