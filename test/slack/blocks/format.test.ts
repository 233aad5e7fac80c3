import { describe, expect, it } from "vitest";
import {
  escapeMrkdwn,
  escapeWithin,
  firstLine,
  formatDuration,
  formatMilliseconds,
  inlineCode,
  mentionUser,
  slackDate,
  statusEmoji,
  truncate,
} from "../../../src/slack/blocks/format.js";

describe("escapeMrkdwn", () => {
  it("shows <!channel> and links as typed instead of pinging or linking", () => {
    expect(escapeMrkdwn("a & b <!channel> <https://x|y>")).toBe(
      "a &amp; b &lt;!channel&gt; &lt;https://x|y&gt;",
    );
  });
});

describe("truncate", () => {
  it("keeps short text as it is and ends shortened text with an ellipsis within the limit", () => {
    expect(truncate("short", 10)).toBe("short");
    const cut = truncate("a".repeat(50), 10);
    expect(cut).toHaveLength(10);
    expect(cut.endsWith("…")).toBe(true);
  });

  it("never leaves half an emoji or half an escape at the cut", () => {
    expect(truncate("abcd😀efgh", 6)).toBe("abcd…");
    expect(truncate(escapeMrkdwn("abc<def"), 6)).toBe("abc…");
  });
});

describe("escapeWithin", () => {
  it("escapes the longest beginning that fits and counts what was left out", () => {
    expect(escapeWithin("<<<<", 9)).toEqual({ text: "&lt;&lt;", omitted: 2 });
    expect(escapeWithin("fits", 10)).toEqual({ text: "fits", omitted: 0 });
  });
});

describe("slackDate", () => {
  it("shows each reader the time in their own zone, with the UTC time for old clients", () => {
    expect(slackDate("2023-08-31T02:25:11.000-07:00")).toBe(
      "<!date^1693473911^{date_short_pretty} {time_secs}|2023-08-31 09:25 UTC>",
    );
  });

  it("has a shorter numeric form for long lists, keeping the same fallback", () => {
    expect(slackDate("2023-08-31T09:25:11.000Z", "—", "numeric")).toBe(
      "<!date^1693473911^{date_num} {time}|2023-08-31 09:25 UTC>",
    );
  });

  it("shows a dash or the given fallback when there is no time, and odd text as typed", () => {
    expect(slackDate(null)).toBe("—");
    expect(slackDate(undefined, "not yet")).toBe("not yet");
    expect(slackDate("<!here> soon")).toBe("&lt;!here&gt; soon");
  });
});

describe("formatDuration", () => {
  it("writes durations the way people say them", () => {
    const start = "2023-08-31T09:00:00.000Z";
    const endAfter = (ms: number) => new Date(Date.parse(start) + ms).toISOString();
    expect(formatDuration("2023-08-31T02:25:11.519-07:00", "2023-08-31T02:25:11.599-07:00")).toBe("80 ms");
    expect(formatDuration(start, endAfter(12_345))).toBe("12.3 s");
    expect(formatDuration(start, endAfter(245_000))).toBe("4 min 05 s");
    expect(formatDuration(start, endAfter((2 * 60 + 3) * 60_000))).toBe("2 h 03 min");
  });

  it("says a job without a completion time is running", () => {
    expect(formatDuration("2023-08-31T09:00:00.000Z", null)).toBe("running");
    expect(formatDuration(null, null)).toBe("—");
  });

  it("writes step times in milliseconds", () => {
    expect(formatMilliseconds(0.013507305964594707 * 1000)).toBe("13.5 ms");
    expect(formatMilliseconds(0.0006757620139978826 * 1000)).toBe("0.7 ms");
  });
});

describe("statusEmoji", () => {
  it("marks the known statuses with an emoji and shows any other status in words", () => {
    expect(statusEmoji("succeeded")).toBe(":white_check_mark:");
    expect(statusEmoji("failed")).toBe(":x:");
    expect(statusEmoji("pending")).toBe(":hourglass_flowing_sand:");
    expect(statusEmoji("toString")).toBe(":grey_question: toString");
    expect(statusEmoji("<b>odd</b>")).toBe(":grey_question: &lt;b&gt;odd&lt;/b&gt;");
  });
});

describe("small helpers", () => {
  it("takes the first non-blank line of an error", () => {
    expect(firstLine("\n  Timeout talking to Salesforce \nstack trace\n")).toBe(
      "Timeout talking to Salesforce",
    );
  });

  it("keeps a backtick in an id from ending its code span", () => {
    expect(inlineCode("j-a`b")).toBe("`j-aˋb`");
  });

  it("mentions real user ids only", () => {
    expect(mentionUser("U123ABC")).toBe("<@U123ABC>");
    expect(mentionUser("<!channel>")).toBe("&lt;!channel&gt;");
  });
});
