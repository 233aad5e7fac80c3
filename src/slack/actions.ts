// Button clicks and menu choices: acknowledge at once, check the value and the person's access again, then page,
// show details or repeat. A value echoed back by Slack is only a hint: nothing in it is trusted unchecked.
import { createHash } from "node:crypto";
import type { App, BlockAction, ButtonAction, StaticSelectAction } from "@slack/bolt";
import type { KnownBlock } from "@slack/types";
import type { Logger } from "pino";
import type { Requester } from "../access/access-check.js";
import { type CustomerRef, parseCustomerRef } from "../workato/customer-ref.js";
import { allowed, type Need } from "./access-gate.js";
import {
  ACTION_PATTERNS,
  actionNameOf,
  type ButtonValue,
  decodeButtonValue,
  decodeConfirmValue,
  decodeJobContext,
  decodeListContext,
} from "./blocks/action-ids.js";
import { section } from "./blocks/elements.js";
import { mentionUser } from "./blocks/format.js";
import { buildErrorMessage } from "./blocks/help-blocks.js";
import { buildStepDataMessage } from "./blocks/step-data-blocks.js";
import { isJobId } from "./command-parser.js";
import type { HandlerDeps } from "./handler-deps.js";
import { answerWithJobDetails, answerWithJobList } from "./job-views.js";
import { runRepeat } from "./repeat-flow.js";

const buttonValue = (action: ButtonAction) => decodeButtonValue(action.value);

/** The parts of any block action payload that say who acted where. */
type Interaction = Pick<BlockAction, "channel" | "container" | "user">;

interface Target {
  customer: CustomerRef;
  recipeId: number;
  value: ButtonValue;
}

const STALE_BUTTON = buildErrorMessage(
  "That button is not one I can act on (it may come from an older version of this app).",
  "Run the command again to get fresh buttons.",
);

