// Button clicks: acknowledge at once, check the button's value again, then page, show details or repeat.
import type { App, BlockAction, ButtonAction, StaticSelectAction } from "@slack/bolt";
import type { KnownBlock } from "@slack/types";
import type { Logger } from "pino";
import { type CustomerRef, parseCustomerRef } from "../workato/customer-ref.js";
import {
  ACTION_PATTERNS,
  type ButtonValue,
  decodeButtonValue,
  decodeListContext,
} from "./blocks/action-ids.js";
import { mentionUser } from "./blocks/format.js";
import { buildErrorMessage } from "./blocks/help-blocks.js";
import { isJobId } from "./command-parser.js";
import type { HandlerDeps } from "./handler-deps.js";
import { answerWithJobDetails, answerWithJobList } from "./job-views.js";
import { runRepeat } from "./repeat-flow.js";

type ButtonClick = { body: BlockAction; action: ButtonAction };

const STALE_BUTTON = buildErrorMessage(
  "That button is not one I can act on (it may come from an older version of this app).",
  "Run the command again to get fresh buttons.",
);

export function registerActions(app: App, deps: HandlerDeps): void {
  const onButton = (
    pattern: RegExp,
    name: string,
    handle: (click: ButtonClick, value: Target, log: Logger) => void,
  ) => {
    app.action<BlockAction<ButtonAction>>(pattern, async ({ body, action, ack }) => {
      await ack();
      const log = deps.logger.child({
        action: name,
        user: body.user.id,
        channel: body.channel?.id ?? body.container.channel_id,
        team: body.user.team_id,
      });
      const target = readTarget(decodeButtonValue(action.value));
      if (!target) {
        log.warn({ value: action.value?.slice(0, 200) }, "button value rejected");
        deps.background.run("stale button", () =>
          deps.poster.respond(body.response_url, STALE_BUTTON).then(() => {}),
        );
        return;
      }
      log.info({ recipeId: target.recipeId }, "button");
      handle({ body, action }, target, log);
    });
  };

  onButton(ACTION_PATTERNS.details, "details", ({ body }, target, log) => {
    const jobId = target.value.j?.[0];
    if (jobId === undefined) return;
    deps.background.run("details", () =>
      answerWithJobDetails(deps, { ...target, jobId }, body.response_url, { visibility: "ephemeral" }, log),
    );
  });

  // Big pages offer one "Details of a job…" menu: the option is the job id, the block carries customer and recipe.
  app.action<BlockAction<StaticSelectAction>>(
    ACTION_PATTERNS.detailsSelect,
    async ({ body, action, ack }) => {
      await ack();
      const log = deps.logger.child({
        action: "details select",
        user: body.user.id,
        channel: body.channel?.id,
      });
      const context = decodeListContext(action.block_id);
      const jobId = action.selected_option?.value;
      const target = context && jobId ? readTarget({ c: context.c, r: context.r, j: [jobId] }) : null;
      if (!target || jobId === undefined) {
        log.warn({ blockId: action.block_id?.slice(0, 200) }, "details selection rejected");
        deps.background.run("stale select", () =>
          deps.poster.respond(body.response_url, STALE_BUTTON).then(() => {}),
        );
        return;
      }
      deps.background.run("details", () =>
        answerWithJobDetails(deps, { ...target, jobId }, body.response_url, { visibility: "ephemeral" }, log),
      );
    },
  );

  const page = (newer: boolean) => (click: ButtonClick, target: Target, log: Logger) => {
    const { value } = target;
    deps.background.run("page", () =>
      answerWithJobList(
        deps,
        {
          customer: target.customer,
          recipeId: target.recipeId,
          filter: { ...(value.s ? { status: value.s } : {}), rerunOnly: value.rr ?? false },
          paging: { ...(value.o !== undefined ? { offsetJobId: value.o } : {}), newer },
        },
        click.body.response_url,
        { visibility: "in_channel", replaceOriginal: true },
        log,
      ),
    );
  };
  onButton(ACTION_PATTERNS.older, "older", page(false));
  onButton(ACTION_PATTERNS.newer, "newer", page(true));

  const repeat = ({ body, action }: ButtonClick, target: Target, log: Logger) => {
    const jobIds = [...new Set(target.value.j ?? [])];
    const channel = body.channel?.id ?? body.container.channel_id;
    if (jobIds.length === 0 || typeof channel !== "string") return;
    // One repeat per button: a double click or a redelivered click finds the claim taken.
    const messageTs: string = body.container.message_ts ?? body.message?.ts ?? "";
    const claimKey = `click:${channel}:${messageTs}:${action.action_id}`;
    const claim = deps.claims.claim(claimKey, body.user.id);
    if (!claim.ok) {
      log.info({ claimedBy: claim.claimedBy }, "repeat already requested from this button");
      deps.background.run("already repeated", async () => {
        await deps.poster.respond(
          body.response_url,
          buildErrorMessage(
            `${mentionUser(claim.claimedBy)} already asked to repeat these jobs from this message; they are not repeated again.`,
            "The results are posted in the message's thread.",
          ),
        );
      });
      return;
    }
    const isChannelMessage = body.message !== undefined && body.container.is_ephemeral !== true;
    deps.background.run("repeat", () =>
      runRepeat(
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
      ),
    );
  };
  onButton(ACTION_PATTERNS.repeatOne, "repeat one", repeat);
  onButton(ACTION_PATTERNS.repeatFailed, "repeat failed", repeat);
}

interface Target {
  customer: CustomerRef;
  recipeId: number;
  value: ButtonValue;
}

/** A button's value is only a hint from the client: it is checked again like typed input. */
function readTarget(value: ButtonValue | null): Target | null {
  if (!value) return null;
  if (value.j?.some((jobId) => !isJobId(jobId)) || (value.o !== undefined && !isJobId(value.o))) return null;
  const customer = parseCustomerRef(value.c);
  if (!customer.ok) return null;
  return { customer: customer.ref, recipeId: value.r, value };
}
