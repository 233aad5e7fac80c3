// The watch commands: watching, unwatching and listing against the real store and poller (their grammar is in
// test/slack/commands/grammar.test.ts).
import { afterEach, describe, expect, it } from "vitest";
import type { AccessPolicy } from "../../../src/access/policy.js";
import { parsePolicy } from "../../../src/access/policy.js";
import type { SlackMessage } from "../../../src/slack/blocks/elements.js";
import { parseCommand } from "../../../src/slack/commands/grammar.js";
import {
  handleWatchCommand,
  type WatchCommandDeps,
  type WatchingCommand,
} from "../../../src/slack/watches/watch-commands.js";
import {
  ALICE,
  CHANNEL,
  CUSTOMER,
  RECIPE,
  silentLogger,
  startWatchHarness,
  type WatchHarness,
} from "../../support/watch-harness.js";
import { mrkdwnTexts } from "../blocks/slack-checks.js";

/** The watch subcommand `text` reads as, for the handler. */
const parsed = (text: string): WatchingCommand => {
  const result = parseCommand(text);
  if (!result.ok || !["watch", "unwatch", "watches"].includes(result.command.kind))
    throw new Error(`expected ${text} to parse as a watch command: ${JSON.stringify(result)}`);
  return result.command as WatchingCommand;
};

const harnesses: WatchHarness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.splice(0).map((harness) => harness.close()));
});

interface Answer {
  message: SlackMessage;
  visibility: string;
}

async function setUp(policy?: AccessPolicy) {
  const harness = await startWatchHarness(policy ? { policy } : {});
  harnesses.push(harness);
  const deps: WatchCommandDeps = {
    store: harness.asyncStore,
    access: harness.access,
    poster: harness.poster,
    poller: harness.poller,
    watchIntervalSeconds: 60,
    logger: silentLogger,
    clock: { now: () => harness.clock.now },
  };
  /** Runs the command as ALICE and returns what reached its response_url, in order. */
  const run = async (text: string, channel = CHANNEL): Promise<Answer[]> => {
    const command = parsed(text);
    const responseUrl = harness.slack.createResponseUrl({ channel, user: ALICE });
    await handleWatchCommand(deps, command, { who: { channel, userId: ALICE }, responseUrl });
    return harness.slack.calls
      .filter((call) => call.method === "response_url" && call.args.response_url === responseUrl)
      .map((call) => {
        expect(call.ok).toBe(true);
        return {
          message: { text: String(call.args.text), blocks: call.args.blocks as SlackMessage["blocks"] },
          visibility: String(call.args.response_type),
        };
      });
  };
  return {
    harness,
    run,
    shown: (answer?: Answer) => (answer ? mrkdwnTexts(answer.message).join("\n") : ""),
  };
}

