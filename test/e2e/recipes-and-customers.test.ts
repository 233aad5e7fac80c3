// End to end: finding recipes and customers (issue 14 §1–2): `recipes` with its paging and buttons, customers by
// name, 404s that say what is missing, "did you mean", and the access policy on every new command and button.
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ALICE, CHANNEL, CUSTOMER, type Harness, RECIPE, RECIPE_NAME } from "../../sim/app-harness.js";
import { type FakeMessage, listButtons } from "../../sim/fake-slack/index.js";
import { harnessPerTest } from "../support/harness-per-test.js";

const start = harnessPerTest();

const ACME_EU = 40001;
const ACME_US = 40002;
const GLOBEX = 40003;

function addNamedCustomers(harness: Harness): void {
  harness.sim.addCustomer({ id: ACME_EU, name: "Acme EU", externalId: "acme-eu" });
  harness.sim.addCustomer({ id: ACME_US, name: "Acme US" });
  harness.sim.addCustomer({ id: GLOBEX, name: "Globex", externalId: "GLOBEX-1" });
  harness.sim.addRecipe(ACME_EU, { id: 501, name: "EU orders to SAP" });
  harness.sim.addRecipe(ACME_US, { id: 601, name: "US orders to NetSuite" });
  harness.sim.addRecipe(GLOBEX, { id: 701, name: "Globex invoices" });
}

const textOf = (messages: readonly FakeMessage[]) =>
  messages.map((message) => `${message.text} ${JSON.stringify(message.blocks)}`).join("\n");
const privately = (harness: Harness, channel = CHANNEL) => harness.slack.ephemerals(channel, ALICE.id);
const inChannel = (harness: Harness, channel = CHANNEL) => harness.slack.messages(channel);

async function command(harness: Harness, text: string, channel = CHANNEL): Promise<void> {
  const ack = await harness.send.slashCommand({ text, user: ALICE, channel });
  expect(ack.status).toBe(200);
}

/** The first private answer after `before` answers already there. */
async function nextPrivateAnswer(harness: Harness, before: number, channel = CHANNEL): Promise<FakeMessage> {
  return harness.slack.waitFor(() => privately(harness, channel)[before]);
}

