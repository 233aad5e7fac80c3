// The recipe list and customer list messages: what each recipe line says, its buttons, paging, and Slack's limits.
import { describe, expect, it } from "vitest";
import { decodeRecipesPageValue } from "../../../src/slack/blocks/action-ids.js";
import { buildCustomerListMessage } from "../../../src/slack/blocks/customer-list-blocks.js";
import { buildRecipeListMessage } from "../../../src/slack/blocks/recipe-list-blocks.js";
import { buildRecipeStoppedMessage } from "../../../src/slack/blocks/recipe-stopped-blocks.js";
import type { RecipeSummary } from "../../../src/workato/schemas.js";
import { customerRef } from "../../support/customer.js";
import { unpolledWatch } from "../../support/watch.js";
import { buttonsLabelled, buttonsOf, expectSlackAccepts, messageJson } from "./slack-checks.js";

function recipe(id: number, overrides: Partial<RecipeSummary> = {}): RecipeSummary {
  return {
    id,
    name: `Recipe <${id}> & co`,
    running: true,
    jobSucceededCount: 10,
    jobFailedCount: 0,
    lastRunAt: "2025-03-04T09:00:00.000+00:00",
    stoppedAt: null,
    stopCause: null,
    triggerApplication: "salesforce",
    folderId: 1,
    ...overrides,
  };
}

const base = { customer: customerRef("23456"), customerName: "Acme EU", page: 1, listed: 20, notShown: 0 };

describe("buildRecipeListMessage", () => {
  it("says running or stopped (with Workato's cause in words), failed jobs and last run, escaped", () => {
    const message = buildRecipeListMessage({
      ...base,
      recipes: [
        recipe(3, { jobFailedCount: 4 }),
        recipe(2, {
          running: false,
          stopCause: "trigger_errors_limit",
          stoppedAt: "2025-03-04T08:00:00.000+00:00",
        }),
        recipe(1, { running: false, lastRunAt: null }),
      ],
      hasOlder: false,
    });
    const json = messageJson(message);
    expect(json).toContain("Recipe &lt;3&gt; &amp; co");
    expect(json).toContain(":large_green_circle: running · *4 failed jobs*");
    expect(json).toContain(":red_circle: stopped by Workato: its trigger kept failing since <!date^");
    expect(json).toContain(":black_circle: stopped · no failed jobs · never run");
    expect(json).toContain("Recipes of Acme EU (23456)");
    // List failed only where there are failed jobs; Watch on every recipe.
    expect(buttonsLabelled(message, "List failed")).toHaveLength(1);
    expect(buttonsLabelled(message, "Watch")).toHaveLength(3);
    expectSlackAccepts(message);
  });

  it("pages with Newer and Older recipes buttons that keep the filter", () => {
    const message = buildRecipeListMessage({
      ...base,
      page: 3,
      filter: "stopped",
      recipes: Array.from({ length: 20 }, (_, i) => recipe(100 - i, { running: false })),
      hasOlder: true,
    });
    const [newer] = buttonsLabelled(message, "Newer recipes");
    const [older] = buttonsLabelled(message, "Older recipes");
    expect(decodeRecipesPageValue(newer?.value)).toEqual({ c: "23456", p: 2, f: "stopped" });
    expect(decodeRecipesPageValue(older?.value)).toEqual({ c: "23456", p: 4, f: "stopped" });
    // Watch on each of the 20 (none has failed jobs), and the two paging buttons.
    expect(buttonsOf(message).length).toBe(22);
    expectSlackAccepts(message);
  });

  it("says how many failing recipes were found and how many are not shown", () => {
    const message = buildRecipeListMessage({
      ...base,
      filter: "failing",
      listed: 100,
      notShown: 5,
      recipes: Array.from({ length: 20 }, (_, i) => recipe(i + 1, { jobFailedCount: 30 - i })),
      hasOlder: true,
    });
    expect(message.text).toContain(
      "25 recipes with failed jobs among 100 recipes, the 20 with the most failures shown",
    );
    expectSlackAccepts(message);
  });
});

describe("buildCustomerListMessage", () => {
  it("lists names with the id to type and the external id, and says when the list was cut", () => {
    const customers = Array.from({ length: 130 }, (_, i) => ({
      name: `Customer <${i}>`,
      ref: customerRef(String(1000 + i)),
      externalId: i === 0 ? "ext-0" : null,
    }));
    const message = buildCustomerListMessage({ customers, text: "", loadedAt: 1, problem: null });
    const json = messageJson(message);
    expect(json).toContain("*Customer &lt;0&gt;* · `1000` · ext `ext-0`");
    expect(json).toContain("30 more customers not shown");
    expect(json).toContain("&lt;customer&gt;");
    expectSlackAccepts(message);
  });

  it("says plainly when no customer matches", () => {
    const message = buildCustomerListMessage({ customers: [], text: "zzz", loadedAt: 1, problem: null });
    expect(message.text).toBe('No customer this channel may see has a name or id matching "zzz".');
  });
});

describe("stop causes", () => {
  const stoppedAlert = (cause: string) =>
    buildRecipeStoppedMessage({
      target: {
        watch: unpolledWatch({
          id: 7,
          channel: "C0ONCALL",
          customer: "23456",
          recipeId: 2,
          mentions: [],
          createdBy: "U0ALICE",
          createdAt: 0,
        }),
        customer: customerRef("23456"),
        recipeName: "Orders",
      },
      cause,
      stoppedAt: "2025-03-04T08:00:00.000+00:00",
      mention: false,
      at: 0,
    });
  const listed = (cause: string) =>
    buildRecipeListMessage({
      ...base,
      hasOlder: false,
      recipes: [recipe(2, { running: false, stopCause: cause, stoppedAt: "2025-03-04T08:00:00.000+00:00" })],
    });

  it("are worded the same in the recipe list and the stopped alert, and never twice over", () => {
    for (const [cause, words] of [
      ["trigger_errors_limit", "its trigger kept failing"],
      ["action_quota_limit", "the task quota ran out"],
      ["connection_errors_limit", "a connection kept failing"],
      ["some_new_cause", "some new cause"],
      ["trigger errors", "trigger errors"],
    ] as const) {
      expect(messageJson(listed(cause))).toContain(`stopped by Workato: ${words} since`);
      const alert = stoppedAlert(cause);
      expect(alert.text).toContain(`: ${words}`);
      expect(messageJson(alert)).not.toContain(`${words} (`);
    }
  });
});
