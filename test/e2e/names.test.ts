// End to end: after a customer is typed by name, the bot names it (and its recipe) in list headers, repeat dialogs,
// watch answers and alerts, instead of "23456" and "recipe 28904"; a channel that may not see a customer never gets
// its name, and where the directory does not know the customer the id stands in.
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ALICE, CHANNEL, CUSTOMER, type Harness } from "../../sim/app-harness.js";
import { type FakeMessage, listButtons } from "../../sim/fake-slack/index.js";
import { openHome } from "../support/app-home.js";
import { firstPolledWatch } from "../support/first-poll.js";
import { harnessPerTest } from "../support/harness-per-test.js";

const start = harnessPerTest();

const ACME = 61001;
const ACME_NAME = "Acme Corporation";
const ORDERS = 7101;
const ORDERS_NAME = "Shopify orders to NetSuite";

function addAcme(harness: Harness): void {
  harness.sim.addCustomer({ id: ACME, name: ACME_NAME, externalId: "acme-corp" });
  harness.sim.addRecipe(ACME, { id: ORDERS, name: ORDERS_NAME });
}

const textOf = (message: FakeMessage) => `${message.text} ${JSON.stringify(message.blocks)}`;
const inChannel = (harness: Harness, channel = CHANNEL) => harness.slack.messages(channel);
const privately = (harness: Harness, channel = CHANNEL) => harness.slack.ephemerals(channel, ALICE.id);

async function command(harness: Harness, text: string, channel = CHANNEL): Promise<void> {
  const ack = await harness.send.slashCommand({ text, user: ALICE, channel });
  expect(ack.status).toBe(200);
}

/** The text of a button's confirm dialog, as Slack would show it before sending the click. */
function dialogOf(message: FakeMessage, label: string): string {
  const button = listButtons(message).find((candidate) => candidate.text === label);
  if (!button?.confirm) throw new Error(`no ${label} button with a dialog`);
  return JSON.stringify(button.confirm);
}