describe("/workato-jobs recipes", () => {
  it("pages through 121 recipes twenty at a time, newest first, with Older and Newer recipes buttons", async () => {
    const harness = await start();
    for (let id = 1; id <= 120; id++) harness.sim.addRecipe(CUSTOMER, { id, name: `Recipe number ${id}` });
    await command(harness, `recipes ${CUSTOMER}`);
    let list = await harness.slack.waitFor(() => inChannel(harness)[0]);
    expect(textOf([list])).toContain(RECIPE_NAME);
    expect(textOf([list])).toContain("Recipe number 120");
    expect(textOf([list])).not.toContain("Recipe number 100");
    expect(listButtons(list).map((button) => button.text)).toContain("Older recipes");
    expect(listButtons(list).map((button) => button.text)).not.toContain("Newer recipes");

    for (let page = 2; page <= 7; page++) {
      await harness.send.click({
        channel: CHANNEL,
        messageTs: list.ts,
        button: { text: "Older recipes" },
        user: ALICE,
      });
      list = await harness.slack.waitFor(() => {
        const [message] = inChannel(harness);
        return message && textOf([message]).includes(`Page ${page}:`) ? message : undefined;
      });
    }
    // Page 7 holds the oldest recipe, and nothing older follows.
    expect(textOf([list])).toContain("*Recipe number 1*");
    expect(listButtons(list).map((button) => button.text)).toEqual(expect.arrayContaining(["Newer recipes"]));
    expect(listButtons(list).map((button) => button.text)).not.toContain("Older recipes");
    expect(inChannel(harness)).toHaveLength(1);
    const pages = harness.sim.requests.filter((request) => request.endpoint === "recipes");
    expect(pages.map((request) => request.query.page ?? "1")).toEqual(["1", "2", "3", "4", "5", "6", "7"]);
    expect(pages.every((request) => request.query.per_page === "20")).toBe(true);
  });

  it("shows a recipe Workato stopped with its cause in words, and only stopped ones with `stopped`", async () => {
    const harness = await start();
    harness.sim.addRecipe(CUSTOMER, { id: 30001, name: "Still running" });
    harness.sim.stopRecipeByWorkato(CUSTOMER, RECIPE);
    await command(harness, `recipes ${CUSTOMER} stopped`);
    const list = await harness.slack.waitFor(() => inChannel(harness)[0]);
    const text = textOf([list]);
    expect(text).toContain(RECIPE_NAME);
    expect(text).toContain("stopped by Workato: its trigger kept failing");
    expect(text).not.toContain("Still running");
    expect(harness.sim.requests.find((request) => request.endpoint === "recipes")?.query.running).toBe(
      "false",
    );
  });

  it("lists recipes with failed jobs, most failures first, and List failed posts that recipe's failed jobs", async () => {
    const harness = await start();
    harness.sim.addRecipe(CUSTOMER, { id: 30001, name: "Quiet recipe" });
    harness.sim.addRecipe(CUSTOMER, { id: 30002, name: "Noisy recipe" });
    harness.sim.addFailedJobs(CUSTOMER, RECIPE, 2);
    harness.sim.addFailedJobs(CUSTOMER, 30002, 5);
    await command(harness, `recipes ${CUSTOMER} failing`);
    const list = await harness.slack.waitFor(() => inChannel(harness)[0]);
    const text = textOf([list]);
    expect(text).not.toContain("Quiet recipe");
    expect(text.indexOf("Noisy recipe")).toBeLessThan(text.indexOf(RECIPE_NAME));
    expect(text).toContain("5 failed jobs");

    await harness.send.click({
      channel: CHANNEL,
      messageTs: list.ts,
      button: { text: "List failed", index: 1 },
      user: ALICE,
    });
    const jobs = await harness.slack.waitFor(() => inChannel(harness)[1]);
    expect(textOf([jobs])).toContain(RECIPE_NAME);
    expect(harness.sim.requests.find((request) => request.endpoint === "list")?.query.status).toBe("failed");
    expect(textOf([inChannel(harness)[0] as FakeMessage])).toContain("Noisy recipe");
  });

  it("Watch starts a watch named by its recipe and says privately how to add people to mention", async () => {
    const harness = await start();
    await command(harness, `recipes ${CUSTOMER}`);
    const list = await harness.slack.waitFor(() => inChannel(harness)[0]);
    await harness.send.click({
      channel: CHANNEL,
      messageTs: list.ts,
      button: { text: "Watch" },
      user: ALICE,
    });
    const started = await harness.slack.waitFor(() => inChannel(harness)[1]);
    expect(started.text).toContain("is now watching");
    expect(started.text).toContain(RECIPE_NAME);
    const hint = await nextPrivateAnswer(harness, 0);
    expect(hint.text).toContain(`/workato-jobs watch ${CUSTOMER} ${RECIPE} @person-or-group`);
    expect(await harness.app.deps.store.watches({ channel: CHANNEL })).toMatchObject([
      { customer: String(CUSTOMER), recipeId: RECIPE, mentions: [] },
    ]);
  });
});

