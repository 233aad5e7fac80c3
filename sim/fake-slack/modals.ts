// The modals the app opened through views.open, each on a trigger_id used once, as Slack allows.
import { randomBytes } from "node:crypto";

export interface OpenedModal {
  /** Slack's view id (V…) */
  id: string;
  triggerId: string;
  /** the view as sent (type "modal", callback_id, private_metadata, blocks, …) */
  view: Record<string, unknown>;
  openedAt: number;
}

export interface Modals {
  /** null when the trigger_id was used already */
  open(triggerId: string, view: Record<string, unknown>): OpenedModal | null;
  all(): OpenedModal[];
}

export function createModals(now: () => number = Date.now): Modals {
  const opened: OpenedModal[] = [];
  const used = new Set<string>();
  return {
    open(triggerId, view) {
      if (used.has(triggerId)) return null;
      used.add(triggerId);
      const modal = {
        id: `V${randomBytes(5).toString("hex").toUpperCase()}`,
        triggerId,
        view: structuredClone(view),
        openedAt: now(),
      };
      opened.push(modal);
      return structuredClone(modal);
    },
    all() {
      return structuredClone(opened);
    },
  };
}
