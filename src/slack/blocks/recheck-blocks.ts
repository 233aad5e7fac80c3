// The private answer when a repeat button's jobs were checked again at the click and some (or all) were left out:
// the dialog's count was a promise made when the message was drawn, so the person hears what changed.
import { type LeftOut, leftOutCount } from "../../lineage/lineage.js";
import { context, type SlackMessage, section } from "./elements.js";
import { countOf, escapeMrkdwn } from "./format.js";
import { jobIdList } from "./job-id-list.js";
import { leftOutReasons } from "./lineage-words.js";

export function buildRecheckedMessage(input: {
  /** how many jobs the button carried (what its dialog promised) */
  asked: number;
  sending: number;
  leftOut: LeftOut;
}): SlackMessage {
  const left = leftOutCount(input.leftOut);
  const reasons = escapeMrkdwn(leftOutReasons(input.leftOut));
  const ids = jobIdList(
    [
      ...input.leftOut.succeeded,
      ...input.leftOut.running,
      ...input.leftOut.unknown,
      ...input.leftOut.resolved,
    ],
    1500,
  );
  if (input.sending === 0) {
    const text = `Nothing was repeated: checked again just now, ${input.asked === 1 ? "the job" : `all ${countOf(input.asked, "job")}`} already had ${input.asked === 1 ? "its" : "their"} repeat seen to (${reasons}).`;
    return {
      text,
      blocks: [
        section(`:information_source: ${text}\n${ids}`),
        context(
          "To repeat them on purpose, use `/workato-jobs repeat <customer> <recipe_id> <job_id…> again`.",
        ),
      ],
    };
  }
  const text = `Repeating ${countOf(input.sending, "job")}, not ${input.asked}: checked again just now, ${countOf(left, "job")} ${left === 1 ? "was" : "were"} left out (${reasons}).`;
  return { text, blocks: [section(`:information_source: ${text}\n${ids}`)] };
}
