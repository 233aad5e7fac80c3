// The App Home view and the digest message as pure builders: what a person reads, and Slack's limits kept however
// much there is to show.
import { describe, expect, it } from "vitest";
import { listButtons, MAX_BLOCKS_PER_VIEW, validateBlocks } from "../../../sim/fake-slack/index.js";
import type { DigestRecipe } from "../../../src/digest/digest-report.js";
import { buildDigestMessage } from "../../../src/slack/blocks/digest-blocks.js";
import { buildHomeView, type HomeAlert, type HomeWatch } from "../../../src/slack/blocks/home-blocks.js";
import { parseCustomerRef } from "../../../src/workato/customer-ref.js";

const T0 = Date.UTC(2026, 2, 2, 9);
const customer = (() => {
  const parsed = parseCustomerRef("23456");
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.ref;
})();

const recipe = (n: number) => ({
  customer,
  customerName: "Acme EU",
  recipeId: 1000 + n,
  recipeName: n === 2 ? null : `Nightly sync ${n}`,
});

const watch = (n: number): HomeWatch => ({
  watchId: n + 1,
  channel: `C0CH${n}`,
  recipe: recipe(n),
  state:
    n % 3 === 0
      ? { kind: "paused", reason: "Workato answered 401" }
      : n % 3 === 1
        ? { kind: "muted", until: T0 + 3_600_000 }
        : { kind: "active" },
  yours: true,
});

const alert = (n: number): HomeAlert => ({
  watchId: n + 1,
  signature: n === 0 ? "recipe_stopped" : `${String(n).padStart(4, "0")}abcdef01`,
  channel: `C0CH${n}`,
  threadTs: `1700000000.${String(n).padStart(6, "0")}`,
  threadLink: `https://fake.slack/archives/C0CH${n}/p1700000000${n}`,
  recipe: recipe(n),
  firstLine: n === 0 ? "trigger errors" : `Timeout ${n}`,
  recipeStopped: n === 0,
  count: n + 1,
  lastSeenAt: T0,
  mutedUntil: null,
  toRepeat: { masterIds: n === 0 ? [] : [`j${n}a`, `j${n}b`], oldestStartedAt: T0 - 60_000 },
  owner: null,
});

describe("the App Home view", () => {
  it("shows each watch's state, open alerts (a stopped recipe among them) and the person's repeats with outcomes", () => {
    const view = buildHomeView({
      builtAt: T0,
      watches: [watch(0), watch(1), watch(2)],
      openAlerts: [alert(0), alert(1)],
      repeats: [
        {
          row: {
            repeat: {
              id: 1,
              userId: "U0ALICE",
              channel: "C0CH1",
              threadTs: "1.1",
              customer: "23456",
              recipeId: 1001,
              createdAt: T0,
              finishedAt: T0,
            },
            total: 3,
            enqueued: 3,
            failed: 0,
            unknown: 0,
            waiting: 0,
          },
          recipe: recipe(1),
          followed: { succeeded: 2, failed: 1, running: 0, total: 3 },
          threadLink: "https://fake.slack/archives/C0CH1/p11",
        },
      ],
    });
    const text = JSON.stringify(view.blocks);
    expect(view.type).toBe("home");
    for (const shown of [
      "*paused*: Workato answered 401",
      "muted until",
      ":large_green_circle: active",
      "*recipe stopped*: trigger errors",
      "*2 failures*: Timeout 1",
      "3 enqueued",
      ":white_check_mark: 2 succeeded · :x: 1 failed again",
      // Names, not only ids; channels as mentions; one click to each thread.
      "*Nightly sync 1* (recipe `1001`) of *Acme EU* (`23456`)",
      "recipe `1002`",
      "<#C0CH1>",
      "<https://fake.slack/archives/C0CH1/p17000000001|Open thread>",
      "<https://fake.slack/archives/C0CH1/p11|thread>",
    ])
      expect(text).toContain(shown);
    // The failure alert offers Repeat 2 failed with the channel's confirm dialog; a stopped recipe has no Repeat.
    const buttons = listButtons({ blocks: view.blocks });
    const repeat = buttons.filter((button) => button.text.startsWith("Repeat"));
    expect(repeat.map((button) => button.text)).toEqual(["Repeat 2 failed"]);
    expect(repeat[0]?.confirm).toBeDefined();
    expect(JSON.parse(repeat[0]?.value ?? "{}")).toMatchObject({
      w: 2,
      g: "0001abcdef01",
      j: ["j1a", "j1b"],
    });
    // The muted watch has its Unmute.
    expect(buttons.filter((button) => button.text === "Unmute")).toHaveLength(1);
    expect(
      validateBlocks(view.blocks, {
        maxBlocks: MAX_BLOCKS_PER_VIEW,
        maxTotalTextLength: Number.POSITIVE_INFINITY,
      }),
    ).toBeNull();
  });

  it("stays within a view's 100 blocks with thousands of everything, and says how many more", () => {
    const many = Array.from({ length: 2000 }, (_, n) => n);
    const view = buildHomeView({
      builtAt: T0,
      watches: many.map(watch),
      openAlerts: many.map(alert),
      repeats: [],
    });
    expect(view.blocks.length).toBeLessThanOrEqual(MAX_BLOCKS_PER_VIEW);
    const text = JSON.stringify(view.blocks);
    expect(text).toMatch(/and [\d,]+ more watches/);
    expect(text).toContain("1,980 more alerts");
    expect(
      validateBlocks(view.blocks, {
        maxBlocks: MAX_BLOCKS_PER_VIEW,
        maxTotalTextLength: Number.POSITIVE_INFINITY,
      }),
    ).toBeNull();
  });
});