describe("watch, unwatch and watches", () => {
  it("starts a watch, says so in the channel, and sets its starting point at once", async () => {
    const { harness, run, shown } = await setUp();
    const history = harness.sim.addFailedJobs(CUSTOMER, RECIPE, 2);

    const [answer] = await run(`watch ${CUSTOMER} ${RECIPE} <@U0BOB|bob>`);

    expect(answer?.visibility).toBe("in_channel");
    expect(shown(answer)).toContain(
      `<@${ALICE}> is now watching recipe \`${RECIPE}\` of customer \`${CUSTOMER}\``,
    );
    expect(shown(answer)).toContain("every 60 s");
    // Named in `watches`, not here, so the people named are not pinged by the set-up.
    expect(shown(answer)).not.toContain("<@U0BOB>");
    const [watch] = harness.store.watches({ channel: CHANNEL });
    expect(watch).toMatchObject({ mentions: ["<@U0BOB>"], cursorJobId: history.at(-1)?.id });
  });

  it("keeps a watch's escalation steps, says when alerts escalate without pinging anyone, and drops them when made again without", async () => {
    const { harness, run, shown } = await setUp();
    const [answer] = await run(
      `watch ${CUSTOMER} ${RECIPE} <@U0BOB> then <@U0SEC> after 15m then <@U0CTO> after 1h`,
    );
    expect(shown(answer)).toContain("escalates in its thread after 15 min, then after 60 min");
    expect(shown(answer)).not.toContain("U0SEC");
    const [list] = await run("watches");
    expect(shown(list)).toContain("escalates then <@U0SEC> after 15 min, then <@U0CTO> after 60 min");
    const [watch] = harness.store.watches({ channel: CHANNEL });
    expect(harness.store.escalationOf(watch?.id ?? 0)).toEqual([
      { mentions: ["<@U0SEC>"], afterMs: 15 * 60_000 },
      { mentions: ["<@U0CTO>"], afterMs: 60 * 60_000 },
    ]);
    await run(`watch ${CUSTOMER} ${RECIPE} <@U0BOB>`);
    expect(harness.store.escalationOf(watch?.id ?? 0)).toEqual([]);
  });

  it("updates the mentions of a watch made again, and lists the channel's watches with their state and interval", async () => {
    const { harness, run, shown } = await setUp();
    await run(`watch ${CUSTOMER} ${RECIPE}`);
    const [again] = await run(`watch ${CUSTOMER} ${RECIPE} <!subteam^S0ONCALL|@oncall>`);
    expect(shown(again)).toContain("updated the watch of");
    harness.sim.addRecipe(CUSTOMER, { id: 555, name: "Other" });
    const other = harness.addWatch({ recipeId: 555 });
    harness.store.updateWatchPoll(other.id, {
      pausedReason: "Workato refused access (403) 3 times in a row.",
    });
    harness.store.setMute(other.id, "*", harness.clock.now + 3_600_000);
    harness.addWatch({ channel: "C0ELSEWHERE", recipeId: 555 });

    const [list] = await run("watches");

    expect(list?.visibility).toBe("ephemeral");
    const text = shown(list);
    expect(text).toContain("2 watches in this channel");
    expect(text).toContain("every 60 s");
    expect(text).toContain("mentions <!subteam^S0ONCALL>");
    expect(text).toContain("*paused*: Workato refused access (403)");
    expect(text).toContain("2 active watches in all channels");
    expect(harness.store.watches({ channel: CHANNEL })).toHaveLength(2);
  });

  it("says what interval watches really get when there are more than the budget allows at the one asked for", async () => {
    const { harness, run, shown } = await setUp();
    for (let n = 0; n < 1200; n++) harness.addWatch({ channel: `C0CH${n}`, recipeId: 1000 + n });
    await run(`watch ${CUSTOMER} ${RECIPE}`);
    // 1,201 watches at 800 requests a minute (and the 1% margin): a round takes 91 s.
    expect(shown((await run("watches"))[0])).toMatch(/every 91 s \(60 s asked for; the poller keeps to 80%/);
  });

  it("removes a watch, and says so privately when there is none", async () => {
    const { harness, run, shown } = await setUp();
    await run(`watch ${CUSTOMER} ${RECIPE}`);

    const [removed] = await run(`unwatch ${CUSTOMER} ${RECIPE}`);
    expect(removed?.visibility).toBe("in_channel");
    expect(shown(removed)).toContain("stopped watching");
    expect(harness.store.watches()).toHaveLength(0);

    const [none] = await run(`unwatch ${CUSTOMER} ${RECIPE}`);
    expect(none?.visibility).toBe("ephemeral");
    expect(shown(none)).toContain("no watch of");
  });

  it("warns the person privately when Workato refuses the first check", async () => {
    const { harness, run, shown } = await setUp();
    harness.sim.denyJobsAccess(true);

    const answers = await run(`watch ${CUSTOMER} ${RECIPE}`);

    expect(answers).toHaveLength(2);
    expect(answers[1]?.visibility).toBe("ephemeral");
    expect(shown(answers[1])).toContain("first check");
    expect(shown(answers[1])).toContain("Get details");
  });

  it("refuses to watch a customer the channel may not see, while watches and unwatch still answer", async () => {
    const policy = parsePolicy(
      JSON.stringify({ channels: { [CHANNEL]: { customers: ["99999"] } } }),
      "policy.json",
    );
    const { harness, run, shown } = await setUp(policy);

    const [denied] = await run(`watch ${CUSTOMER} ${RECIPE}`);

    expect(denied?.visibility).toBe("ephemeral");
    expect(shown(denied)).toContain(`not allowed to see customer ${CUSTOMER}`);
    expect(harness.store.watches()).toHaveLength(0);
    expect(harness.listRequests()).toBe(0);
    expect((await run("watches"))[0]?.message.text).toContain("watches no recipes");
  });
});
