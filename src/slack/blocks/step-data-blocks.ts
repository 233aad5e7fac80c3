// The private answer to "Show step data": one step's input and output, formatted and cut to fit. This is the only
// builder that reads step data; its message goes to the person who asked alone (ephemeral), never to a channel.
import type { JobLine } from "../../workato/schemas.js";
import { type SlackMessage, section } from "./elements.js";
import { codeBlockWithin, escapeTruncated, inlineCode } from "./format.js";
import { SLACK_LIMITS } from "./limits.js";

export function buildStepDataMessage(input: { jobId: string; line: JobLine }): SlackMessage {
  const { line, jobId } = input;
  const what = `*Step ${line.recipe_line_number}* · ${escapeTruncated(line.adapter_name ?? "unknown app", 60)} · ${escapeTruncated(line.adapter_operation ?? "unknown action", 60)} of job ${inlineCode(jobId)}`;
  if (line.mask_data) {
    const text = `${what}\n:lock: This step's data is masked in Workato, so it is not shown here either.`;
    return { text: `Step ${line.recipe_line_number} data is masked`, blocks: [section(text)] };
  }
  return {
    text: `Step ${line.recipe_line_number} data of ${jobId} (only visible to you)`,
    blocks: [
      section(`${what}\n_Only visible to you: step data can hold customer data._`),
      section(dataBlock("Input", line.input)),
      section(dataBlock("Output", line.output)),
    ],
  };
}

function dataBlock(label: string, data: unknown): string {
  if (data === undefined || data === null) return `*${label}*: none`;
  return codeBlockWithin(label, JSON.stringify(data, null, 2) ?? String(data), SLACK_LIMITS.sectionText);
}
