// For the store contract suites: each test's stores, opened fresh from a new storage, reopened as after a restart,
// and closed after the test.
import { afterEach } from "vitest";
import type { AnyStore, StoreStorage } from "./store-contract.js";

export interface StoresPerTest {
  /** a store on a new, empty storage */
  fresh(): Promise<{ store: AnyStore; storage: StoreStorage }>;
  /** `store` closed and its storage opened again, as a restart would */
  restart(store: AnyStore, storage: StoreStorage): Promise<AnyStore>;
  /** another store on the same storage, `store` left open (another replica or process) */
  another(storage: StoreStorage): Promise<AnyStore>;
}

/** Registers an afterEach that closes what the test opened and did not close. */
export function storesPerTest(newStorage: () => StoreStorage | Promise<StoreStorage>): StoresPerTest {
  const open: AnyStore[] = [];
  afterEach(async () => {
    for (const store of open.splice(0)) await store.close();
  });
  async function another(storage: StoreStorage): Promise<AnyStore> {
    const store = await storage.open();
    open.push(store);
    return store;
  }
  return {
    async fresh() {
      const storage = await newStorage();
      return { store: await another(storage), storage };
    },
    async restart(store, storage) {
      await store.close();
      const at = open.indexOf(store);
      if (at >= 0) open.splice(at, 1);
      return another(storage);
    },
    another,
  };
}
