// Watch alerts as Block Kit: what each kind of error shows, what its buttons carry, and staying within Slack's limits.
import { describe, expect, it } from "vitest";
import { decodeMuteValue, encodeMuteValue } from "../../../src/slack/blocks/action-ids.js";
import {
  buildAlertFollowUp,
  buildAlertMessage,
  buildWatchPausedMessage,
} from "../../../src/slack/blocks/alert-blocks.js";
import type { SlackMessage } from "../../../src/slack/blocks/elements.js";
import { buildRecipeStoppedMessage } from "../../../src/slack/blocks/recipe-stopped-blocks.js";
import type { WatchRecord } from "../../../src/store/store.js";
import {
  type AlertMessage,
  type AlertMessageGroup,
  type FailedJob,
  NOTHING_HANDLED,
} from "../../../src/watch/alert-sink.js";
import { createWorkatoLinks } from "../../../src/workato/workato-links.js";
import { customerRef } from "../../support/customer.js";
import { unpolledWatch } from "../../support/watch.js";
import { buttonsLabelled, buttonsOf, decodedValue, expectSlackAccepts, mrkdwnTexts } from "./slack-checks.js";

const AT = Date.UTC(2026, 2, 1, 9);
const SIG_A = "aaaaaaaaaaaa";
const SIG_B = "bbbbbbbbbbbb";

const watch: WatchRecord = unpolledWatch({
  id: 7,
  channel: "C0ONCALL",
  customer: "ext:A2300",
  recipeId: 28904,
  createdBy: "U0ALICE",
  mentions: ["<@U0BOB>", "<!subteam^S0ONCALL>"],
  createdAt: AT,
});
const target = { watch, customer: customerRef("ext:A2300"), recipeName: "Salesforce accounts to NetSuite" };

function jobs(count: number, prefix = "A"): FailedJob[] {
  return Array.from({ length: count }, (_, index) => ({
    id: `j-${prefix}${String(index).padStart(7, "0")}-abcdef`,
    masterJobId: `j-${prefix}${String(index).padStart(7, "0")}-abcdef`,
    startedAt: new Date(AT - index * 1000).toISOString(),
  }));
}

function group(
  signature: string,
  firstLine: string,
  failed: FailedJob[],
  extra: Partial<AlertMessageGroup> = {},
): AlertMessageGroup {
  return {
    signature,
    firstLine,
    jobs: failed,
    total: failed.length,
    outstanding: failed,
    handled: NOTHING_HANDLED,
    lastSeenAt: AT,
    mutedUntil: null,
    ...extra,
  };
}

function alert(groups: AlertMessageGroup[], extra: Partial<AlertMessage> = {}): SlackMessage {
  return buildAlertMessage({ target, mention: false, truncated: false, postedAt: AT, groups, ...extra });
}

