// Background work that must run on one replica at a time (the watch poller, the outcome follower) started when its
// lease is taken and stopped when it is lost; starts and stops never overlap, so a quick loss and regain is safe.
import type { Lease } from "./lease.js";

export interface LeasedWork {
  start(): void;
  stop(): Promise<void>;
}

/** Follows the lease from now on; the returned function stops following and stops the work. */
export function runWhileHeld(
  lease: Pick<Lease, "isHeld" | "onChange">,
  work: LeasedWork,
): () => Promise<void> {
  let running = false;
  let settling: Promise<void> = Promise.resolve();
  const follow = (held: boolean) => {
    settling = settling.then(async () => {
      if (held && !running) {
        running = true;
        work.start();
      } else if (!held && running) {
        running = false;
        await work.stop();
      }
    });
  };
  const off = lease.onChange(follow);
  if (lease.isHeld()) follow(true);
  return async () => {
    off();
    follow(false);
    await settling;
  };
}
