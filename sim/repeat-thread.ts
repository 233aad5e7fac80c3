// For end-to-end tests of one typed repeat: start it as a person does, read its thread, wait for its summary, and
// the repeat requests Workato received.
import { ALICE, CHANNEL, CUSTOMER, type Harness, RECIPE } from "./app-harness.js";
import type { FakeMessage, FakeSlack } from "./fake-slack/index.js";
import { repeatByCommand } from "./repeat-command.js";
import { isRepeatSummary } from "./repeat-summary.js";
import type { SlackRequester } from "./slack-requests.js";

export const repeatPosts = (harness: Harness) =>
  harness.sim.requests.filter((request) => request.endpoint === "repeat");

export const threadText = (thread: readonly FakeMessage[]) =>
  thread.map((message) => `${message.text}\n${JSON.stringify(message.blocks)}`).join("\n");

/** `repeat CUSTOMER RECIPE <ids>`, confirmed; returns its parent message and a reader of its thread. */
export async function typedRepeat(
  world: { send: SlackRequester; slack: FakeSlack },
  jobIds: readonly string[],
) {
  const { slack } = world;
  await repeatByCommand(world, {
    text: `repeat ${CUSTOMER} ${RECIPE} ${jobIds.join(" ")}`,
    user: ALICE,
    channel: CHANNEL,
  });
  const parent = await slack.waitFor(() => slack.messages(CHANNEL)[0]);
  const thread = () => slack.thread(CHANNEL, parent.ts);
  /** the thread once it holds the summary */
  const finished = () =>
    slack.waitFor(() => (isRepeatSummary(threadText(thread())) ? thread() : undefined), {
      timeoutMs: 30_000,
    });
  return { parent, thread, finished };
}

/** The master job ids each "Request N" reply names with their new jobs, reply by reply. */
export function resultsByReply(thread: readonly FakeMessage[]): string[][] {
  return thread
    .filter((message) => /^Request \d+:/.test(message.text))
    .map((reply) =>
      [...JSON.stringify(reply.blocks).matchAll(/`([^`]+)` → `/g)].flatMap((match) =>
        match[1] ? [match[1]] : [],
      ),
    );
}

export type StatedOutcome = "enqueued" | "refused" | "unknown";

/** Every outcome the thread's result replies state per master job id: one each when nothing is lost or repeated. */
export function outcomesByJob(thread: readonly FakeMessage[]): Map<string, StatedOutcome[]> {
  const stated = new Map<string, StatedOutcome[]>();
  for (const reply of thread.filter((message) =>
    /^(Request \d+|Answered before the restart):/.test(message.text),
  )) {
    for (const match of JSON.stringify(reply.blocks).matchAll(/`([^`]+)` (→|— \*outcome unknown\*|—)/g)) {
      const [, jobId, mark] = match;
      if (!jobId) continue;
      const outcome = mark === "→" ? "enqueued" : mark === "—" ? "refused" : "unknown";
      stated.set(jobId, [...(stated.get(jobId) ?? []), outcome]);
    }
  }
  return stated;
}