describe("the alert", () => {
  it("shows each kind of error with its count, first line and jobs, and buttons for exactly those jobs", () => {
    const a = jobs(2, "A");
    const repeat: FailedJob = { id: "j-Repeat01-xyzxyz", masterJobId: "j-Original-xyzxyz", startedAt: null };
    const message = alert([
      group(SIG_A, "NetSuite: Upsert customer failed: 400 Bad Request", a),
      group(SIG_B, "Salesforce: INVALID_SESSION_ID", [repeat]),
    ]);

    expectSlackAccepts(message);
    const shown = mrkdwnTexts(message).join("\n");
    expect(shown).toContain("3 new failed jobs");
    expect(shown).toContain("*2×* NetSuite: Upsert customer failed: 400 Bad Request");
    expect(shown).toContain(a[0]?.id);
    expect(shown).toContain("Salesforce accounts to NetSuite");
    expect(decodedValue(buttonsLabelled(message, "Details")[0])).toEqual({
      c: "ext:A2300",
      r: 28904,
      j: [a[0]?.id],
    });
    expect(decodedValue(buttonsLabelled(message, "Repeat 2 failed")[0]).j).toEqual(a.map((job) => job.id));
    // A repeat is repeated through its original, as repeat_jobs requires.
    expect(decodedValue(buttonsLabelled(message, "Repeat 1 failed")[0]).j).toEqual(["j-Original-xyzxyz"]);
    const mutes = buttonsLabelled(message, /^Mute/).map((button) => decodeMuteValue(button.value));
    expect(mutes).toEqual([
      { w: 7, s: SIG_A, h: 1 },
      { w: 7, s: SIG_A, h: 24 },
      { w: 7, s: SIG_B, h: 1 },
      { w: 7, s: SIG_B, h: 24 },
    ]);
    const actionIds = buttonsOf(message).map((button) => button.actionId);
    expect(new Set(actionIds).size).toBe(actionIds.length);
  });

  it("has Repeat N failed carry the oldest of its masters' starts, and no start when a master's is not known", () => {
    const a = jobs(3, "A");
    // A failed repeat of a[2] kept in the thread: its own start is later than its master's and bounds nothing.
    const again: FailedJob = {
      id: "j-Again001-xyzxyz",
      masterJobId: a[2]?.id ?? "",
      startedAt: new Date(AT + 60_000).toISOString(),
      followUp: true,
    };
    const orphan: FailedJob = { id: "j-Repeat01-xyzxyz", masterJobId: "j-Original-xyzxyz", startedAt: null };
    const message = alert([
      group(SIG_A, "NetSuite: Upsert customer failed", a, { outstanding: [again, ...a.slice(1)] }),
      group(SIG_B, "Salesforce: INVALID_SESSION_ID", [orphan]),
    ]);
    const bounded = decodedValue(buttonsLabelled(message, "Repeat 2 failed")[0]);
    expect(bounded.j).toEqual([a[2]?.id, a[1]?.id]);
    expect(bounded.t).toBe(Math.floor((AT - 2000) / 1000));
    expect(decodedValue(buttonsLabelled(message, "Repeat 1 failed")[0]).t).toBeUndefined();
  });

  it("mentions the watch's people and groups only when asked, and never anything else stored as a mention", () => {
    const failed = [group(SIG_A, "Boom", jobs(1))];
    expect(mrkdwnTexts(alert(failed)).join(" ")).not.toContain("<@U0BOB>");
    const mentioned = alert(failed, {
      mention: true,
      target: { ...target, watch: { ...watch, mentions: ["<@U0BOB>", "<!channel>", "<!subteam^S0ONCALL>"] } },
    });
    expect(mentioned.text).toContain("<@U0BOB> <!subteam^S0ONCALL>");
    expect(JSON.stringify(mentioned)).not.toContain("<!channel>");
  });

  it("escapes the error text, so an error cannot ping a channel or fake a link", () => {
    const message = alert([group(SIG_A, "<!channel> see <https://evil.example|your bank> & pay", jobs(1))]);
    for (const text of mrkdwnTexts(message)) {
      expect(text).not.toContain("<!channel>");
      expect(text).not.toContain("<https://evil");
    }
    expect(mrkdwnTexts(message).join("\n")).toContain("&lt;!channel&gt;");
  });

  it("stays within Slack's limits with 30 kinds of error, 300 jobs each and 5,000-character errors", () => {
    const groups = Array.from({ length: 30 }, (_, index) =>
      group(index.toString(16).padStart(12, "0"), `${"E".repeat(4990)} ${index}`, jobs(300, String(index))),
    );
    const message = alert(groups, { truncated: true });

    expectSlackAccepts(message);
    const shown = mrkdwnTexts(message).join("\n");
    expect(shown).toMatch(/… and \d+ other kinds of error/);
    expect(shown).toContain("only the newest are listed");
    // Each "Repeat N failed" carries as many ids as fit in a button, and says how many.
    for (const button of buttonsLabelled(message, /^Repeat \d+ failed$/)) {
      expect(button.text).toBe(`Repeat ${decodedValue(button).j?.length} failed`);
    }
  });

  it("once redrawn, shows the count so far and, for a muted kind, the mute instead of its Mute buttons", () => {
    const message = alert([
      group(SIG_A, "Boom", jobs(2), { total: 9, lastSeenAt: AT + 600_000 }),
      group(SIG_B, "Bang", jobs(1, "B"), { mutedUntil: AT + 3_600_000 }),
    ]);

    expectSlackAccepts(message);
    const shown = mrkdwnTexts(message).join("\n");
    expect(shown).toContain("9 so far");
    expect(shown).toContain("7 more in the thread");
    expect(shown).toContain("Muted until");
    expect(buttonsLabelled(message, /^Mute/).map((button) => decodeMuteValue(button.value)?.s)).toEqual([
      SIG_A,
      SIG_A,
    ]);
    // The alert's repeat still covers the jobs it listed, not those in the thread.
    expect(buttonsLabelled(message, "Repeat 2 failed")).toHaveLength(1);
  });
});

