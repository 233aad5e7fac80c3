// `/workato-jobs recipes <customer> [failing|stopped]` and its Newer/Older recipes buttons: one page of the
// customer's recipes from Workato, after the access check.
import type { App, BlockAction, ButtonAction } from "@slack/bolt";
import type { Logger } from "pino";
import { type CustomerRef, parseCustomerRef } from "../../workato/customer-ref.js";
import type { RecipeSummary } from "../../workato/schemas.js";
import { allowed } from "../access-gate.js";
import { requesterOf, STALE_BUTTON } from "../action-target.js";
import { decodeRecipesPageValue } from "../blocks/action-ids.js";
import { buildRecipeListMessage } from "../blocks/recipe-list-blocks.js";
import type { RecipeFilter, RecipesCommand } from "../commands/grammar.js";
import type { CommandContext } from "../commands/slash-command.js";
import type { HandlerDeps } from "../handler-deps.js";
import type { ResponseOptions } from "../io/poster.js";
import { answerWithExplainedFailure } from "../jobs/explained-failure.js";

/** Recipes shown in one message: two blocks each keeps a page well inside Slack's 50 blocks. */
export const RECIPES_PER_MESSAGE = 20;
/**
 * Workato cannot filter by failures, so the failing view reads full pages of 100 and keeps those with failed jobs:
 * one request of a 2,000-a-minute family covers a hundred recipes.
 */
const FAILING_SCAN_PAGE = 100;

export interface RecipePageRequest {
  customer: CustomerRef;
  page: number;
  filter?: RecipeFilter;
}

export async function listRecipes(
  deps: HandlerDeps,
  command: RecipesCommand,
  ctx: CommandContext,
): Promise<void> {
  if (!(await allowed(deps, ctx.who, "view", command.customer, ctx.responseUrl))) return;
  await answerWithRecipeList(
    deps,
    { customer: command.customer, page: 1, ...(command.filter ? { filter: command.filter } : {}) },
    ctx.responseUrl,
    { visibility: "in_channel" },
    ctx.log,
  );
}

export async function answerWithRecipeList(
  deps: Pick<HandlerDeps, "workato" | "customers" | "names" | "poster">,
  request: RecipePageRequest,
  responseUrl: string,
  options: ResponseOptions,
  log: Logger,
): Promise<void> {
  const { customer, page, filter } = request;
  const perPage = filter === "failing" ? FAILING_SCAN_PAGE : RECIPES_PER_MESSAGE;
  let listed: RecipeSummary[];
  try {
    listed = await deps.workato.listRecipes(customer, {
      page,
      perPage,
      ...(filter === "stopped" ? { running: false } : {}),
    });
  } catch (error) {
    log.warn({ err: error }, "listing recipes failed");
    await answerWithExplainedFailure(deps, responseUrl, error, `listing the recipes of ${customer.display}`, {
      customer,
    });
    return;
  }
  const passing =
    filter === "failing"
      ? listed
          .filter((recipe) => recipe.jobFailedCount > 0)
          .sort((a, b) => b.jobFailedCount - a.jobFailedCount)
      : listed;
  const shown = passing.slice(0, RECIPES_PER_MESSAGE);
  const message = buildRecipeListMessage({
    customer,
    customerName: deps.names.customer(customer),
    recipes: shown,
    ...(filter ? { filter } : {}),
    page,
    listed: listed.length,
    hasOlder: listed.length === perPage,
    notShown: passing.length - shown.length,
  });
  await deps.poster.respond(responseUrl, message, options);
}

/** Newer / Older recipes: the value is the next page; the list is redrawn in place, after the access check. */
export function onRecipesPage(app: App, deps: HandlerDeps, pattern: RegExp): void {
  app.action<BlockAction<ButtonAction>>(pattern, async ({ body, action, ack }) => {
    await ack();
    const log = deps.logger.child({ action: "recipes page", user: body.user.id });
    const value = decodeRecipesPageValue(action.value);
    const customer = value ? parseCustomerRef(value.c) : null;
    if (!value || !customer?.ok) {
      log.warn("action value rejected");
      deps.background.run("stale action", () =>
        deps.poster.respond(body.response_url, STALE_BUTTON).then(() => {}),
      );
      return;
    }
    deps.background.run("recipes page", async () => {
      if (!(await allowed(deps, requesterOf(body), "view", customer.ref, body.response_url))) return;
      await answerWithRecipeList(
        deps,
        { customer: customer.ref, page: value.p, ...(value.f ? { filter: value.f } : {}) },
        body.response_url,
        { visibility: "in_channel", replaceOriginal: true },
        log,
      );
    });
  });
}
