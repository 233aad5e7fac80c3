// Alert decisions as pure functions: which new failures are muted, already alerted, a follow-up in a recent alert's
// thread, or a new alert, given only the failures and the watch's alert history.
import { describe, expect, it } from "vitest";
import type { AlertThreadRecord } from "../../src/store/store.js";
import { type AlertHistory, decideAlerts, groupBySignature } from "../../src/watch/alert-decisions.js";
import { createAlertMessages } from "../../src/watch/alert-messages.js";
import { errorSignature } from "../../src/watch/error-signature.js";
import { type JobSummary, jobSummarySchema } from "../../src/workato/schemas.js";

const AT = Date.UTC(2026, 2, 1, 9);
const HOUR = 3_600_000;
const NETSUITE = "NetSuite: Upsert customer failed: 400 Bad Request";
const timeout = (n: number) => `Salesforce: request ${n} timed out after ${3000 + n} ms`;

function failed(id: string, error: string | null): JobSummary {
  return jobSummarySchema.parse({ id, status: "failed", error, started_at: "2026-03-01T08:59:00Z" });
}

function history(
  threads: Record<string, Partial<AlertThreadRecord>> = {},
  mutes: Record<string, number> = {},
): AlertHistory {
  return {
    mutedUntil: (signature) => Math.max(mutes[signature] ?? 0, mutes["*"] ?? 0) || null,
    thread: (signature) => {
      const thread = threads[signature];
      if (!thread) return undefined;
      return {
        watchId: 1,
        signature,
        channel: "C0ONCALL",
        ts: "1700000000.000100",
        firstSeenAt: AT - HOUR,
        lastSeenAt: AT - 10 * 60_000,
        count: 1,
        jobIds: [],
        firstLine: "",
        jobs: [],
        mentioned: false,
        resolvedAt: null,
        ...thread,
      };
    },
  };
}

const netsuite = errorSignature(NETSUITE).signature;
const salesforce = errorSignature(timeout(1)).signature;

describe("grouping new failures", () => {
  it("puts failures that differ only in ids and numbers under one signature, newest kind first", () => {
    const groups = groupBySignature([
      failed("j-3", timeout(3)),
      failed("j-2", NETSUITE),
      failed("j-1", timeout(1)),
    ]);
    expect(groups.map((group) => [group.signature, group.jobs.map((job) => job.id)])).toEqual([
      [salesforce, ["j-3", "j-1"]],
      [netsuite, ["j-2"]],
    ]);
    expect(groups[0]?.firstLine).toBe(timeout(3));
  });
});

describe("deciding alerts", () => {
  it("alerts a kind never seen before afresh, and says it is the first ever", () => {
    const decisions = decideAlerts([failed("j-1", NETSUITE)], history(), AT, HOUR);
    expect(decisions.freshGroups).toEqual([
      { group: expect.objectContaining({ signature: netsuite }), firstEver: true },
    ]);
    expect(decisions.followUps.size).toBe(0);
  });

  it("sends more of a kind alerted within the window to that alert's thread, and starts a new alert after it", () => {
    const recent = history({ [netsuite]: { lastSeenAt: AT - 59 * 60_000 } });
    const followUp = decideAlerts([failed("j-2", NETSUITE)], recent, AT, HOUR);
    expect([...followUp.followUps.keys()]).toEqual(["1700000000.000100"]);
    expect(followUp.freshGroups).toEqual([]);

    const old = history({ [netsuite]: { lastSeenAt: AT - 61 * 60_000 } });
    const again = decideAlerts([failed("j-2", NETSUITE)], old, AT, HOUR);
    expect(again.followUps.size).toBe(0);
    expect(again.freshGroups).toEqual([
      { group: expect.objectContaining({ signature: netsuite }), firstEver: false },
    ]);
  });

  it("leaves out a muted kind, or everything while the whole watch is muted, and counts what it left out", () => {
    const failures = [failed("j-2", NETSUITE), failed("j-1", timeout(1))];
    const oneKind = decideAlerts(failures, history({}, { [netsuite]: AT + HOUR }), AT, HOUR);
    expect(oneKind.muted).toBe(1);
    expect(oneKind.freshGroups.map(({ group }) => group.signature)).toEqual([salesforce]);

    const everything = decideAlerts(failures, history({}, { "*": AT + HOUR }), AT, HOUR);
    expect(everything).toMatchObject({ muted: 2, freshGroups: [] });

    const ended = decideAlerts(failures, history({}, { "*": AT }), AT, HOUR);
    expect(ended.muted).toBe(0);
    expect(ended.freshGroups).toHaveLength(2);
  });

  it("skips failures an earlier poll already alerted, alerting only the rest of their kind", () => {
    const alerted = history({ [netsuite]: { jobIds: ["j-1", "j-2"], lastSeenAt: AT - 61 * 60_000 } });
    const decisions = decideAlerts(
      [failed("j-3", NETSUITE), failed("j-2", NETSUITE), failed("j-1", NETSUITE)],
      alerted,
      AT,
      HOUR,
    );
    expect(decisions.alreadyAlerted).toBe(2);
    expect(decisions.freshGroups[0]?.group.jobs.map((job) => job.id)).toEqual(["j-3"]);

    const allAlerted = decideAlerts([failed("j-2", NETSUITE)], alerted, AT, HOUR);
    expect(allAlerted).toMatchObject({ alreadyAlerted: 1, freshGroups: [], followUps: new Map() });
  });

  it("puts two kinds last alerted in the same message into one reply in its thread", () => {
    const both = history({ [netsuite]: {}, [salesforce]: {} });
    const decisions = decideAlerts([failed("j-2", NETSUITE), failed("j-1", timeout(1))], both, AT, HOUR);
    expect(decisions.followUps.get("1700000000.000100")?.map(({ group }) => group.signature)).toEqual([
      netsuite,
      salesforce,
    ]);
  });
});

describe("what each alert last showed, remembered to redraw only on change", () => {
  it("knows what an alert showed until it was drawn longer ago than the cutoff", () => {
    const messages = createAlertMessages();
    messages.remember("C0ONCALL", "1.1", "a:1", AT - 2 * HOUR);
    messages.remember("C0ONCALL", "1.2", "a:2", AT - 2 * HOUR);
    messages.remember("C0ONCALL", "1.2", "a:3", AT);
    messages.forgetBefore(AT - HOUR);
    expect(messages.drawn("C0ONCALL", "1.1")).toBeUndefined();
    expect(messages.drawn("C0ONCALL", "1.2")).toBe("a:3");
  });
});
