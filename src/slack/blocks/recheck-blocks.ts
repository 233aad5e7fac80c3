// The private answer when a repeat button's jobs were checked again at the click and some (or all) were left out:
// the dialog's count was a promise made when the message was drawn, so the person hears what changed.
import { type LeftOut, leftOutCount, leftOutIds } from "../../lineage/lineage.js";
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
  const ids = jobIdList(leftOutIds(input.leftOut), 1500);
  if (input.sending === 0) {
    const text = `Nothing was repeated: checked again just now, ${input.asked === 1 ? "the job was" : `all ${countOf(input.asked, "job")} were`} left out: ${reasons}.`;
    // Workato refuses the jobs it cannot repeat whatever the command says; `again` helps only with the others.
    const onPurpose =
      input.leftOut.cannotRepeat.length < left
        ? [
            context(
              "To repeat them on purpose, use `/workato-jobs repeat <customer> <recipe_id> <job_id…> again`.",
            ),
          ]
        : [];
    return { text, blocks: [section(`:information_source: ${text}\n${ids}`), ...onPurpose] };
  }
  const text = `Repeating ${countOf(input.sending, "job")}, not ${input.asked}: checked again just now, ${countOf(left, "job")} ${left === 1 ? "was" : "were"} left out: ${reasons}.`;
  return { text, blocks: [section(`:information_source: ${text}\n${ids}`)] };
}