describe("customers by name", () => {
  it("finds a customer by its whole name, by a unique prefix and without spaces, in any case", async () => {
    const harness = await start();
    addNamedCustomers(harness);
    await command(harness, "recipes globex");
    await command(harness, "recipes GLOB");
    await command(harness, "recipes acme-eu");
    await harness.slack.waitFor(() => (inChannel(harness).length === 3 ? true : undefined));
    const text = textOf(inChannel(harness));
    expect(text.match(/Globex invoices/g)).toHaveLength(2);
    expect(text).toContain("EU orders to SAP");
    expect(text).toContain("Acme EU (40001)");
    // The directory was read once (one page) for all three.
    expect(harness.sim.requests.filter((request) => request.endpoint === "customers")).toHaveLength(1);
  });

  it("answers an ambiguous name with the choices, and an unknown one clearly, suggesting a near name", async () => {
    const harness = await start();
    addNamedCustomers(harness);
    await command(harness, `list acme ${RECIPE}`);
    const ambiguous = await nextPrivateAnswer(harness, 0);
    expect(ambiguous.text).toContain('"acme" fits 2 customers: Acme EU (40001), Acme US (40002)');
    await command(harness, "recipes initech");
    const unknown = await nextPrivateAnswer(harness, 1);
    expect(unknown.text).toContain('No customer this channel may see is named "initech"');
    await command(harness, "recipes globx");
    const typo = await nextPrivateAnswer(harness, 2);
    expect(typo.text).toContain("Did you mean Globex (40003)?");
    expect(inChannel(harness)).toHaveLength(0);
    expect(harness.sim.requests.filter((request) => request.endpoint === "recipes")).toHaveLength(0);
  });

  it("lists the customers, narrowed by text", async () => {
    const harness = await start();
    addNamedCustomers(harness);
    await command(harness, "customers");
    const all = await nextPrivateAnswer(harness, 0);
    for (const name of ["Acme EU", "Acme US", "Globex", `Customer ${CUSTOMER}`])
      expect(textOf([all])).toContain(name);
    await command(harness, "customers acme");
    const some = await nextPrivateAnswer(harness, 1);
    expect(textOf([some])).toContain("Acme US");
    expect(textOf([some])).not.toContain("Globex");
  });
});

describe("a 404 says what is missing", () => {
  it.each([
    [`list 99999 ${RECIPE}`, "Workato has no customer 99999 (404)"],
    [`list ${CUSTOMER} 999`, `Customer ${CUSTOMER} has no recipe 999 (404)`],
    [
      `show ${CUSTOMER} ${RECIPE} j-gone1`,
      `Recipe ${RECIPE} of customer ${CUSTOMER} has no job j-gone1 (404)`,
    ],
    ["recipes 99999", "Workato has no customer 99999 (404)"],
    [`repeat ${CUSTOMER} 999 j-gone1`, `Customer ${CUSTOMER} has no recipe 999 (404)`],
    [`watch ${CUSTOMER} 999`, `Customer ${CUSTOMER} has no recipe 999 (404)`],
  ])("%s", async (text, expected) => {
    const harness = await start();
    await command(harness, text);
    const answer = await harness.slack.waitFor(() =>
      privately(harness).find((message) => message.text.includes("404")),
    );
    expect(answer.text).toContain(expected);
  });
});

describe("did you mean", () => {
  it.each([
    ["lsit 23456 28904", "list"],
    ["recipe 23456", "recipes"],
    ["unwatc", "unwatch"],
  ])("answers %j with the closest command", async (text, meant) => {
    const harness = await start();
    const ack = await harness.send.slashCommand({ text, user: ALICE, channel: CHANNEL });
    const body = JSON.parse(ack.body) as { text: string };
    expect(body.text).toContain(`did you mean \`${meant}\`?`);
    expect(harness.sim.requests).toHaveLength(0);
  });
});

