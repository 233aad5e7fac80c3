// The on-call part of an alert as Block Kit: who is on it, who resolved it and why, who the escalation called, and
// which buttons that leaves; the Take over answer, the Resolve dialog and the follow-up's mention of the holder.
import { describe, expect, it } from "vitest";
import { decodeOnCallValue, decodeResolveMetadata } from "../../../src/slack/blocks/action-ids.js";
import { buildAlertFollowUp, buildAlertMessage } from "../../../src/slack/blocks/alert-blocks.js";
import {
  buildEscalationReply,
  buildResolveModal,
  buildTakenByOther,
} from "../../../src/slack/blocks/alert-on-call-blocks.js";
import { type AlertOnCall, NOBODY_ON_IT } from "../../../src/watch/alert-on-call.js";
import { NOTHING_HANDLED } from "../../../src/watch/alert-sink.js";
import { kindButtons, ON_CALL_BUTTONS, watchRecordOf } from "../../support/alert-fixtures.js";
import { customerRef } from "../../support/customer.js";
import { buttonsOf, expectSlackAccepts, mrkdwnTexts } from "./slack-checks.js";

const AT = Date.UTC(2026, 2, 1, 3, 12);
const watch = watchRecordOf({ createdAt: AT, mentions: ["<@U0BOB>"] });
const target = { watch, customer: customerRef("23456"), recipeName: "Salesforce accounts to NetSuite" };
const failed = [{ id: "j-1", masterJobId: "j-1", startedAt: new Date(AT).toISOString() }];

function alertWith(onCall: AlertOnCall) {
  return buildAlertMessage({
    target,
    mention: false,
    truncated: false,
    postedAt: AT,
    onCall,
    groups: [
      {
        signature: "aaaaaaaaaaaa",
        firstLine: "NetSuite: Upsert customer failed",
        jobs: failed,
        total: 1,
        outstanding: failed,
        handled: NOTHING_HANDLED,
        lastSeenAt: AT,
        mutedUntil: null,
      },
    ],
  });
}
const labels = (message: ReturnType<typeof alertWith>) => buttonsOf(message).map((button) => button.text);

describe("an alert's on-call line and buttons", () => {
  it("offers I'm on it and Resolve… while nobody has it, each carrying only the watch", () => {
    const message = alertWith(NOBODY_ON_IT);
    expectSlackAccepts(message);
    expect(labels(message)).toEqual([...ON_CALL_BUTTONS, ...kindButtons(1)]);
    expect(decodeOnCallValue(buttonsOf(message)[0]?.value)).toEqual({ w: 7 });
    expect(mrkdwnTexts(message).join("\n")).not.toContain("is on it");
  });

  it("shows who is on it since when, with Release, and who the escalation called", () => {
    const message = alertWith({
      ...NOBODY_ON_IT,
      takenBy: "U0BOB",
      takenAt: AT,
      escalatedTo: ["<@U0SEC>", "<!channel>"],
    });
    expectSlackAccepts(message);
    const shown = mrkdwnTexts(message).join("\n");
    expect(shown).toContain(`:eyes: <@U0BOB> is on it since <!date^${AT / 1000}^`);
    // Only real mentions are ever written: a stored @channel is dropped.
    expect(shown).toContain(":mega: escalated to <@U0SEC>");
    expect(shown).not.toContain("<!channel>");
    expect(labels(message).slice(0, 2)).toEqual(["Release", "Resolve…"]);
  });

  it("once resolved by hand, shows by whom and why, loses Repeat, and offers Reopen", () => {
    const message = alertWith({
      ...NOBODY_ON_IT,
      resolvedBy: "U0ALICE",
      resolvedReason: "duplicate of <!channel>",
    });
    expectSlackAccepts(message);
    const shown = mrkdwnTexts(message).join("\n");
    // The reason is the person's own words: shown, never a ping.
    expect(shown).toContain(":heavy_check_mark: Resolved by <@U0ALICE>: duplicate of &lt;!channel&gt;");
    expect(shown).toContain(
      ":heavy_check_mark: *Resolved by hand*: failed jobs of *Salesforce accounts to NetSuite*",
    );
    expect(shown).not.toContain("new failed job");
    expect(labels(message)).not.toContain("Repeat 1 failed");
    expect(labels(message)).toContain("Reopen");
    expect(labels(message)).not.toContain("I'm on it");
  });
});

describe("the on-call answers", () => {
  it("tells who has the alert, with a Take over that asks first and names the holder it replaces", () => {
    const message = buildTakenByOther({
      holder: "U0BOB",
      since: AT,
      watchId: 7,
      alertTs: "1772334720.000100",
    });
    expectSlackAccepts(message);
    expect(message.text).toContain("<@U0BOB> is on this alert since");
    const [takeOver] = buttonsOf(message);
    expect(takeOver?.text).toBe("Take over");
    expect(takeOver?.element.confirm).toBeDefined();
    expect(decodeOnCallValue(takeOver?.value)).toEqual({ w: 7, m: "1772334720.000100", o: "U0BOB" });
  });

  it("opens a Resolve dialog with the usual reasons and room for one's own, naming the alert in its metadata", () => {
    const view = buildResolveModal({ w: 7, c: "C0ONCALL", m: "1772334720.000100" });
    expect(JSON.stringify(view.blocks)).toContain("won't fix");
    expect(decodeResolveMetadata(view.private_metadata)).toEqual({
      w: 7,
      c: "C0ONCALL",
      m: "1772334720.000100",
    });
    expect(decodeResolveMetadata('{"w":7,"c":"C0ONCALL","m":"x"}')).toBeNull();
  });

  it("mentions the next in line once in an escalation, and the holder in a follow-up", () => {
    expect(buildEscalationReply({ mentions: ["<@U0SEC>"], afterMs: 15 * 60_000 }).text).toContain(
      "<@U0SEC> — nobody has taken or resolved this alert in 15 min",
    );
    const followUp = buildAlertFollowUp({
      target,
      takenBy: "U0BOB",
      groups: [
        {
          group: { signature: "aaaaaaaaaaaa", firstLine: "NetSuite: Upsert customer failed", jobs: failed },
          total: 2,
          firstSeenAt: AT,
        },
      ],
    });
    expectSlackAccepts(followUp);
    expect(followUp.text).toMatch(/^:eyes: <@U0BOB> is on it: 1 more failed job/);
    expect(followUp.text).not.toContain("U0ALICE");
  });
});
