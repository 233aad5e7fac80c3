// End to end: one channel never sees another customer's jobs, only the right people repeat, and Slack Connect
// users and shared channels are kept out — at every command and every button, whatever a button's value says.
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ALICE, BOB, CUSTOMER, RECIPE } from "../../sim/app-harness.js";
import { type FakeMessage, listButtons } from "../../sim/fake-slack/index.js";
import { repeatByCommand } from "../../sim/repeat-command.js";
import { harnessPerTest } from "../support/harness-per-test.js";

const start = harnessPerTest();
const GLOBEX = 34567;
const GLOBEX_RECIPE = 777;
const ACME_CHANNEL = "C0ACME";
const GLOBEX_CHANNEL = "C0GLOBEX";

function policyFile(): string {
  const path = join(
    tmpdir(),
    `workato-jobs-policy-${process.pid}-${Math.random().toString(36).slice(2)}.yml`,
  );
  writeFileSync(
    path,
    `
aliases:
  acme: ${CUSTOMER}
channels:
  ${ACME_CHANNEL}:
    customers: [acme]
    repeaters: [${ALICE.id}, S0ONCALL]
  ${GLOBEX_CHANNEL}:
    customers: [ext:GLOBEX-1]
    repeaters: [${ALICE.id}]
`,
  );
  return path;
}

async function startWithPolicy() {
  const harness = await start({ env: { ACCESS_POLICY: policyFile() } });
  harness.sim.addCustomer({ id: GLOBEX, externalId: "GLOBEX-1" });
  harness.sim.addRecipe(GLOBEX, { id: GLOBEX_RECIPE, name: "Globex invoices" });
  harness.sim.addFailedJobs(CUSTOMER, RECIPE, 3);
  harness.sim.addFailedJobs(GLOBEX, GLOBEX_RECIPE, 3);
  return harness;
}

const customers = [
  { name: "acme", text: "acme", recipe: RECIPE, home: ACME_CHANNEL, simId: CUSTOMER },
  { name: "globex", text: "ext:GLOBEX-1", recipe: GLOBEX_RECIPE, home: GLOBEX_CHANNEL, simId: GLOBEX },
];
const text = (messages: FakeMessage[]) =>
  messages.map((m) => `${m.text} ${JSON.stringify(m.blocks)}`).join("\n");

describe("the cross-tenant matrix", () => {
  it("answers every command in a customer's own channel and refuses it in the other, with no Workato call", async () => {
    const harness = await startWithPolicy();
    for (const channel of [ACME_CHANNEL, GLOBEX_CHANNEL]) {
      for (const customer of customers) {
        const jobs = harness.sim.jobs(customer.simId, customer.recipe);
        const commands = {
          list: `list ${customer.text} ${customer.recipe}`,
          show: `show ${customer.text} ${customer.recipe} ${jobs[0]?.id}`,
          repeat: `repeat ${customer.text} ${customer.recipe} ${jobs[0]?.id}`,
          history: `history ${customer.text} ${customer.recipe}`,
        };
        for (const [command, line] of Object.entries(commands)) {
          const before = harness.sim.requests.length;
          const seen =
            harness.slack.ephemerals(channel, ALICE.id).length + harness.slack.messages(channel).length;
          await harness.send.slashCommand({ text: line, user: ALICE, channel });
          await harness.slack.waitFor(
            () =>
              harness.slack.ephemerals(channel, ALICE.id).length + harness.slack.messages(channel).length >
              seen,
          );
          await harness.app.deps.background.settled();
          const cell = `${command} of ${customer.name} in ${channel}`;
          const denied = text(harness.slack.ephemerals(channel, ALICE.id)).includes(
            `not allowed to see customer ${customer.text === "acme" ? CUSTOMER : customer.text}`,
          );
          if (channel === customer.home) {
            expect(denied, cell).toBe(false);
            if (command === "repeat") {
              // A typed repeat asks for confirmation first; that question is the answer.
              expect(text(harness.slack.ephemerals(channel, ALICE.id)), cell).toContain("repeat_confirm");
            } else if (command !== "history") {
              expect(harness.sim.requests.length, `${cell}: Workato asked`).toBeGreaterThan(before);
            }
          } else {
            expect(denied, cell).toBe(true);
            expect(harness.sim.requests.length, `${cell}: no Workato call`).toBe(before);
          }
        }
      }
    }
    // Nothing of Globex ever reached Acme's channel, nor the other way round.
    expect(text(harness.slack.messages(ACME_CHANNEL))).not.toContain("Globex invoices");
    expect(text(harness.slack.messages(GLOBEX_CHANNEL))).not.toContain("Salesforce accounts to NetSuite");
  });

  it("refuses a button whose value was changed to another customer, another recipe, or 500 ids", async () => {
    const harness = await startWithPolicy();
    await harness.send.slashCommand({ text: `list acme ${RECIPE}`, user: ALICE, channel: ACME_CHANNEL });
    const list = await harness.slack.waitFor(() => harness.slack.messages(ACME_CHANNEL)[0]);
    const details = listButtons(list).find((button) => button.text === "Details");
    expect(details).toBeDefined();
    const globexJob = harness.sim.jobs(GLOBEX, GLOBEX_RECIPE)[0]?.id as string;
    const before = harness.sim.requests.length;

    const tampered = [
      { c: "ext:GLOBEX-1", r: GLOBEX_RECIPE, j: [globexJob] },
      { c: String(GLOBEX), r: GLOBEX_RECIPE, j: [globexJob] },
      { c: "../../admin", r: RECIPE, j: [globexJob] },
      { c: String(CUSTOMER), r: RECIPE, j: Array.from({ length: 500 }, (_, i) => `j-x${i}`) },
      { c: String(CUSTOMER), r: -1, j: ["j-1"] },
    ];
    for (const value of tampered) {
      const response = await harness.send.forgedAction({
        channel: ACME_CHANNEL,
        messageTs: list.ts,
        user: ALICE,
        action: { type: "button", action_id: details?.actionId, block_id: "b", value: JSON.stringify(value) },
      });
      expect(response.status).toBe(200);
    }
    await harness.app.deps.background.settled();
    expect(harness.sim.requests.slice(before)).toEqual([]);
    const answers = text(harness.slack.ephemerals(ACME_CHANNEL, ALICE.id));
    expect(answers).toContain("not allowed to see customer");
    expect(answers).not.toContain("Globex invoices");
  });
});