describe("the digest message", () => {
  it("stays within a message's limits with hundreds of watched recipes", () => {
    const recipe = (n: number): DigestRecipe => ({
      customer,
      recipeId: n,
      failures: 5,
      kinds: [{ firstLine: "x".repeat(500), count: 5 }],
      repeatedAndSucceeded: 2,
      repeating: 1,
      stillFailing: 2,
      stopped: n % 2 === 0 ? { cause: "trigger errors", since: T0 } : null,
      pausedReason: null,
      onCall: {
        takenBy: ["U0BOB"],
        resolvedByHand: [{ userId: "U0ANNA", reason: "y".repeat(300) }],
        escalated: 1,
      },
    });
    const message = buildDigestMessage({
      schedule: {
        channel: "C1",
        timeOfDay: "09:00",
        timeZone: "UTC",
        setBy: "U0ALICE",
        setAt: T0,
        lastSentDay: null,
      },
      from: T0 - 86_400_000,
      to: T0,
      recipes: Array.from({ length: 300 }, (_, n) => recipe(n)),
    });
    expect(validateBlocks(message.blocks)).toBeNull();
    expect(JSON.stringify(message.blocks)).toMatch(/and \d+ more recipes/);
    expect(message.text).toContain("09:00 UTC");
  });

  it("says who is on each recipe's alerts, who resolved one by hand and why, and how many escalated", () => {
    const message = buildDigestMessage({
      schedule: {
        channel: "C1",
        timeOfDay: "09:00",
        timeZone: "UTC",
        setBy: "U0ALICE",
        setAt: T0,
        lastSentDay: null,
      },
      from: T0 - 86_400_000,
      to: T0,
      recipes: [
        {
          customer,
          recipeId: 7,
          failures: 3,
          kinds: [{ firstLine: "Timeout", count: 3 }],
          repeatedAndSucceeded: 0,
          repeating: 0,
          stillFailing: 3,
          stopped: null,
          pausedReason: null,
          onCall: {
            takenBy: ["U0BOB"],
            resolvedByHand: [{ userId: "U0ANNA", reason: "fixed at the source" }],
            escalated: 2,
          },
        },
      ],
    });
    const text = JSON.stringify(message.blocks);
    expect(text).toContain(":eyes: <@U0BOB> on it");
    expect(text).toContain(":heavy_check_mark: resolved by hand by <@U0ANNA>: fixed at the source");
    expect(text).toContain(":mega: 2 alerts escalated");
  });
});