describe("an alert whose jobs were repeated", () => {
  it("lists as failed only the jobs still to handle, counts the fixed ones, and agrees with its headline", () => {
    const own = jobs(3);
    const [fixed, running, left] = own as [FailedJob, FailedJob, FailedJob];
    const message = alert([
      group(SIG_A, "Boom", own, {
        outstanding: [left],
        handled: { succeeded: 1, running: 1, repeatedBy: ["U0ALICE"], inWorkato: false },
        fixedJobIds: [fixed.id],
      }),
    ]);
    expectSlackAccepts(message);
    const text = mrkdwnTexts(message).join("\n");
    expect(text).toContain("*1 failed job left*");
    expect(text).toContain("*1×* Boom");
    expect(text).toContain("1 job fixed");
    expect(text).toContain("1 job repeated, repeat running");
    expect(text).not.toContain(fixed.id.slice(0, 10));
    expect(text).not.toContain(running.id.slice(0, 10));
    expect(decodedValue(buttonsLabelled(message, "Repeat 1 failed")[0]).j).toEqual([left.id]);
  });
});

describe("a reply in the alert's thread", () => {
  it("lists the new jobs with the total so far, and repeats exactly those", () => {
    const more = jobs(3, "C");
    const reply = buildAlertFollowUp({
      target,
      groups: [{ group: { signature: SIG_A, firstLine: "Boom", jobs: more }, total: 5, firstSeenAt: AT }],
    });

    expectSlackAccepts(reply);
    expect(reply.text).toBe("3 more failed jobs of the same kind (5 in all)");
    expect(mrkdwnTexts(reply).join("\n")).toContain("5 of this kind since");
    expect(decodedValue(buttonsLabelled(reply, "Repeat 3 failed")[0]).j).toEqual(more.map((job) => job.id));
  });

  it("once redrawn, repeats only the jobs still to handle, and none when all were fixed", () => {
    const more = jobs(3, "C");
    const [fixed, running, left] = more as [FailedJob, FailedJob, FailedJob];
    const drawn = (outstanding: FailedJob[], succeeded: number, running: number) =>
      buildAlertFollowUp({
        target,
        groups: [
          {
            group: { signature: SIG_A, firstLine: "Boom", jobs: more },
            total: 5,
            firstSeenAt: AT,
            now: { outstanding, handled: { succeeded, running, repeatedBy: ["U0ALICE"], inWorkato: false } },
          },
        ],
      });

    const partly = drawn([left], 1, 1);
    expectSlackAccepts(partly);
    expect(partly.text).toBe("1 more failed job of the same kind (5 in all)");
    expect(decodedValue(buttonsLabelled(partly, "Repeat 1 failed")[0]).j).toEqual([left.id]);
    const partlyText = mrkdwnTexts(partly).join("\n");
    expect(partlyText).toContain("1 job fixed");
    expect(partlyText).toContain("1 repeat running");
    expect(partlyText).not.toContain(fixed.id);
    expect(partlyText).not.toContain(running.id);

    const done = drawn([], 3, 0);
    expect(buttonsLabelled(done, /^Repeat/)).toEqual([]);
    expect(mrkdwnTexts(done).join("\n")).toContain("3 jobs fixed (repeated by <@U0ALICE>) · *0 left*");
  });

  it("stays within Slack's limits however many kinds and jobs it holds", () => {
    const reply = buildAlertFollowUp({
      target,
      groups: Array.from({ length: 40 }, (_, index) => ({
        group: { signature: SIG_A, firstLine: "x".repeat(5000), jobs: jobs(500, String(index)) },
        total: 1000,
        firstSeenAt: AT,
      })),
    });
    expectSlackAccepts(reply);
    expect(mrkdwnTexts(reply).join("\n")).toMatch(/… and \d+ other kinds of error/);
  });
});

