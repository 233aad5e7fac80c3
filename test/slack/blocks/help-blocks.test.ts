import { describe, expect, it } from "vitest";
import {
  buildErrorMessage,
  buildHelpMessage,
  buildUsageError,
  USAGE,
} from "../../../src/slack/blocks/help-blocks.js";
import { expectSlackAccepts, messageJson, mrkdwnTexts } from "./slack-checks.js";

describe("help and errors", () => {
  it("lists every command with its placeholders shown, not swallowed as links", () => {
    const message = buildHelpMessage();
    expectSlackAccepts(message);
    const shown = mrkdwnTexts(message).join("\n");
    expect(shown).toContain(
      "`/workato-jobs list &lt;customer&gt; &lt;recipe_id&gt; [failed|succeeded|pending] [reruns]`",
    );
    expect(shown).toContain("`/workato-jobs show &lt;customer&gt; &lt;recipe_id&gt; &lt;job_id&gt;`");
    expect(shown).toContain(
      "`/workato-jobs repeat &lt;customer&gt; &lt;recipe_id&gt; &lt;job_id&gt; [&lt;job_id&gt; …] [again] | failed [since &lt;when&gt;] [again]`",
    );
    expect(shown).toContain("`/workato-jobs help`");
    expect(shown).toContain("ext:&lt;id&gt;");
    expect(shown).not.toMatch(/<customer>|<job_id>/);
  });

  it("tells the user what was wrong with their command and how to write it", () => {
    const message = buildUsageError('"abc" is not a recipe ID <!here>', USAGE.list);
    expectSlackAccepts(message);
    const json = messageJson(message);
    expect(json).toContain(':warning: \\"abc\\" is not a recipe ID &lt;!here&gt;');
    expect(json).toContain("*Usage:* `/workato-jobs list &lt;customer&gt;");
    expect(mrkdwnTexts(message).join("\n")).not.toContain("<!here>");
  });

  it("says what happened and what to do when Workato fails", () => {
    const message = buildErrorMessage("Workato did not answer within 30 s.", "Try again in a minute.");
    expectSlackAccepts(message);
    expect(messageJson(message)).toContain(":x: Workato did not answer within 30 s.");
    expect(messageJson(message)).toContain("Try again in a minute.");
    expectSlackAccepts(buildErrorMessage("x".repeat(10_000)));
  });
});
