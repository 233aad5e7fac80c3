// What an Unmute click leaves on an alert already posted: its Unmute swapped for the Mute buttons and a note on its
// count line saying who did it, without redrawing the rest of the message; and the note a Mute click answers with
// where there is no alert to redraw (a mute is drawn from the store: alert-blocks.ts).
import type { KnownBlock } from "@slack/types";
import { isSlackUserId } from "../../slack-ids.js";
import { createActionIds, decodeUnmuteValue } from "./action-ids.js";
import { COUNT_BLOCK_PREFIX, muteButtons } from "./alert-blocks.js";
import { context } from "./elements.js";
import { slackDateOfMs } from "./format.js";
import { SLACK_LIMITS } from "./limits.js";

/** The note a Mute click leaves on the alert. */
export function muteNote(input: { userId: string; hours: number; until: number }): string {
  const who = isSlackUserId(input.userId) ? `<@${input.userId}>` : "someone";
  return `:no_bell: Muted for ${input.hours}h by ${who} (until ${slackDateOfMs(input.until)})`;
}

interface ElementLike {
  type: string;
  action_id?: string;
  value?: string;
}

/** The alert's blocks once `signature` was unmuted: its Unmute gives way to the Mute buttons, and `note` is added. */
export function markUnmuted(blocks: readonly KnownBlock[], signature: string, note: string): KnownBlock[] {
  const ids = createActionIds();
  return rewriteAlert(blocks, signature, note, (elements) =>
    elements.flatMap((element) => {
      const value = decodeUnmuteValue(element.value);
      if (value === null || (signature !== "*" && value.s !== signature)) return [element];
      return muteButtons(ids, value.w, value.s);
    }),
  );
}

/** The count lines of `signature` ("*": all) get `note`; its actions rows are rewritten by `rewrite`. */
function rewriteAlert(
  blocks: readonly KnownBlock[],
  signature: string,
  note: string,
  rewrite: (elements: ElementLike[]) => ElementLike[],
): KnownBlock[] {
  const isOurs = (blockId: string | undefined, prefix: string) =>
    blockId === `${prefix}${signature}` || (signature === "*" && blockId?.startsWith(prefix) === true);
  let noted = false;
  const kept: KnownBlock[] = [];
  for (const block of blocks) {
    if (block.type === "actions") {
      const elements = rewrite(block.elements as ElementLike[]) as typeof block.elements;
      if (elements.length > 0)
        kept.push({ ...block, elements: elements.slice(0, SLACK_LIMITS.actionsElements) });
    } else if (block.type === "context" && isOurs(block.block_id, COUNT_BLOCK_PREFIX)) {
      // A note replaces the earlier mute or unmute note rather than piling up.
      const texts = block.elements
        .map((element) => ("text" in element ? element.text : ""))
        .filter(Boolean)
        .flatMap((text) => text.split(" · "))
        .filter((part) => !/^:(no_bell|bell): (Muted|Unmuted)/.test(part));
      kept.push({ ...context([...texts, note].join(" · ")), block_id: block.block_id });
      noted = true;
    } else {
      kept.push(block);
    }
  }
  if (!noted) kept.push(context(note));
  return kept.slice(0, SLACK_LIMITS.blocksPerMessage);
}

/** The note an Unmute click leaves on the alert. */
export function unmuteNote(userId: string): string {
  const who = isSlackUserId(userId) ? `<@${userId}>` : "someone";
  return `:bell: Unmuted by ${who}`;
}