export function registerActions(app: App, deps: HandlerDeps): void {
  /** Acks, reads the target, and runs `handle` in the background once the person passed the access check. */
  function on<A extends ButtonAction | StaticSelectAction>(
    pattern: RegExp,
    name: string,
    need: Need,
    readValue: (action: A) => ButtonValue | null,
    handle: (body: BlockAction<A>, action: A, target: Target, log: Logger) => Promise<void>,
  ): void {
    app.action<BlockAction<A>>(pattern, async ({ body, action, ack }) => {
      await ack();
      const log = deps.logger.child({
        action: name,
        user: body.user.id,
        channel: channelOf(body),
        team: body.user.team_id,
      });
      const target = readTarget(readValue(action));
      if (!target) {
        log.warn("action value rejected");
        deps.background.run("stale action", () =>
          deps.poster.respond(body.response_url, STALE_BUTTON).then(() => {}),
        );
        return;
      }
      log.info({ recipeId: target.recipeId }, "action");
      deps.background.run(name, async () => {
        if (!(await allowed(deps, requesterOf(body), need, target.customer, body.response_url))) return;
        await handle(body, action, target, log);
      });
    });
  }

  // A job's details answer the person who asked, privately; the list they came from stays as it is.
  const showDetailsPrivately = async (
    body: Pick<BlockAction, "response_url">,
    _action: unknown,
    target: Target,
    log: Logger,
  ) => {
    const jobId = target.value.j?.[0];
    if (jobId === undefined) return;
    await answerWithJobDetails(
      deps,
      { ...target, jobId },
      body.response_url,
      { visibility: "ephemeral" },
      log,
    );
  };

  on<ButtonAction>(ACTION_PATTERNS.details, "details", "view", buttonValue, showDetailsPrivately);

  // Big pages offer one "Details of a job…" menu: the option is the job id, the block carries customer and recipe.
  on<StaticSelectAction>(
    ACTION_PATTERNS.detailsSelect,
    "details menu",
    "view",
    (action) => {
      const context = decodeListContext(action.block_id);
      const jobId = action.selected_option?.value;
      return context && jobId ? { c: context.c, r: context.r, j: [jobId] } : null;
    },
    showDetailsPrivately,
  );

  // "Show step data": the step's input/output goes to the person who asked, privately; masked steps say so.
  on<StaticSelectAction>(
    ACTION_PATTERNS.stepData,
    "step data",
    "view",
    (action) => {
      const context = decodeJobContext(action.block_id);
      return context && isJobId(context.j) ? { c: context.c, r: context.r, j: [context.j] } : null;
    },
    async (body, action, target, log) => {
      const jobId = target.value.j?.[0];
      // Options carry the step's position in the job's lines: a loop repeats a recipe line number.
      const position = Number(action.selected_option?.value);
      if (jobId === undefined || !Number.isInteger(position) || position < 0) return;
      const job = await deps.workato
        .getJob(target.customer, target.recipeId, jobId)
        .catch((error: unknown) => {
          log.warn({ err: error }, "reading a job for its step data failed");
          return null;
        });
      const line = job?.lines[position];
      const message = line
        ? buildStepDataMessage({ jobId, line })
        : buildErrorMessage(
            `Could not read that step of job ${jobId} from Workato.`,
            "Try again in a moment.",
          );
      await deps.poster.respond(body.response_url, message, { visibility: "ephemeral" });
    },
  );

  // The confirmation of a typed repeat: the token names a repeat the same person asked for in this channel.
  app.action<BlockAction<ButtonAction>>(ACTION_PATTERNS.confirmRepeat, async ({ body, action, ack }) => {
    await ack();
    const log = deps.logger.child({ action: "confirm repeat", user: body.user.id, channel: channelOf(body) });
    const token = decodeConfirmValue(action.value);
    const pending = token ? deps.pendingRepeats.get(token) : undefined;
    deps.background.run("confirm repeat", async () => {
      if (!token || !pending || pending.userId !== body.user.id || pending.channel !== channelOf(body)) {
        log.warn("repeat confirmation refused: unknown, expired or someone else's");
        await deps.poster.respond(
          body.response_url,
          buildErrorMessage(
            "That confirmation has expired or is not yours.",
            "Run the repeat command again.",
          ),
        );
        return;
      }
      if (!(await allowed(deps, requesterOf(body), "repeat", pending.customer, body.response_url))) return;
      // Confirming twice (or a redelivered click) starts one repeat.
      const claimKey = `confirm:${token}`;
      const claim = deps.claims.claim(claimKey, body.user.id);
      if (!claim.ok) {
        log.info("repeat already confirmed");
        return;
      }
      await deps.poster.respond(
        body.response_url,
        {
          text: "Repeat confirmed.",
          blocks: [section(":repeat: Repeat confirmed: the results follow in a thread in this channel.")],
        },
        { replaceOriginal: true },
      );
      await runRepeat(deps, { ...pending, responseUrl: body.response_url, claimKey }, log);
    });
  });

  // Anything else clicked (an old message's button, a tampered action id) is still acknowledged, then refused.
  app.action<BlockAction>({ type: "block_actions" }, async ({ body, action, ack }) => {
    const actionId = "action_id" in action ? action.action_id : "";
    if (actionNameOf(actionId) !== null) return;
    await ack();
    deps.logger.warn({ actionId: actionId.slice(0, 100), user: body.user.id }, "unknown action");
    deps.background.run("unknown action", () =>
      deps.poster.respond(body.response_url, STALE_BUTTON).then(() => {}),
    );
  });

  const page =
    (newer: boolean) =>
    async (body: BlockAction<ButtonAction>, _action: ButtonAction, target: Target, log: Logger) => {
      const { value } = target;
      await answerWithJobList(
        deps,
        {
          customer: target.customer,
          recipeId: target.recipeId,
          filter: { ...(value.s ? { status: value.s } : {}), rerunOnly: value.rr ?? false },
          // Without an offset there is nothing to be newer than: that is the latest page ("Latest jobs").
          paging: value.o !== undefined ? { offsetJobId: value.o, newer } : {},
        },
        body.response_url,
        { visibility: "in_channel", replaceOriginal: true },
        log,
      );
    };
  on<ButtonAction>(ACTION_PATTERNS.older, "older", "view", buttonValue, page(false));
  on<ButtonAction>(ACTION_PATTERNS.newer, "newer", "view", buttonValue, page(true));

  const repeat = async (
    body: BlockAction<ButtonAction>,
    action: ButtonAction,
    target: Target,
    log: Logger,
  ) => {
    const jobIds = [...new Set(target.value.j ?? [])];
    const channel = channelOf(body);
    if (jobIds.length === 0 || channel === undefined) return;
    // One repeat per button: a double click or a redelivered click finds the claim taken.
    const messageTs = body.container.message_ts ?? body.message?.ts ?? "";
    // The same message is redrawn when paging, reusing action ids for other jobs: the jobs belong in the key.
    const jobsKey = createHash("sha256")
      .update([...jobIds].sort().join(","))
      .digest("hex")
      .slice(0, 16);
    const claimKey = `click:${channel}:${messageTs}:${action.action_id}:${jobsKey}`;
    const claim = deps.claims.claim(claimKey, body.user.id);
    if (!claim.ok) {
      log.info({ claimedBy: claim.claimedBy }, "repeat already requested from this button");
      // The holder's id comes from our own store (a signed payload's user id), so the mention needs no escaping.
      const text = `${mentionUser(claim.claimedBy)} already asked to repeat these jobs from this message; they are not repeated again. The results are in the message's thread.`;
      await deps.poster.respond(body.response_url, {
        text,
        blocks: [section(`:information_source: ${text}`)],
      });
      return;
    }
    const isChannelMessage = body.message !== undefined && body.container.is_ephemeral !== true;
    await runRepeat(
      deps,
      {
        userId: body.user.id,
        channel,
        customer: target.customer,
        recipeId: target.recipeId,
        jobIds,
        responseUrl: body.response_url,
        claimKey,
        ...(isChannelMessage && body.message
          ? {
              clicked: {
                ts: body.message.ts,
                text: typeof body.message.text === "string" ? body.message.text : "",
                blocks: (body.message.blocks ?? []) as KnownBlock[],
                actionId: action.action_id,
              },
            }
          : {}),
      },
      log,
    );
  };
  on<ButtonAction>(ACTION_PATTERNS.repeatOne, "repeat one", "repeat", buttonValue, repeat);
  on<ButtonAction>(ACTION_PATTERNS.repeatFailed, "repeat failed", "repeat", buttonValue, repeat);
}

function channelOf(body: Interaction): string | undefined {
  const channel = body.channel?.id ?? body.container.channel_id;
  return typeof channel === "string" ? channel : undefined;
}

/** The person as the signed payload names them: their own team comes with block actions. */
function requesterOf(body: Interaction): Requester {
  return { channel: channelOf(body) ?? "", userId: body.user.id, userTeamId: body.user.team_id };
}

/** A value is checked again like typed input: customer parsed, job ids well-formed. */
function readTarget(value: ButtonValue | null): Target | null {
  if (!value) return null;
  if (value.j?.some((jobId) => !isJobId(jobId)) || (value.o !== undefined && !isJobId(value.o))) return null;
  const customer = parseCustomerRef(value.c);
  if (!customer.ok) return null;
  return { customer: customer.ref, recipeId: value.r, value };
}