describe("muting from an alert", () => {
  it("drawn from the store: that kind says until when and who muted it, with Unmute, the other kinds as they were", () => {
    const until = AT + 3_600_000;
    const muted = alert([
      group(SIG_A, "Boom", jobs(1), { mutedUntil: until, mutedBy: "U0ALICE" }),
      group(SIG_B, "Bang", jobs(1, "B")),
    ]);

    expectSlackAccepts(muted);
    expect(buttonsLabelled(muted, /^Mute/).map((button) => decodeMuteValue(button.value)?.s)).toEqual([
      SIG_B,
      SIG_B,
    ]);
    expect(buttonsLabelled(muted, "Unmute")).toHaveLength(1);
    expect(mrkdwnTexts(muted).join("\n")).toContain(`:no_bell: Muted until <!date^${until / 1000}`);
    expect(mrkdwnTexts(muted).join("\n")).toContain("by <@U0ALICE>");
    expect(buttonsLabelled(muted, "Repeat 1 failed")).toHaveLength(2);
  });

  it("accepts only the mute values it made", () => {
    expect(decodeMuteValue(encodeMuteValue({ w: 7, s: SIG_A, h: 24 }))).toEqual({ w: 7, s: SIG_A, h: 24 });
    expect(decodeMuteValue(encodeMuteValue({ w: 7, s: "*", h: 1 }))).toEqual({ w: 7, s: "*", h: 1 });
    for (const tampered of [
      '{"w":7,"s":"not-a-signature","h":1}',
      '{"w":7,"s":"aaaaaaaaaaaa","h":0}',
      '{"w":7,"s":"aaaaaaaaaaaa","h":100000}',
      '{"w":-1,"s":"aaaaaaaaaaaa","h":1}',
      '{"w":7,"s":"aaaaaaaaaaaa","h":1,"c":"23456"}',
      "not json",
      `{"w":7,"s":"${"a".repeat(3000)}","h":1}`,
      undefined,
    ]) {
      expect(decodeMuteValue(tampered)).toBeNull();
    }
  });
});

describe("the notice that a watch stopped", () => {
  it("says which watch, why, and how to start it again", () => {
    const message = buildWatchPausedMessage({
      customer: customerRef("23456"),
      recipeId: 28904,
      recipeName: null,
      reason:
        'Workato refused access (403) 3 times in a row: the API client\'s role needs Jobs "List" and "Get details" <access>.',
    });
    expectSlackAccepts(message);
    const shown = mrkdwnTexts(message).join("\n");
    expect(shown).toContain("Stopped watching");
    expect(shown).toContain("Recipe 28904");
    expect(shown).toContain('"List" and "Get details" &lt;access&gt;');
    expect(shown).toContain("/workato-jobs watch 23456 28904");
  });
});

describe("an alert's links", () => {
  const links = createWorkatoLinks({ baseUrl: "https://app.eu.workato.com" });
  const runbook = "https://wiki.example.com/runbooks/salesforce";
  const withRunbook = { ...target, watch: { ...watch, runbookUrl: runbook } };

  it("opens the newest job's page in the data centre's app, and the watch's runbook, as link buttons", () => {
    const a = jobs(2, "A");
    const message = buildAlertMessage(
      { target: withRunbook, mention: false, truncated: false, postedAt: AT, groups: [group(SIG_A, "x", a)] },
      links,
    );
    expectSlackAccepts(message);
    expect(
      buttonsOf(message)
        .filter((button) => button.url !== undefined)
        .map((b) => [b.text, b.url]),
    ).toEqual([
      ["Open in Workato", "https://app.eu.workato.com/recipes/28904"],
      ["Runbook", runbook],
    ]);
  });

  it("has no link buttons without links or a runbook, and only the runbook without links", () => {
    const group1 = [group(SIG_A, "x", jobs(1, "A"))];
    expect(buttonsOf(alert(group1)).filter((button) => button.url !== undefined)).toEqual([]);
    const runbookOnly = buildAlertMessage({
      target: withRunbook,
      mention: false,
      truncated: false,
      postedAt: AT,
      groups: group1,
    });
    expect(buttonsLabelled(runbookOnly, /Open in Workato|Runbook/).map((button) => button.text)).toEqual([
      "Runbook",
    ]);
  });

  it("puts Open in Workato (the recipe) and Runbook beside Start recipe on a recipe-stopped alert", () => {
    const message = buildRecipeStoppedMessage(
      { target: withRunbook, cause: "trigger_errors_limit", stoppedAt: null, mention: false, at: AT },
      links,
    );
    expectSlackAccepts(message);
    expect(buttonsOf(message).map((button) => [button.text, button.url])).toEqual([
      ["I'm on it", undefined],
      ["Start recipe", undefined],
      ["Open in Workato", "https://app.eu.workato.com/recipes/28904"],
      ["Runbook", runbook],
    ]);
  });
});
