// A list of job ids shortened to fit: as many as the room allows, then "… and N more".
import { inlineCode } from "./format.js";

/** `a`, `b`, `c` … and N more — as many ids as fit in `maxLength`. */
export function jobIdList(jobIds: readonly string[], maxLength: number): string {
  const shown: string[] = [];
  let length = 0;
  for (const [index, jobId] of jobIds.entries()) {
    const item = inlineCode(jobId);
    const remaining = jobIds.length - index - 1;
    const tail = remaining > 0 ? ` … and ${remaining.toLocaleString("en-US")} more`.length : 0;
    if (length + item.length + 2 + tail > maxLength) break;
    shown.push(item);
    length += item.length + 2;
  }
  const hidden = jobIds.length - shown.length;
  const list = shown.join(", ");
  if (hidden === 0) return list;
  return `${list}${shown.length > 0 ? " " : ""}… and ${hidden.toLocaleString("en-US")} more`;
}
