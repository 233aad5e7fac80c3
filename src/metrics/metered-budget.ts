// A WorkatoBudget that records how long each call waited for its limiter: from asking for a slot until its
// request may leave. It wraps any budget (local or shared across replicas) without changing what it decides.
import { performance } from "node:perf_hooks";
import type { WorkatoBudget } from "../workato/budget.js";
import type { MetricsRecorder } from "./metrics.js";

export function meteredBudget(
  budget: WorkatoBudget,
  metrics: Pick<MetricsRecorder, "limiterWait">,
): WorkatoBudget {
  return {
    schedule(family, priority, task) {
      const askedAt = performance.now();
      return budget.schedule(family, priority, (untilSendable) =>
        task(async () => {
          await untilSendable();
          metrics.limiterWait(family, priority, (performance.now() - askedAt) / 1000);
        }),
      );
    },
    sent: (family) => budget.sent(family),
    backgroundPerMinute: (family) => budget.backgroundPerMinute(family),
  };
}
