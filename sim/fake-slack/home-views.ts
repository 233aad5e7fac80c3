// The Home tab each user was last shown through views.publish, with how often it was published.
import { randomBytes } from "node:crypto";

export interface PublishedView {
  userId: string;
  /** Slack's view id (V…), kept across publishes for the same user, as Slack keeps one Home view per user */
  id: string;
  /** the view as sent (type "home", blocks, private_metadata, …) */
  view: Record<string, unknown>;
  blocks: unknown[];
  /** changes on every publish; a publish passing an older hash gets hash_conflict */
  hash: string;
  publishCount: number;
  publishedAt: number;
}

export interface HomeViews {
  get(userId: string): PublishedView | undefined;
  publish(userId: string, view: Record<string, unknown>, blocks: unknown[]): PublishedView;
}

export function createHomeViews(now: () => number = Date.now): HomeViews {
  const views = new Map<string, PublishedView>();
  return {
    get(userId) {
      const view = views.get(userId);
      return view && structuredClone(view);
    },
    publish(userId, view, blocks) {
      const previous = views.get(userId);
      const published: PublishedView = {
        userId,
        id: previous?.id ?? `V${randomBytes(5).toString("hex").toUpperCase()}`,
        view: structuredClone(view),
        blocks: structuredClone(blocks),
        hash: `${now()}.${randomBytes(4).toString("hex")}`,
        publishCount: (previous?.publishCount ?? 0) + 1,
        publishedAt: now(),
      };
      views.set(userId, published);
      return structuredClone(published);
    },
  };
}
