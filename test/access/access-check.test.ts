// The access checker on its own: policy rules, Slack Connect and user groups, decided from what the real Slack
// directory (over HTTP, against the fake Slack Web API) answers, with and without a policy file.
import { WebClient } from "@slack/web-api";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeSlack, startFakeSlack } from "../../sim/fake-slack/index.js";
import { type AccessChecker, createAccessChecker } from "../../src/access/access-check.js";
import { type AccessPolicy, parsePolicy } from "../../src/access/policy.js";
import { manualClock } from "../../src/clock.js";
import { createSlackDirectory } from "../../src/slack/io/slack-directory.js";
import { customerRef } from "../support/customer.js";

const ONCALL = "C0ONCALL";
const OTHER = "C0OTHER";
const ALICE = "U0ALICE";
const BOB = "U0BOB";
const silent = pino({ level: "silent" });

const POLICY = parsePolicy(
  JSON.stringify({
    aliases: { acme: "23456" },
    repeaters: [ALICE],
    channels: {
      [ONCALL]: { customers: ["acme", "ext:A2300"], repeaters: ["S0ONCALL"], allow_teams: ["T0PARTNER"] },
      [OTHER]: { customers: ["*"], allow_shared_channel: true },
    },
  }),
  "policy.json",
);

const slacks: FakeSlack[] = [];
afterEach(async () => {
  await Promise.all(slacks.splice(0).map((slack) => slack.close()));
});

async function setUp(
  policy: AccessPolicy | null = POLICY,
  options: { installingTeamId?: string | undefined } = {},
): Promise<{ slack: FakeSlack; access: AccessChecker; clock: ReturnType<typeof manualClock> }> {
  const slack = await startFakeSlack();
  slacks.push(slack);
  const clock = manualClock(Date.UTC(2026, 2, 1, 9));
  const web = new WebClient("xoxb-test-token", { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
  const installingTeamId = "installingTeamId" in options ? options.installingTeamId : slack.teamId;
  const access = createAccessChecker({
    policy,
    installingTeamId: () => installingTeamId,
    directory: createSlackDirectory(web, clock),
    logger: silent,
  });
  return { slack, access, clock };
}

const acme = customerRef("23456");

describe("the access checker", () => {
  it("lets a channel see only the customers its policy names, aliases included", async () => {
    const { access } = await setUp();
    expect(access.resolveAlias("ACME")).toBe("23456");
    expect(await access.canView({ channel: ONCALL, userId: BOB }, acme)).toEqual({ ok: true });
    expect(await access.canView({ channel: ONCALL, userId: BOB }, customerRef("ext:A2300"))).toEqual({
      ok: true,
    });
    expect(await access.canView({ channel: ONCALL, userId: BOB }, customerRef("99999"))).toEqual({
      ok: false,
      reason: "This channel is not allowed to see customer 99999.",
    });
    expect((await access.canView({ channel: "C0NOPOLICY", userId: BOB }, acme)).ok).toBe(false);
    expect(await access.canView({ channel: OTHER, userId: BOB }, customerRef("99999"))).toEqual({ ok: true });
  });

  it("lets global repeaters and members of a channel's repeater group repeat, and nobody else", async () => {
    const { slack, access } = await setUp();
    slack.setUserGroup("S0ONCALL", ["U0CAROL"]);
    expect(await access.canRepeat({ channel: ONCALL, userId: ALICE }, acme)).toEqual({ ok: true });
    expect(await access.canRepeat({ channel: ONCALL, userId: "U0CAROL" }, acme)).toEqual({ ok: true });
    expect(await access.canRepeat({ channel: ONCALL, userId: BOB }, acme)).toEqual({
      ok: false,
      reason: "You are not allowed to repeat jobs in this channel.",
    });
    // The group is a rule of ONCALL only.
    expect((await access.canRepeat({ channel: OTHER, userId: "U0CAROL" }, acme)).ok).toBe(false);
  });

  it("keeps people of other organisations out, unless the channel names their team", async () => {
    const { slack, access } = await setUp();
    slack.setUserTeam("U0GUEST", "T0ELSEWHERE");
    slack.setUserTeam("U0PARTNER", "T0PARTNER");
    expect(await access.canView({ channel: ONCALL, userId: "U0GUEST" }, acme)).toEqual({
      ok: false,
      reason: "People from other organisations cannot use this bot here.",
    });
    expect(await access.canView({ channel: ONCALL, userId: "U0PARTNER" }, acme)).toEqual({ ok: true });
    // A block action names the user's team itself: no users.info needed.
    const before = slack.calls.filter((call) => call.method === "users.info").length;
    expect(
      (await access.canView({ channel: ONCALL, userId: "U0X", userTeamId: "T0ELSEWHERE" }, acme)).ok,
    ).toBe(false);
    expect(slack.calls.filter((call) => call.method === "users.info")).toHaveLength(before);
  });

  it("refuses Slack Connect channels unless the policy allows them, and says so", async () => {
    const { slack, access } = await setUp();
    slack.setChannelInfo(ONCALL, { isExtShared: true });
    slack.setChannelInfo(OTHER, { isExtShared: true });
    expect(await access.canUseChannel({ channel: ONCALL, userId: BOB })).toEqual({
      ok: false,
      reason:
        "This channel is shared with another organisation (Slack Connect); customer jobs are not shown here.",
    });
    expect(await access.canUseChannel({ channel: OTHER, userId: BOB })).toEqual({ ok: true });
  });

  it("refuses when Slack cannot tell what it needs, and while the installing team is not known yet", async () => {
    const { slack, access } = await setUp();
    slack.failNext("conversations.info", { error: "channel_not_found" });
    expect(await access.canView({ channel: ONCALL, userId: BOB }, acme)).toMatchObject({
      ok: false,
      reason: expect.stringContaining("invite me with /invite @workato-jobs"),
    });
    slack.failNext("users.info", { error: "user_not_found" });
    expect(await access.canView({ channel: ONCALL, userId: "U0NEW" }, acme)).toMatchObject({
      ok: false,
      reason: expect.stringContaining("could not check which organisation you belong to"),
    });
    const starting = await setUp(POLICY, { installingTeamId: undefined });
    expect(await starting.access.canView({ channel: ONCALL, userId: BOB }, acme)).toEqual({
      ok: false,
      reason: "I am still starting; try again in a moment.",
    });
  });

  it("asks Slack again once its answers are five minutes old, by the one clock", async () => {
    const { slack, access, clock } = await setUp();
    const infoCalls = () => slack.calls.filter((call) => call.method === "conversations.info").length;
    await access.canUseChannel({ channel: ONCALL, userId: BOB });
    await access.canUseChannel({ channel: ONCALL, userId: BOB });
    expect(infoCalls()).toBe(1);
    clock.advance(5 * 60_000 + 1);
    await access.canUseChannel({ channel: ONCALL, userId: BOB });
    expect(infoCalls()).toBe(2);
  });

  it("lets everyone of the installing organisation view and repeat anywhere without a policy", async () => {
    const { access } = await setUp(null);
    expect(access.resolveAlias("acme")).toBe("acme");
    expect(await access.canRepeat({ channel: "C0ANY", userId: BOB }, customerRef("99999"))).toEqual({
      ok: true,
    });
  });
});
