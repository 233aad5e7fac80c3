// How repeat slots are shared: round-robin across recipes, and across repeats within a recipe.
import { describe, expect, it } from "vitest";
import { nextFairQueue, takeInTurn } from "../../src/repeat/fair-share.js";

interface Job {
  id: string;
  owner: string;
  waitingSince: number;
}

const jobs = (owner: string, n: number, waitingSince = 0): Job[] =>
  Array.from({ length: n }, (_, i) => ({ id: `${owner}${i}`, owner, waitingSince }));

describe("takeInTurn", () => {
  it("gives a 3-job repeat its jobs in the next request beside a 1,200-job one of the same recipe", () => {
    const waiting = [...jobs("recovery", 1200), ...jobs("click", 3)];
    const taken = takeInTurn(waiting, 25, (job) => job.owner);
    expect(taken).toHaveLength(25);
    expect(taken.filter((job) => job.owner === "click")).toHaveLength(3);
    expect(waiting).toHaveLength(1178);
    expect(waiting.some((job) => job.owner === "click")).toBe(false);
  });

  it("keeps each repeat's order and takes the first jobs when there is one repeat", () => {
    const waiting = jobs("a", 30);
    expect(takeInTurn(waiting, 25, (job) => job.owner).map((job) => job.id)).toEqual(
      jobs("a", 25).map((job) => job.id),
    );
    expect(waiting.map((job) => job.id)).toEqual(["a25", "a26", "a27", "a28", "a29"]);
  });
});

describe("nextFairQueue", () => {
  it("serves the recipe served longest ago, so another recipe's click gets the next slot", () => {
    const recovery = { name: "recovery", waiting: jobs("r", 1000, 0), lastServed: 7 };
    const click = { name: "click", waiting: jobs("c", 3, 5000), lastServed: 0 };
    expect(nextFairQueue([recovery, click], () => true)?.name).toBe("click");
    expect(nextFairQueue([recovery, click], (queue) => queue !== click)?.name).toBe("recovery");
  });

  it("among queues never served, serves the one whose oldest job waited longest", () => {
    const older = { name: "older", waiting: jobs("o", 1, 100), lastServed: 0 };
    const newer = { name: "newer", waiting: jobs("n", 1, 200), lastServed: 0 };
    expect(nextFairQueue([newer, older], () => true)?.name).toBe("older");
  });
});
