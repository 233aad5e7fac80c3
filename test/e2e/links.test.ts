// End to end: Open in Workato on job details and alerts (from WORKATO_JOB_URL_TEMPLATE), a watch's Runbook button on
// its alerts and in `watches`, and a click on a link button acknowledged without any answer.
import { describe, expect, it } from "vitest";
import { ALICE, CHANNEL, CUSTOMER, type Harness, RECIPE } from "../../sim/app-harness.js";
import { listButtons } from "../../sim/fake-slack/index.js";
import { firstPolledWatch } from "../support/first-poll.js";
import { harnessPerTest } from "../support/harness-per-test.js";

const start = harnessPerTest();
const TEMPLATE = "https://workato.example.com/recipes/{recipe_id}/job/{job_id}?customer={customer_id}";
const RUNBOOK = "https://wiki.example.com/runbooks/salesforce?team=ops&page=1";

/** A new failed job, shown with `show` by Alice in the channel: the job and the details message. */
async function showFailedJob(harness: Harness) {
  const [job] = harness.sim.addFailedJobs(CUSTOMER, RECIPE, 1);
  if (!job) throw new Error("no job");
  await harness.send.slashCommand({
    text: `show ${CUSTOMER} ${RECIPE} ${job.id}`,
    user: ALICE,
    channel: CHANNEL,
  });
  return { job, details: await harness.slack.waitFor(() => harness.slack.messages(CHANNEL)[0]) };
}

describe("Open in Workato", () => {
  it("is on a job's details, opens the job's page from the template, and a click on it posts nothing", async () => {
    const harness = await start({ env: { WORKATO_JOB_URL_TEMPLATE: TEMPLATE } });
    const { job, details } = await showFailedJob(harness);
    const open = listButtons(details).find((button) => button.text === "Open in Workato");
    expect(open?.url).toBe(
      `https://workato.example.com/recipes/${RECIPE}/job/${job.id}?customer=${CUSTOMER}`,
    );
    expect(open?.url).not.toContain(harness.sim.token);

    const callsBefore = harness.slack.calls.length;
    const click = await harness.send.click({
      channel: CHANNEL,
      messageTs: details.ts,
      button: { text: "Open in Workato" },
      user: ALICE,
    });
    expect(click.status).toBe(200);
    await harness.app.deps.background.settled();
    expect(harness.slack.calls.length).toBe(callsBefore);
    expect(harness.slack.ephemerals(CHANNEL, ALICE.id)).toEqual([]);
  });

  it("is left out where WORKATO_BASE_URL is no Workato data centre and no template is set", async () => {
    const harness = await start();
    const { details } = await showFailedJob(harness);
    expect(listButtons(details).map((button) => button.text)).not.toContain("Open in Workato");
  });
});

describe("a watch's runbook", () => {
  it("puts Runbook beside Open in Workato on its alerts, and `watches` shows it", async () => {
    const harness = await start({
      env: { WATCH_INTERVAL_SECONDS: "3600", WORKATO_JOB_URL_TEMPLATE: TEMPLATE },
    });
    await harness.send.slashCommand({
      text: `watch ${CUSTOMER} ${RECIPE} <@U0BOB|bob> runbook <${RUNBOOK.replace("&", "&amp;")}>`,
      user: ALICE,
      channel: CHANNEL,
    });
    const started = await harness.slack.waitFor(() => harness.slack.messages(CHANNEL)[0]);
    expect(JSON.stringify(started.blocks)).toContain("Runbook button");
    const watchId = (await firstPolledWatch(harness, CHANNEL)).id;

    const [fresh] = harness.sim.addFailedJobs(CUSTOMER, RECIPE, 1);
    expect(await harness.app.deps.poller.pollOnce(watchId)).toMatchObject({ kind: "checked", alerted: 1 });
    const alert = await harness.slack.waitFor(() => harness.slack.messages(CHANNEL)[1]);
    const links = listButtons(alert).filter((button) => button.url !== undefined);
    expect(links.map((button) => [button.text, button.url])).toEqual([
      [
        "Open in Workato",
        `https://workato.example.com/recipes/${RECIPE}/job/${fresh?.id}?customer=${CUSTOMER}`,
      ],
      ["Runbook", RUNBOOK],
    ]);

    await harness.send.slashCommand({ text: "watches", user: ALICE, channel: CHANNEL });
    const list = await harness.slack.waitFor(() => harness.slack.ephemerals(CHANNEL, ALICE.id)[0]);
    expect(JSON.stringify(list.blocks)).toContain(`<${RUNBOOK.replace("&", "&amp;")}|runbook>`);

    // Watching again without `runbook` keeps it; `runbook off` removes it.
    await harness.send.slashCommand({ text: `watch ${CUSTOMER} ${RECIPE}`, user: ALICE, channel: CHANNEL });
    await harness.slack.waitFor(() => harness.slack.messages(CHANNEL)[2]);
    expect((await harness.app.deps.store.watch(watchId))?.runbookUrl).toBe(RUNBOOK);
    await harness.send.slashCommand({
      text: `watch ${CUSTOMER} ${RECIPE} runbook off`,
      user: ALICE,
      channel: CHANNEL,
    });
    await harness.slack.waitFor(() => harness.slack.messages(CHANNEL)[3]);
    expect((await harness.app.deps.store.watch(watchId))?.runbookUrl).toBeNull();
  });
});