describe("the access policy on recipes and customers", () => {
  const EU_CHANNEL = "C0ACMEEU";
  const NOWHERE = "C0NOWHERE";

  function policyFile(): string {
    const path = join(
      tmpdir(),
      `workato-jobs-names-${process.pid}-${Math.random().toString(36).slice(2)}.yml`,
    );
    writeFileSync(
      path,
      `channels:\n  ${EU_CHANNEL}:\n    customers: [ext:acme-eu]\n    repeaters: [${ALICE.id}]\n`,
    );
    return path;
  }

  async function startWithPolicy(): Promise<Harness> {
    const harness = await start({ env: { ACCESS_POLICY: policyFile() } });
    addNamedCustomers(harness);
    harness.sim.addFailedJobs(GLOBEX, 701, 2);
    return harness;
  }

  const otherNames = ["Acme US", "Globex", `Customer ${CUSTOMER}`, "US orders", "Globex invoices"];

  it("a channel allowed one customer lists, finds and suggests only that one", async () => {
    const harness = await startWithPolicy();
    await command(harness, "customers", EU_CHANNEL);
    await command(harness, "recipes acme", EU_CHANNEL); // only Acme EU is visible here, so "acme" is not ambiguous
    await command(harness, "recipes globex", EU_CHANNEL);
    await command(harness, "recipes glob", EU_CHANNEL);
    await command(harness, `recipes ${GLOBEX}`, EU_CHANNEL);
    await harness.slack.waitFor(() => (privately(harness, EU_CHANNEL).length >= 4 ? true : undefined));
    await harness.slack.waitFor(() => inChannel(harness, EU_CHANNEL)[0]);
    await harness.app.deps.background.settled();
    const said = textOf([...privately(harness, EU_CHANNEL), ...inChannel(harness, EU_CHANNEL)]);
    expect(said).toContain("Acme EU");
    expect(said).toContain("EU orders to SAP");
    expect(said).toContain("not allowed to see customer 40003");
    for (const name of otherNames) expect(said).not.toContain(name);
    expect(harness.sim.requests.filter((request) => request.customer === String(GLOBEX))).toHaveLength(0);
  });

  it("refuses every recipe-list button for another customer, whatever its value says, without calling Workato", async () => {
    const harness = await startWithPolicy();
    await command(harness, "recipes acme-eu", EU_CHANNEL);
    const list = await harness.slack.waitFor(() => inChannel(harness, EU_CHANNEL)[0]);
    const before = harness.sim.requests.length;
    const forged = [
      { action_id: "recipes_page:0", value: JSON.stringify({ c: String(GLOBEX), p: 1 }) },
      { action_id: "recipes_page:0", value: JSON.stringify({ c: "ext:GLOBEX-1", p: 2, f: "failing" }) },
      {
        action_id: "recipe_failed_jobs:0",
        value: JSON.stringify({ c: String(GLOBEX), r: 701, s: "failed" }),
      },
      { action_id: "recipe_watch:0", value: JSON.stringify({ c: String(GLOBEX), r: 701 }) },
    ];
    for (const action of forged) {
      const response = await harness.send.forgedAction({
        channel: EU_CHANNEL,
        messageTs: list.ts,
        user: ALICE,
        action: { type: "button", block_id: "b", ...action },
      });
      expect(response.status).toBe(200);
    }
    await harness.app.deps.background.settled();
    expect(harness.sim.requests.slice(before)).toEqual([]);
    const answers = privately(harness, EU_CHANNEL);
    expect(answers).toHaveLength(forged.length);
    for (const answer of answers) expect(answer.text).toContain("not allowed to see customer");
    expect(await harness.app.deps.store.watches()).toEqual([]);
    for (const name of otherNames) expect(textOf(inChannel(harness, EU_CHANNEL))).not.toContain(name);
  });

  it("a channel the policy does not name gets no customers, no names and no recipes", async () => {
    const harness = await startWithPolicy();
    await command(harness, "customers", NOWHERE);
    await command(harness, "recipes acme", NOWHERE);
    await command(harness, `recipes ${ACME_EU}`, NOWHERE);
    await harness.slack.waitFor(() => (privately(harness, NOWHERE).length === 3 ? true : undefined));
    const said = textOf(privately(harness, NOWHERE));
    for (const name of ["Acme EU", ...otherNames]) expect(said).not.toContain(name);
    expect(harness.sim.requests.filter((request) => request.endpoint === "recipes")).toHaveLength(0);
  });
});
