// The posted-views part of the Store contract (recording a view, replacing what it shows, finding the views of a
// recipe or a watch posted since a time), run against every Store.
import { describe, expect, it } from "vitest";
import type { ViewRecord } from "../../src/store/view-store.js";
import type { StoreStorage } from "./store-contract.js";
import { storesPerTest } from "./stores-per-test.js";

const T0 = Date.UTC(2026, 2, 2, 9);
const HOUR = 3_600_000;

const alertView: ViewRecord = {
  channel: "C_ONCALL",
  ts: "1772442000.000100",
  threadTs: null,
  customer: "Acme (1001)",
  recipeId: 28904,
  jobIds: ["j-1", "j-2"],
  shows: { kind: "alert", watchId: 7 },
  postedAt: T0,
};

const followUpView: ViewRecord = {
  channel: "C_ONCALL",
  ts: "1772442600.000200",
  threadTs: alertView.ts,
  customer: "Acme (1001)",
  recipeId: 28904,
  jobIds: ["j-3"],
  shows: { kind: "alert_follow_up", watchId: 7, groups: [{ signature: "abc", jobIds: ["j-3"], total: 3 }] },
  postedAt: T0 + HOUR,
};

export function describeViewContract(
  name: string,
  newStorage: () => StoreStorage | Promise<StoreStorage>,
): void {
  describe(`${name} (posted views contract)`, () => {
    const { fresh, restart } = storesPerTest(newStorage);

    it("keeps each posted view with what it shows across a restart, oldest first", async () => {
      const { store, storage } = await fresh();
      await store.saveView(followUpView);
      await store.saveView(alertView);
      const again = await restart(store, storage);
      expect(await again.views({ postedSince: 0 })).toEqual([alertView, followUpView]);
    });

    it("finds the views of a recipe or a watch, and leaves out those posted before the age given", async () => {
      const { store } = await fresh();
      await store.saveView(alertView);
      await store.saveView(followUpView);
      await store.saveView({
        ...alertView,
        ts: "1772442000.000900",
        recipeId: 11111,
        shows: { kind: "recipe_stopped", watchId: 8, cause: "trigger_errors_limit", stoppedAt: null },
      });
      const ofRecipe = await store.views({ customer: "Acme (1001)", recipeId: 28904, postedSince: 0 });
      expect(ofRecipe.map((view) => view.ts)).toEqual([alertView.ts, followUpView.ts]);
      expect((await store.views({ watchId: 8, postedSince: 0 })).map((view) => view.shows.kind)).toEqual([
        "recipe_stopped",
      ]);
      expect(await store.views({ customer: "Other (2)", postedSince: 0 })).toEqual([]);
      expect((await store.views({ recipeId: 28904, postedSince: T0 + 1 })).map((view) => view.ts)).toEqual([
        followUpView.ts,
      ]);
    });

    it("keeps a job list with the query that drew it, found by its recipe but by no watch", async () => {
      const { store } = await fresh();
      const list: ViewRecord = {
        channel: "C_ONCALL",
        ts: "1772443000.000300",
        threadTs: null,
        customer: "Acme (1001)",
        recipeId: 28904,
        jobIds: ["j-1", "j-4"],
        shows: {
          kind: "job_list",
          query: { status: "failed", offsetJobId: "j-9", offsetStartedAt: T0 - HOUR, newer: true },
        },
        postedAt: T0 + 2 * HOUR,
      };
      await store.saveView(alertView);
      await store.saveView(list);
      expect(await store.views({ customer: "Acme (1001)", recipeId: 28904, postedSince: T0 + 1 })).toEqual([
        list,
      ]);
      expect((await store.views({ watchId: 7, postedSince: 0 })).map((view) => view.ts)).toEqual([
        alertView.ts,
      ]);
    });

    it("replaces what a view shows when the same message is recorded again", async () => {
      const { store } = await fresh();
      await store.saveView(alertView);
      await store.saveView({ ...alertView, jobIds: ["j-1", "j-2", "j-9"] });
      expect(await store.views({ watchId: 7, postedSince: 0 })).toEqual([
        { ...alertView, jobIds: ["j-1", "j-2", "j-9"] },
      ]);
    });
  });
}