describe("names where the directory knows them", () => {
  it("a list of a customer typed by name has the customer's and the recipe's names in its header and its Repeat dialogs", async () => {
    const harness = await start();
    addAcme(harness);
    harness.sim.addFailedJobs(ACME, ORDERS, 3);

    await command(harness, `list acme ${ORDERS} failed`);
    const list = await harness.slack.waitFor(() => inChannel(harness)[0]);
    expect(list.blocks[0]).toMatchObject({
      type: "header",
      text: { text: `${ORDERS_NAME} — ${ACME_NAME} (${ACME})` },
    });
    expect(list.text).toContain(`${ORDERS_NAME} — ${ACME_NAME} (${ACME})`);
    expect(dialogOf(list, "Repeat 3 failed")).toContain(
      `This runs the recipe again for 3 jobs of ${ORDERS_NAME} for ${ACME_NAME}.`,
    );
    expect(dialogOf(list, "Repeat")).toContain(`This runs the recipe again for ${ACME_NAME} with`);
  });

  it("a typed repeat's confirmation and the repeat's thread name the customer", async () => {
    const harness = await start();
    addAcme(harness);
    const [job] = harness.sim.addFailedJobs(ACME, ORDERS, 1);
    if (!job) throw new Error("no job");

    await command(harness, `repeat acme ${ORDERS} ${job.id}`);
    const question = await harness.slack.waitFor(() => privately(harness)[0]);
    expect(question.text).toBe(`Repeat 1 job of ${ORDERS_NAME} for ${ACME_NAME}?`);
    expect(dialogOf(question, "Repeat 1 job")).toContain(`1 job of ${ORDERS_NAME} for ${ACME_NAME}.`);
    expect(textOf(question)).not.toContain(`for ${ACME}`);

    await harness.send.click({
      channel: CHANNEL,
      messageTs: question.ts,
      button: { text: "Repeat 1 job" },
      user: ALICE,
    });
    const parent = await harness.slack.waitFor(() => inChannel(harness)[0]);
    expect(parent.text).toContain(`is repeating 1 job of ${ORDERS_NAME} for ${ACME_NAME}`);
  });

  it("a watch answers with the names, and its alert says the customer's name, not its id", async () => {
    const harness = await start({ env: { WATCH_INTERVAL_SECONDS: "3600" } });
    addAcme(harness);
    await command(harness, `watch acme ${ORDERS}`);
    const started = await harness.slack.waitFor(() => inChannel(harness)[0]);
    expect(started.text).toContain(
      `is now watching *${ORDERS_NAME}* (recipe \`${ORDERS}\`) of *${ACME_NAME}* (\`${ACME}\`)`,
    );
    const watch = await firstPolledWatch(harness);

    harness.sim.addFailedJobs(ACME, ORDERS, 2);
    expect(await harness.app.deps.poller.pollOnce(watch.id)).toMatchObject({ kind: "checked", alerted: 1 });
    const alert = await harness.slack.waitFor(() => inChannel(harness)[1]);
    expect(alert.text).toContain(`2 failed jobs of ${ORDERS_NAME} for ${ACME_NAME}`);
    expect(JSON.stringify(alert.blocks)).toContain(`*${ORDERS_NAME}* (\`${ORDERS}\`) for ${ACME_NAME}`);
    expect(alert.text).not.toContain(`for ${ACME}`);
    expect(dialogOf(alert, "Repeat 2 failed")).toContain(`for ${ACME_NAME}.`);

    await command(harness, "watches");
    const watches = await harness.slack.waitFor(() => privately(harness)[0]);
    expect(textOf(watches)).toContain(`of *${ACME_NAME}* (\`${ACME}\`)`);

    // The App Home lists the watch and its open alert by name, the channel as a link Slack names.
    expect(await openHome(harness, ALICE.id)).toBe(200);
    const home = JSON.stringify((await harness.slack.waitFor(() => harness.slack.homeView(ALICE.id))).blocks);
    expect(home).toContain(
      `<#${CHANNEL}> · *${ORDERS_NAME}* (recipe \`${ORDERS}\`) of *${ACME_NAME}* (\`${ACME}\`) — :large_green_circle: active`,
    );
    expect(home).toContain(
      `*${ORDERS_NAME}* (recipe \`${ORDERS}\`) of *${ACME_NAME}* (\`${ACME}\`) in <#${CHANNEL}>\\n:x: *2 failures*`,
    );
  });

  it("names a customer typed by id once the directory was read, and shows the id while it was not", async () => {
    const harness = await start();
    addAcme(harness);
    harness.sim.addFailedJobs(ACME, ORDERS, 1);

    await command(harness, `list ${ACME} ${ORDERS} failed`);
    const before = await harness.slack.waitFor(() => inChannel(harness)[0]);
    expect(before.text).toContain(`${ORDERS_NAME} — ${ACME}:`);
    // No one asked for a name yet: the list did not read Workato's customers for one.
    expect(harness.sim.requests.filter((request) => request.endpoint === "customers")).toHaveLength(0);

    await command(harness, "customers");
    await harness.slack.waitFor(() => privately(harness)[0]);
    await command(harness, `list ${ACME} ${ORDERS} failed`);
    const after = await harness.slack.waitFor(() => inChannel(harness)[1]);
    expect(after.text).toContain(`${ORDERS_NAME} — ${ACME_NAME} (${ACME}):`);
  });

  it("never names a customer to a channel that may not see it, even after another channel read the directory", async () => {
    const policyPath = join(tmpdir(), `names-policy-${process.pid}-${Date.now()}.yaml`);
    const OTHER = "C0OTHER";
    writeFileSync(
      policyPath,
      [
        "channels:",
        `  ${CHANNEL}:`,
        `    customers: ["*"]`,
        `  ${OTHER}:`,
        `    customers: [${CUSTOMER}]`,
      ].join("\n"),
    );
    const harness = await start({ env: { ACCESS_POLICY: policyPath } });
    addAcme(harness);
    // The other channel watched Acme while it was allowed to; its watches list must not name Acme now.
    await harness.app.deps.store.upsertWatch(
      { channel: OTHER, customer: String(ACME), recipeId: ORDERS, mentions: [], createdBy: ALICE.id },
      Date.now(),
    );
    await command(harness, "customers");
    await harness.slack.waitFor(() => privately(harness)[0]);

    await command(harness, "watches", OTHER);
    const watches = await harness.slack.waitFor(() => privately(harness, OTHER)[0]);
    expect(textOf(watches)).toContain(`customer \`${ACME}\``);
    expect(textOf(watches)).not.toContain(ACME_NAME);
    expect(textOf(watches)).not.toContain(ORDERS_NAME);
  });
});
