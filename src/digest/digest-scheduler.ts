// Sends each channel's daily digest when its time has come, driven by the one clock. Runs once across replicas: it
// acts only while `shouldRun()` says so (a lease), and each day is claimed in the store before it is sent, so a
// restart or a second replica neither skips a day nor sends one twice.
import type { Logger } from "pino";
import type { Clock } from "../clock.js";
import type { DigestSchedule, DigestStore } from "../store/digest-store.js";
import type { Promised } from "../store/store.js";
import { createSleeper } from "../watch/sleeper.js";
import type { DigestReport } from "./digest-report.js";
import { dueDay } from "./digest-time.js";

/** Checked this often; a digest goes out within this long after its minute. */
export const DIGEST_CHECK_EVERY_MS = 30_000;

export type DigestScheduleStore = Pick<Promised<DigestStore>, "digests" | "claimDigestDay">;

export interface DigestSchedulerDeps {
  store: DigestScheduleStore;
  clock: Clock;
  /** whether this replica runs background work now (the lease); one process: always */
  shouldRun: () => boolean;
  report: (schedule: DigestSchedule, at: number) => Promise<DigestReport>;
  /** posts the digest in its channel */
  deliver: (report: DigestReport) => Promise<{ ok: true } | { ok: false; error: string }>;
  logger: Logger;
  checkEveryMs?: number;
}

/** What one check did: skipped (not this replica's turn), or the channels sent to, and those that failed. */
export type DigestRun = "skipped" | { sent: string[]; failed: { channel: string; error: string }[] };

export interface DigestScheduler {
  /** Sends every digest due now. Safe to call at any moment, from any replica. */
  runDue(): Promise<DigestRun>;
  start(): void;
  stop(): Promise<void>;
}

export function createDigestScheduler(deps: DigestSchedulerDeps): DigestScheduler {
  const log = deps.logger.child({ component: "digest" });
  const sleeper = createSleeper();
  let loop: Promise<void> | undefined;
  let stopping = false;

  async function runDue(): Promise<DigestRun> {
    if (!deps.shouldRun()) return "skipped";
    const at = deps.clock.now();
    const run = { sent: [] as string[], failed: [] as { channel: string; error: string }[] };
    for (const schedule of await deps.store.digests()) {
      const day = dueDay(schedule, at);
      if (day === null) continue;
      // Claimed before it is sent: a crash between the two loses that day's digest rather than sending it twice.
      if (!(await deps.store.claimDigestDay(schedule.channel, day))) continue;
      // One channel's trouble (a store read, Slack) must not keep the others' digests back.
      const delivered = await deps
        .report({ ...schedule, lastSentDay: day }, at)
        .then(deps.deliver)
        .catch((error: unknown) => ({ ok: false as const, error: (error as Error).message }));
      if (delivered.ok) {
        run.sent.push(schedule.channel);
        log.info({ channel: schedule.channel, day }, "digest sent");
      } else {
        run.failed.push({ channel: schedule.channel, error: delivered.error });
        log.warn({ channel: schedule.channel, day, slackError: delivered.error }, "digest not delivered");
      }
    }
    return run;
  }

  return {
    runDue,
    start() {
      if (loop) return;
      stopping = false;
      sleeper.reset();
      loop = (async () => {
        while (!stopping) {
          try {
            await runDue();
          } catch (error) {
            log.error({ err: error }, "digest check failed; trying again at the next check");
          }
          await sleeper.sleep(deps.checkEveryMs ?? DIGEST_CHECK_EVERY_MS);
        }
      })();
    },
    async stop() {
      stopping = true;
      sleeper.cancelAll();
      await loop;
      loop = undefined;
    },
  };
}
