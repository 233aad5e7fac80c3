// End to end: opening the App Home tab (Slack's signed app_home_opened event) publishes the person's Home view in the
// fake Slack, built from the store, within 100 blocks, and showing only what each channel may see. Also
// `/workato-jobs digest` through the real slash command.
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ALICE, BOB, CHANNEL, CUSTOMER, RECIPE } from "../../sim/app-harness.js";
import { MAX_BLOCKS_PER_VIEW } from "../../sim/fake-slack/index.js";
import { openHome } from "../support/app-home.js";
import { firstPolledWatch } from "../support/first-poll.js";
import { harnessPerTest } from "../support/harness-per-test.js";
import { watchedFromSlack } from "../support/watched-from-slack.js";

const start = harnessPerTest();

const blocksText = (blocks: unknown[]) => JSON.stringify(blocks);

describe("App Home", () => {
  it("publishes the watches of the person's channels when they open the Home tab, asking Workato nothing", async () => {
    const harness = await start({ env: { WATCH_INTERVAL_SECONDS: "3600" } });
    await harness.send.slashCommand({ text: `watch ${CUSTOMER} ${RECIPE}`, user: ALICE, channel: CHANNEL });
    await harness.slack.waitFor(() => harness.slack.messages(CHANNEL)[0]);

    // The watch's first poll is done before the tab is opened, so every Workato request after it would be the tab's.
    await firstPolledWatch(harness);
    await harness.app.deps.background.settled();
    const workatoRequestsBefore = harness.sim.requests.length;

    expect(await openHome(harness, ALICE.id)).toBe(200);
    const home = await harness.slack.waitFor(() => harness.slack.homeView(ALICE.id));
    const text = blocksText(home.blocks);
    expect(home.view.type).toBe("home");
    expect(text).toContain(`<#${CHANNEL}>`);
    expect(text).toContain(String(RECIPE));
    expect(text).toContain("active");
    expect(text).toContain("No open alerts.");
    // Drawn from the store: nothing was asked of Workato.
    expect(harness.sim.requests.length).toBe(workatoRequestsBefore);

    // Bob made nothing and is mentioned nowhere: his Home has no watches.
    await openHome(harness, BOB.id);
    const bobs = await harness.slack.waitFor(() => harness.slack.homeView(BOB.id));
    expect(blocksText(bobs.blocks)).toContain("No watches in your channels.");
  });

  it("lists a new failure's alert as open, and logs the alerted job for the digest", async () => {
    const harness = await start({ env: { WATCH_INTERVAL_SECONDS: "3600" } });
    const watch = await watchedFromSlack(harness);
    const [failed] = harness.sim.addFailedJobs(CUSTOMER, RECIPE, 1);
    await harness.app.deps.poller.pollOnce(watch.id);
    await harness.slack.waitFor(() => harness.slack.messages(CHANNEL)[1]);
    const logged = await harness.app.deps.store.watchFailuresSince([watch.id], 0);
    expect(logged.map((failure) => failure.jobId)).toEqual([failed?.id]);

    await openHome(harness, ALICE.id);
    const home = await harness.slack.waitFor(() => harness.slack.homeView(ALICE.id));
    expect(blocksText(home.blocks)).toContain("1 failure");
  });

  it("stays within 100 blocks with many watches, and says how many more there are", async () => {
    const harness = await start({ env: { WATCH_INTERVAL_SECONDS: "3600" } });
    const at = harness.app.deps.clock.now();
    for (let n = 0; n < 400; n++) {
      await harness.app.deps.store.upsertWatch(
        {
          channel: `C0CH${n}`,
          customer: String(CUSTOMER),
          recipeId: 1000 + n,
          mentions: [],
          createdBy: ALICE.id,
        },
        at,
      );
    }
    await openHome(harness, ALICE.id);
    const home = await harness.slack.waitFor(() => harness.slack.homeView(ALICE.id), { timeoutMs: 20_000 });
    expect(home.blocks.length).toBeLessThanOrEqual(MAX_BLOCKS_PER_VIEW);
    expect(blocksText(home.blocks)).toMatch(/and \d+ more watches/);
  });

  it("does not show watches of customers a channel may not see", async () => {
    const policy = join(tmpdir(), `workato-jobs-home-policy-${process.pid}.yml`);
    writeFileSync(policy, `channels:\n  ${CHANNEL}:\n    customers: ["${CUSTOMER}"]\n`);
    const harness = await start({ env: { ACCESS_POLICY: policy, WATCH_INTERVAL_SECONDS: "3600" } });
    const at = harness.app.deps.clock.now();
    const store = harness.app.deps.store;
    await store.upsertWatch(
      { channel: CHANNEL, customer: String(CUSTOMER), recipeId: RECIPE, mentions: [], createdBy: ALICE.id },
      at,
    );
    // Made before the policy said otherwise: the channel may not see customer 77777 now, and another channel has
    // no rules at all.
    await store.upsertWatch(
      { channel: CHANNEL, customer: "77777", recipeId: 4242, mentions: [], createdBy: ALICE.id },
      at,
    );
    await store.upsertWatch(
      {
        channel: "C0ELSEWHERE",
        customer: String(CUSTOMER),
        recipeId: 5151,
        mentions: [],
        createdBy: ALICE.id,
      },
      at,
    );
    await openHome(harness, ALICE.id);
    const home = await harness.slack.waitFor(() => harness.slack.homeView(ALICE.id));
    const text = blocksText(home.blocks);
    expect(text).toContain(String(RECIPE));
    expect(text).not.toContain("77777");
    expect(text).not.toContain("4242");
    expect(text).not.toContain("5151");
  });
});

