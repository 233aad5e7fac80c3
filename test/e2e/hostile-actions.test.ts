// Tampered and random button payloads against the running app, and Workato answering garbage: every request is
// acknowledged, every person gets a clear private answer, and nothing reaches Workato that should not.
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ALICE, CHANNEL, CUSTOMER, RECIPE } from "../../sim/app-harness.js";
import { repeatByCommand } from "../../sim/repeat-command.js";
import { isRepeatSummary } from "../../sim/repeat-summary.js";
import { harnessPerTest } from "../support/harness-per-test.js";

const start = harnessPerTest();

const ACTION_IDS = [
  "job_details:0",
  "job_details_select:1",
  "step_data:2",
  "repeat_one:3",
  "repeat_failed:4",
  "page_older:5",
  "page_newer:6",
  "watch_mute:7",
  "totally_unknown",
  "",
];

/** Values a person could forge: another customer, garbage, path tricks, huge id lists. Never the channel's own customer. */
const forgedValue = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.json({ maxDepth: 3 }),
  fc
    .record({
      c: fc.oneof(
        fc.constantFrom("34567", "ext:GLOBEX-1", "../../admin", "%2F", "ext:", "0", "<@U1>"),
        fc.string(),
      ),
      r: fc.oneof(fc.integer(), fc.constant(RECIPE), fc.double()),
      j: fc.array(fc.oneof(fc.constant("j-AJMfQh8c-hsCXcs"), fc.string({ maxLength: 40 })), {
        maxLength: 600,
      }),
      o: fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
    })
    .map((value) => JSON.stringify(value)),
);

describe("forged clicks", () => {
  it("acknowledges every one, answers each privately, and calls Workato for none", async () => {
    const policy = join(tmpdir(), `workato-jobs-hostile-${process.pid}.yml`);
    writeFileSync(
      policy,
      `channels:\n  ${CHANNEL}:\n    customers: ["${CUSTOMER}"]\n    repeaters: [${ALICE.id}]\n`,
    );
    const harness = await start({ env: { ACCESS_POLICY: policy } });
    harness.sim.addCustomer({ id: 34567, externalId: "GLOBEX-1" });
    let runs = 0;

    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ACTION_IDS),
        forgedValue,
        fc.string({ maxLength: 300 }),
        async (actionId, value, blockId) => {
          runs++;
          const isSelect = actionId.includes("select") || actionId.startsWith("step_data");
          const response = await harness.send.forgedAction({
            channel: CHANNEL,
            messageTs: "1.000001",
            user: ALICE,
            action: isSelect
              ? { type: "static_select", action_id: actionId, block_id: blockId, selected_option: { value } }
              : { type: "button", action_id: actionId, block_id: blockId, value },
          });
          expect(response.status).toBe(200);
          expect(response.ms).toBeLessThan(3000);
        },
      ),
      { numRuns: 80 },
    );
    await harness.app.deps.background.settled();
    expect(harness.sim.requests).toEqual([]);
    expect(harness.slack.ephemerals(CHANNEL, ALICE.id)).toHaveLength(runs);
  });
});

describe("Workato answering garbage", () => {
  it.each([
    [
      "an HTML page",
      { type: "malformed" as const, body: "<html><body>Maintenance</body></html>", contentType: "text/html" },
    ],
    [
      "truncated JSON",
      { type: "malformed" as const, body: '{"job_succeeded_count": 1, "items": [{"id": "j-1"' },
    ],
    ["wrong types", { type: "malformed" as const, body: '{"job_succeeded_count": "many", "items": {}}' }],
  ])("answers a list with %s by saying so privately", async (_what, effect) => {
    const harness = await start();
    harness.sim.addFault({ endpoint: "list", effect });
    await harness.send.slashCommand({ text: `list ${CUSTOMER} ${RECIPE}`, user: ALICE, channel: CHANNEL });
    const answer = await harness.slack.waitFor(() => harness.slack.ephemerals(CHANNEL, ALICE.id)[0]);
    expect(answer.text).toMatch(/something the bot does not understand/);
    expect(harness.slack.messages(CHANNEL)).toEqual([]);
  });

  it("reports a repeat whose answer was garbage as unknown, and does not send it again", async () => {
    const harness = await start();
    const jobs = harness.sim.addFailedJobs(CUSTOMER, RECIPE, 2);
    harness.sim.addFault({
      endpoint: "repeat",
      afterProcessing: true,
      effect: { type: "malformed", body: "<html>oops" },
    });
    await repeatByCommand(harness, {
      text: `repeat ${CUSTOMER} ${RECIPE} ${jobs.map((job) => job.id).join(" ")}`,
      user: ALICE,
      channel: CHANNEL,
    });
    const parent = await harness.slack.waitFor(() => harness.slack.messages(CHANNEL)[0]);
    const summary = await harness.slack.waitFor(() =>
      harness.slack.thread(CHANNEL, parent.ts).find((reply) => isRepeatSummary(reply.text)),
    );
    expect(summary.text).toContain("Requests sent: none enqueued (0 enqueued, 0 refused, 2 unknown)");
    expect(harness.sim.requests.filter((request) => request.endpoint === "repeat")).toHaveLength(1);
    expect(jobs.map((job) => job.repeatCount)).toEqual([1, 1]);
  });
});
