// The App Home view and the digest message as pure builders: what a person reads, and Slack's limits kept however
// much there is to show.
import { describe, expect, it } from "vitest";
import { MAX_BLOCKS_PER_VIEW, validateBlocks } from "../../../sim/fake-slack/index.js";
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

const watch = (n: number): HomeWatch => ({
  channel: `C0CH${n}`,
  customer,
  recipeId: 1000 + n,
  state:
    n % 3 === 0
      ? { kind: "paused", reason: "Workato answered 401" }
      : n % 3 === 1
        ? { kind: "muted", until: T0 + 3_600_000 }
        : { kind: "active" },
  yours: true,
});

const alert = (n: number): HomeAlert => ({
  channel: `C0CH${n}`,
  customer,
  recipeId: 1000 + n,
  firstLine: n === 0 ? "trigger errors" : `Timeout ${n}`,
  recipeStopped: n === 0,
  count: n + 1,
  lastSeenAt: T0,
  mutedUntil: null,
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
          followed: { succeeded: 2, failed: 1, running: 0, total: 3 },
        },
      ],
    });
    const text = JSON.stringify(view.blocks);
    expect(view.type).toBe("home");
    expect(text).toContain("*paused*: Workato answered 401");
    expect(text).toContain("muted until");
    expect(text).toContain(":large_green_circle: active");
    expect(text).toContain("*recipe stopped*: trigger errors");
    expect(text).toContain("2 failures: Timeout 1");
    expect(text).toContain("3 enqueued");
    expect(text).toContain(":white_check_mark: 2 succeeded · :x: 1 failed again");
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
    expect(text).toContain("1,940 more watches");
    expect(text).toContain("1,940 more alerts");
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
});
