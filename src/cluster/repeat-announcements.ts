// "A repeat was recorded" between replicas, by Postgres LISTEN/NOTIFY: the dispatcher on another replica picks it up
// at once instead of at its next poll, so ids asked for on different replicas still meet within REPEAT_COALESCE_MS.
// Only a wake-up: the store is the queue, and the dispatcher's poll still finds anything a lost notification missed.
import type { Pool, PoolClient } from "pg";
import type { Logger } from "pino";

export interface RepeatAnnouncements {
  announce(): void;
  /** wake is called on each announcement from any replica; returns the unsubscribe */
  onAnnounced(wake: () => void): () => void;
  close(): Promise<void>;
}

const CHANNEL = "workato_jobs_repeat_recorded";
const RELISTEN_AFTER_MS = 1_000;

export function createRepeatAnnouncements(pool: Pool, logger: Logger): RepeatAnnouncements {
  const log = logger.child({ component: "repeat-announcements" });
  const listeners = new Set<() => void>();
  let listener: PoolClient | null = null;
  let closed = false;
  let relistenTimer: NodeJS.Timeout | undefined;

  async function listen(): Promise<void> {
    if (closed || listener) return;
    try {
      const client = await pool.connect();
      client.on("notification", () => {
        for (const wake of listeners) wake();
      });
      // A dropped connection loses LISTEN: give it back broken and listen again on a fresh one.
      client.on("error", (error) => {
        log.warn({ err: error }, "lost the connection that listens for repeats; listening again");
        if (listener === client) listener = null;
        client.release(error);
        relisten();
      });
      await client.query(`LISTEN ${CHANNEL}`);
      listener = client;
      if (closed) await stopListening();
    } catch (error) {
      log.warn({ err: error }, "could not listen for repeats recorded elsewhere; the poll still finds them");
      relisten();
    }
  }

  function relisten(): void {
    if (closed) return;
    clearTimeout(relistenTimer);
    relistenTimer = setTimeout(() => void listen(), RELISTEN_AFTER_MS);
    relistenTimer.unref();
  }

  async function stopListening(): Promise<void> {
    const client = listener;
    listener = null;
    if (!client) return;
    await client.query(`UNLISTEN ${CHANNEL}`).then(
      () => client.release(),
      (error: Error) => client.release(error),
    );
  }

  return {
    announce() {
      pool
        .query(`NOTIFY ${CHANNEL}`)
        .catch((error: unknown) =>
          log.warn({ err: error }, "could not announce a recorded repeat; the dispatcher's poll finds it"),
        );
    },
    onAnnounced(wake) {
      listeners.add(wake);
      void listen();
      return () => listeners.delete(wake);
    },
    async close() {
      closed = true;
      clearTimeout(relistenTimer);
      await stopListening();
    },
  };
}