describe("who may repeat", () => {
  it("refuses a repeat click from someone not allowed, leaving the message untouched", async () => {
    const harness = await startWithPolicy();
    await harness.send.slashCommand({ text: `list acme ${RECIPE}`, user: ALICE, channel: ACME_CHANNEL });
    const list = await harness.slack.waitFor(() => harness.slack.messages(ACME_CHANNEL)[0]);
    await harness.send.click({
      channel: ACME_CHANNEL,
      messageTs: list.ts,
      button: { text: "Repeat 3 failed" },
      user: BOB,
    });
    await harness.app.deps.background.settled();
    expect(text(harness.slack.ephemerals(ACME_CHANNEL, BOB.id))).toContain("not allowed to repeat");
    expect(harness.slack.message(ACME_CHANNEL, list.ts)?.replaceCount).toBe(0);
    expect(harness.slack.thread(ACME_CHANNEL, list.ts)).toEqual([]);
    expect(harness.sim.requests.filter((request) => request.endpoint === "repeat")).toEqual([]);
  });

  it("lets a member of an allowed user group repeat", async () => {
    const harness = await startWithPolicy();
    harness.slack.setUserGroup("S0ONCALL", [BOB.id]);
    const [job] = harness.sim.jobs(CUSTOMER, RECIPE);
    await repeatByCommand(harness, {
      text: `repeat acme ${RECIPE} ${job?.id}`,
      user: BOB,
      channel: ACME_CHANNEL,
    });
    await harness.slack.waitFor(() => harness.sim.requests.some((request) => request.endpoint === "repeat"));
    expect(job?.repeatCount).toBe(1);
  });
});

describe("Slack Connect", () => {
  it("denies a user from another organisation, even without a policy file", async () => {
    const harness = await start();
    harness.sim.addFailedJobs(CUSTOMER, RECIPE, 1);
    const guest = { id: "U0GUEST", teamId: "T0OTHERORG" };
    await harness.send.slashCommand({ text: `list ${CUSTOMER} ${RECIPE}`, user: guest, channel: "C0SHARED" });
    const answer = await harness.slack.waitFor(() => harness.slack.ephemerals("C0SHARED", guest.id)[0]);
    expect(answer.text).toContain("other organisations");
    expect(harness.sim.requests).toEqual([]);
  });

  it("denies an externally shared channel, even to people of the installing organisation", async () => {
    const harness = await start();
    harness.slack.setChannelInfo("C0SHARED", { isExtShared: true });
    await harness.send.slashCommand({ text: `list ${CUSTOMER} ${RECIPE}`, user: ALICE, channel: "C0SHARED" });
    const answer = await harness.slack.waitFor(() => harness.slack.ephemerals("C0SHARED", ALICE.id)[0]);
    expect(answer.text).toContain("shared with another organisation");
    expect(harness.sim.requests).toEqual([]);
  });

  it("lets everyone of the installing organisation view and repeat when there is no policy file", async () => {
    const harness = await start();
    const [job] = harness.sim.addFailedJobs(CUSTOMER, RECIPE, 1);
    await repeatByCommand(harness, {
      text: `repeat ${CUSTOMER} ${RECIPE} ${job?.id}`,
      user: BOB,
      channel: "C0ANY",
    });
    await harness.slack.waitFor(() => harness.sim.requests.some((request) => request.endpoint === "repeat"));
    expect(job?.repeatCount).toBe(1);
  });
});