describe("/workato-jobs digest", () => {
  it("sets the channel's digest at a time stated with its zone, shows it, and stops it", async () => {
    const harness = await start();
    await harness.send.slashCommand({ text: "digest 9:00", user: ALICE, channel: CHANNEL });
    const set = await harness.slack.waitFor(() => harness.slack.messages(CHANNEL)[0]);
    expect(set.text).toContain("09:00 UTC");
    expect(await harness.app.deps.store.digestOf(CHANNEL)).toMatchObject({
      timeOfDay: "09:00",
      timeZone: "UTC",
      setBy: ALICE.id,
    });

    await harness.send.slashCommand({ text: "digest 17:30 europe/berlin", user: ALICE, channel: CHANNEL });
    const moved = await harness.slack.waitFor(() => harness.slack.messages(CHANNEL)[1]);
    expect(moved.text).toContain("17:30 Europe/Berlin");

    await harness.send.slashCommand({ text: "digest off", user: ALICE, channel: CHANNEL });
    const off = await harness.slack.waitFor(() => harness.slack.messages(CHANNEL)[2]);
    expect(off.text).toContain("stopped this channel's daily digest");
    expect(await harness.app.deps.store.digestOf(CHANNEL)).toBeUndefined();
  });

  it("refuses a time it cannot read, with the usage", async () => {
    const harness = await start();
    const answer = await harness.send.slashCommand({ text: "digest 25:00", user: ALICE, channel: CHANNEL });
    expect(answer.body).toContain("is not a time");
    const zone = await harness.send.slashCommand({
      text: "digest 09:00 Mars/Olympus",
      user: ALICE,
      channel: CHANNEL,
    });
    expect(zone.body).toContain("is not a time zone I know");
  });

  it("is refused to someone of another organisation, and no digest is set", async () => {
    const harness = await start();
    const guest = { id: "U0GUEST", teamId: "T0OTHERORG" };
    await harness.send.slashCommand({ text: "digest 09:00", user: guest, channel: CHANNEL });
    const answer = await harness.slack.waitFor(() => harness.slack.ephemerals(CHANNEL, guest.id)[0]);
    expect(answer.text).toContain("other organisations");
    expect(await harness.app.deps.store.digestOf(CHANNEL)).toBeUndefined();
    expect(harness.slack.messages(CHANNEL)).toEqual([]);
  });
});
