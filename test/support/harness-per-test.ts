// For end-to-end test files: a fresh app harness per test, closed after it.
import { afterEach } from "vitest";
import { type Harness, type HarnessOptions, startHarness } from "../../sim/app-harness.js";

export function harnessPerTest(): (options?: HarnessOptions) => Promise<Harness> {
  const started: Harness[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((harness) => harness.close()));
  });
  return async (options = {}) => {
    const harness = await startHarness(options);
    started.push(harness);
    return harness;
  };
}
