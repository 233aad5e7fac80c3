// End to end: opening the App Home tab (Slack's signed app_home_opened event) publishes the person's Home view in the
// fake Slack, built from the store, within 100 blocks, and showing only what each channel may see; its buttons act
// (Repeat N failed into the alert's thread, Unmute) and it is republished when what it shows changes. Also
// `/workato-jobs digest` through the real slash command, in the typer's time zone, and `digest now`.
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { ALICE, BOB, CHANNEL, CUSTOMER, type Harness, RECIPE, RECIPE_NAME } from "../../sim/app-harness.js";
import { type FakeMessage, listButtons, MAX_BLOCKS_PER_VIEW } from "../../sim/fake-slack/index.js";
import { openHome } from "../support/app-home.js";
import { harnessPerTest } from "../support/harness-per-test.js";
import { polledWatch } from "../support/polled-watch.js";

const start = harnessPerTest();

const blocksText = (blocks: unknown[]) => JSON.stringify(blocks);

/** A watch of RECIPE in CHANNEL made by Alice, polled once, then an alert of `failures` failed jobs. */
async function alertedWatch(harness: Harness, failures = 1, mentions = "") {
  const text = `watch ${CUSTOMER} ${RECIPE} ${mentions}`.trim();
  const watch = await polledWatch(harness, { text, user: ALICE, channel: CHANNEL });
  const jobs = harness.sim.addFailedJobs(CUSTOMER, RECIPE, failures);
  await harness.app.deps.poller.pollOnce(watch.id);
  const alert: FakeMessage = await harness.slack.waitFor(() => harness.slack.messages(CHANNEL)[1]);
  return { watch, jobs, alert };
}

const repeatRequests = (harness: Harness) =>
  harness.sim.requests.filter((request) => request.endpoint === "repeat");

const homeButtons = (harness: Harness, userId: string) =>
  listButtons({ blocks: harness.slack.homeView(userId)?.blocks ?? [] });

