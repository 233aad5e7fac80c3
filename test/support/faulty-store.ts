// A fault injected in the store seam: the real store, wrapped so that its writes (or all its calls) fail as a full
// disk or an unreachable database makes them fail, for as long as a test says.

import type { AsyncStore } from "../../src/store/store.js";
import { wrapStoreCalls } from "../../src/store/store-health.js";

export interface FaultyStore {
  readonly store: AsyncStore;
  /** writes fail (reads still work), as on a full disk */
  failWrites(on: boolean): void;
  /** every call fails, as while the database is down */
  failAll(on: boolean): void;
  /** calls of this kind are answered only after `ms` (0: at once), as by a database that stopped answering */
  hold(kind: "read" | "write", ms: number): void;
}

export function faultyStore(real: AsyncStore): FaultyStore {
  let writes = false;
  let all = false;
  const held = { read: 0, write: 0 };
  return {
    store: wrapStoreCalls(real, async (_method, kind, call) => {
      if (held[kind] > 0) await new Promise((resolve) => setTimeout(resolve, held[kind]));
      if (all)
        throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" });
      if (writes && kind === "write")
        throw Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" });
      return call();
    }),
    failWrites(on) {
      writes = on;
    },
    failAll(on) {
      all = on;
    },
    hold(kind, ms) {
      held[kind] = ms;
    },
  };
}
