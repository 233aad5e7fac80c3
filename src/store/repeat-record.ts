// A repeat as the store keeps it: where its results go and who asked. Its own file, so that the store's parts
// (follow-up-store.ts) and the Store contract (store.ts) both use it without importing each other.
/** Where a repeat's results go, and who asked. */
export interface RepeatRecord {
  id: number;
  userId: string;
  channel: string;
  /** the thread parent; every batch reply and the summary go under it */
  threadTs: string;
  /** CustomerRef.display, parsed again when resumed */
  customer: string;
  recipeId: number;
  createdAt: number;
  finishedAt: number | null;
}