describe("App Home", () => {
  it("publishes the watches of the person's channels when they open the Home tab, asking Workato nothing", async () => {
    const harness = await start({ env: { WATCH_INTERVAL_SECONDS: "3600" } });
    // The watch's first poll is done before the tab is opened, so every Workato request after it would be the tab's.
    await polledWatch(harness, { text: `watch ${CUSTOMER} ${RECIPE}`, user: ALICE, channel: CHANNEL });
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
    const { watch, jobs } = await alertedWatch(harness);
    const logged = await harness.app.deps.store.watchFailuresSince([watch.id], 0);
    expect(logged.map((failure) => failure.jobId)).toEqual([jobs[0]?.id]);

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

describe("App Home buttons", () => {
  it("repeats an alert's failed jobs from Home with the channel's confirmation, reporting in the alert's thread", async () => {
    const harness = await start({ env: { WATCH_INTERVAL_SECONDS: "3600" } });
    const { jobs, alert } = await alertedWatch(harness, 2);
    await openHome(harness, ALICE.id);
    const home = await harness.slack.waitFor(() => harness.slack.homeView(ALICE.id));
    const text = blocksText(home.blocks);
    // Names, not only ids; the channel as a mention; one click to the thread.
    expect(text).toContain(RECIPE_NAME);
    expect(text).toContain(`<#${CHANNEL}>`);
    expect(text).toContain(`/archives/${CHANNEL}/p${alert.ts.replace(".", "")}|Open thread>`);

    const repeatsBefore = repeatRequests(harness).length;
    const clicked = await harness.send.clickHome({ user: ALICE, button: { text: "Repeat 2 failed" } });
    expect(clicked.status).toBe(200);
    expect(clicked.button.confirm).toMatchObject({ title: { text: "Repeat 2 failed jobs?" } });
    const started = await harness.slack.waitFor(() =>
      harness.slack.thread(CHANNEL, alert.ts).find((reply) => reply.text.includes("is repeating 2 jobs")),
    );
    expect(started.text).toContain(`<@${ALICE.id}>`);
    // In the alert's thread, not as a new message in the channel.
    expect(harness.slack.messages(CHANNEL)).toHaveLength(2);
    await vi.waitFor(
      () => {
        const sent = repeatRequests(harness).slice(repeatsBefore);
        expect(JSON.stringify(sent.map((request) => request.body))).toContain(String(jobs[0]?.id));
      },
      { timeout: 15_000, interval: 50 },
    );
    // Home is drawn again with the repeat among "Your recent repeats", linked to the alert's thread.
    const redrawn = await harness.slack.waitFor(
      () => {
        const view = harness.slack.homeView(ALICE.id);
        return view && blocksText(view.blocks).includes("|thread>") ? view : undefined;
      },
      { timeoutMs: 10_000 },
    );
    expect(blocksText(redrawn.blocks)).toContain(
      `/archives/${CHANNEL}/p${alert.ts.replace(".", "")}|thread>`,
    );
  });

  it("unmutes a muted alert from Home, and Home shows it unmuted", async () => {
    const harness = await start({ env: { WATCH_INTERVAL_SECONDS: "3600" } });
    const { watch, alert } = await alertedWatch(harness);
    await harness.send.click({
      channel: CHANNEL,
      messageTs: alert.ts,
      button: { text: "Mute 1h" },
      user: ALICE,
    });
    const [thread] = await harness.app.deps.store.alertThreads({ watchId: watch.id });
    if (!thread) throw new Error("no alert thread");
    await vi.waitFor(async () => {
      expect(await harness.app.deps.store.mutedUntil(watch.id, thread.signature)).not.toBeNull();
    });
    await openHome(harness, ALICE.id);
    await harness.slack.waitFor(() => homeButtons(harness, ALICE.id).find((b) => b.text === "Unmute"));
    const published = harness.slack.homeView(ALICE.id)?.publishCount ?? 0;

    await harness.send.clickHome({ user: ALICE, button: { text: "Unmute" } });
    await vi.waitFor(
      async () => {
        const until = await harness.app.deps.store.mutedUntil(watch.id, thread.signature);
        expect(until ?? 0).toBeLessThanOrEqual(harness.app.deps.clock.now());
      },
      { timeout: 10_000, interval: 20 },
    );
    // Republished from the store without being opened again: no Unmute, no "muted until".
    const after = await harness.slack.waitFor(
      () => {
        const view = harness.slack.homeView(ALICE.id);
        return view && view.publishCount > published ? view : undefined;
      },
      { timeoutMs: 10_000 },
    );
    expect(listButtons({ blocks: after.blocks }).map((b) => b.text)).not.toContain("Unmute");
    expect(blocksText(after.blocks)).not.toContain("muted until");
  });

  it("takes an alert from Home: the alert in the channel says who is on it, and Home offers Release", async () => {
    const harness = await start({ env: { WATCH_INTERVAL_SECONDS: "3600" } });
    const { alert } = await alertedWatch(harness);
    await openHome(harness, ALICE.id);
    await harness.slack.waitFor(() => homeButtons(harness, ALICE.id).find((b) => b.text === "I'm on it"));
    const published = harness.slack.homeView(ALICE.id)?.publishCount ?? 0;

    await harness.send.clickHome({ user: ALICE, button: { text: "I'm on it" } });
    // The alert itself, in its channel, is redrawn from the store.
    const taken = await harness.slack.waitFor(
      () => {
        const message = harness.slack.messages(CHANNEL).find((m) => m.ts === alert.ts);
        return message && blocksText(message.blocks).includes(`<@${ALICE.id}> is on it`)
          ? message
          : undefined;
      },
      { timeoutMs: 10_000 },
    );
    expect(listButtons(taken).map((b) => b.text)).toContain("Release");
    // Home is republished: who has it, and Release for the one who took it.
    const after = await harness.slack.waitFor(
      () => {
        const view = harness.slack.homeView(ALICE.id);
        return view && view.publishCount > published ? view : undefined;
      },
      { timeoutMs: 10_000 },
    );
    expect(blocksText(after.blocks)).toContain(`<@${ALICE.id}> is on it`);
    const buttons = listButtons({ blocks: after.blocks }).map((b) => b.text);
    expect(buttons).toContain("Release");
    expect(buttons).not.toContain("I'm on it");
  });

  it("refuses a Home take of an alert whose watch is not in the person's Home, and changes nothing", async () => {
    const harness = await start({ env: { WATCH_INTERVAL_SECONDS: "3600" } });
    const { alert } = await alertedWatch(harness);
    await openHome(harness, ALICE.id);
    const take = await harness.slack.waitFor(() =>
      homeButtons(harness, ALICE.id).find((b) => b.text === "I'm on it"),
    );
    // Bob has no watch, mention or repeat in the channel: the same button sent from his Home acts on nothing.
    await harness.send.blockAction({
      type: "block_actions",
      user: { id: BOB.id, username: "bob", name: "bob", team_id: harness.slack.teamId },
      container: { type: "view", view_id: "V0BOBHOME" },
      team: { id: harness.slack.teamId },
      actions: [
        {
          action_id: take.actionId,
          block_id: take.blockId,
          value: take.value,
          type: "button",
          action_ts: "1.2",
        },
      ],
    });
    await harness.app.deps.background.settled();
    expect(await harness.app.deps.store.alertState(CHANNEL, alert.ts)).toBeUndefined();
  });

  it("republishes Home when a new alert opens, for someone who opened it in the last 10 minutes only", async () => {
    const harness = await start({ env: { WATCH_INTERVAL_SECONDS: "3600" } });
    await openHome(harness, BOB.id);
    await harness.slack.waitFor(() => harness.slack.homeView(BOB.id));
    // Alice is mentioned by the watch but has not opened Home: nothing is published for her.
    await alertedWatch(harness, 1, `<@${BOB.id}>`);
    const republished = await harness.slack.waitFor(
      () => {
        const view = harness.slack.homeView(BOB.id);
        return view && blocksText(view.blocks).includes("1 failure") ? view : undefined;
      },
      { timeoutMs: 10_000 },
    );
    expect(republished.publishCount).toBeGreaterThan(1);
    // Coalesced: the watch, its first poll and the alert were drawn in a few publishes, not one per write.
    expect(republished.publishCount).toBeLessThanOrEqual(4);
    expect(harness.slack.homeView(ALICE.id)).toBeUndefined();
  });

  it("stays within 100 blocks with many open alerts and muted watches, and says how many more", async () => {
    const harness = await start({ env: { WATCH_INTERVAL_SECONDS: "3600" } });
    const store = harness.app.deps.store;
    const at = harness.app.deps.clock.now();
    for (let n = 0; n < 150; n++) {
      const watch = await store.upsertWatch(
        {
          channel: CHANNEL,
          customer: String(CUSTOMER),
          recipeId: 1000 + n,
          mentions: [],
          createdBy: ALICE.id,
        },
        at,
      );
      if (n % 2 === 0) await store.setMute(watch.id, "*", at + 3_600_000);
      await store.saveAlertThread({
        watchId: watch.id,
        signature: `${String(n).padStart(4, "0")}abcdef01`,
        channel: CHANNEL,
        ts: `1700000000.${String(n).padStart(6, "0")}`,
        firstSeenAt: at,
        lastSeenAt: at + n,
        count: 3,
        jobIds: [`j-${n}`],
        firstLine: `Timeout ${n}`,
        jobs: [{ id: `j-${n}`, masterJobId: `j-${n}`, startedAt: new Date(at).toISOString() }],
        mentioned: false,
        resolvedAt: null,
      });
    }
    await openHome(harness, ALICE.id);
    const home = await harness.slack.waitFor(() => harness.slack.homeView(ALICE.id), { timeoutMs: 20_000 });
    expect(home.blocks.length).toBeLessThanOrEqual(MAX_BLOCKS_PER_VIEW);
    const text = blocksText(home.blocks);
    expect(text).toContain("130 more alerts");
    expect(text).toMatch(/and \d+ more watches/);
    const labels = listButtons({ blocks: home.blocks }).map((b) => b.text);
    expect(labels.filter((label) => label === "Repeat 1 failed")).toHaveLength(20);
    expect(labels).toContain("Unmute");
  });

  it("shows a person of another organisation none of a customer's alerts, and refuses their Home clicks", async () => {
    const harness = await start({ env: { WATCH_INTERVAL_SECONDS: "3600" } });
    const guest = { id: "U0GUEST", teamId: "T0OTHERORG" };
    harness.slack.setUserTeam(guest.id, guest.teamId);
    const { alert } = await alertedWatch(harness, 1, `<@${guest.id}>`);
    await openHome(harness, guest.id);
    const home = await harness.slack.waitFor(() => harness.slack.homeView(guest.id));
    expect(blocksText(home.blocks)).not.toContain(String(RECIPE));
    expect(blocksText(home.blocks)).toContain("No open alerts.");
    expect(listButtons({ blocks: home.blocks })).toEqual([]);

    // The button Alice sees, sent as the guest: refused, nothing repeated, told privately why.
    await openHome(harness, ALICE.id);
    const repeat = await harness.slack.waitFor(() =>
      homeButtons(harness, ALICE.id).find((b) => b.text === "Repeat 1 failed"),
    );
    const repeatsBefore = repeatRequests(harness).length;
    const clickAs = (user: { id: string; teamId: string }) =>
      harness.send.blockAction({
        type: "block_actions",
        user: { id: user.id, username: user.id, name: user.id, team_id: user.teamId },
        api_app_id: "A0WORKATOJOBS",
        container: { type: "view", view_id: "V0FORGED" },
        trigger_id: "1.2.3",
        team: { id: user.teamId, domain: "someone" },
        view: { id: "V0FORGED", type: "home" },
        actions: [
          {
            action_id: repeat.actionId,
            block_id: repeat.blockId,
            value: repeat.value,
            type: "button",
            action_ts: "1.1",
          },
        ],
      });
    expect((await clickAs(guest)).status).toBe(200);
    const told = await harness.slack.waitFor(() => harness.slack.messages(guest.id)[0]);
    expect(told.text).toContain("other organisations");
    // Someone whose Home does not show the alert at all (no watch, mention or repeat in its channel).
    expect((await clickAs({ id: BOB.id, teamId: harness.slack.teamId })).status).toBe(200);
    const bobTold = await harness.slack.waitFor(() => harness.slack.messages(BOB.id)[0]);
    expect(bobTold.text).toContain("no longer in your App Home");
    await harness.app.deps.background.settled();
    expect(harness.slack.thread(CHANNEL, alert.ts)).toEqual([]);
    expect(repeatRequests(harness)).toHaveLength(repeatsBefore);
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

  it("reads a time typed without a zone in the typer's own time zone, and says which", async () => {
    const harness = await start();
    harness.slack.setUserTimeZone(ALICE.id, "America/New_York");
    await harness.send.slashCommand({ text: "digest 09:00", user: ALICE, channel: CHANNEL });
    const set = await harness.slack.waitFor(() => harness.slack.messages(CHANNEL)[0]);
    expect(set.text).toContain("09:00 America/New_York");
    expect(set.text).toContain("time zone in Slack");
    expect(await harness.app.deps.store.digestOf(CHANNEL)).toMatchObject({
      timeOfDay: "09:00",
      timeZone: "America/New_York",
    });
  });

  it("shows today's digest at once to the person who asks for it, and to nobody else", async () => {
    const harness = await start({ env: { WATCH_INTERVAL_SECONDS: "3600" } });
    await alertedWatch(harness, 2);
    const channelMessages = harness.slack.messages(CHANNEL).length;
    await harness.send.slashCommand({ text: "digest now", user: ALICE, channel: CHANNEL });
    const preview = await harness.slack.waitFor(() => harness.slack.ephemerals(CHANNEL, ALICE.id)[0]);
    const text = `${preview.text} ${blocksText(preview.blocks)}`;
    expect(text).toContain("Preview");
    expect(text).toContain("2 failed jobs");
    expect(text).toContain("this channel has no daily digest yet");
    expect(harness.slack.messages(CHANNEL)).toHaveLength(channelMessages);
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
