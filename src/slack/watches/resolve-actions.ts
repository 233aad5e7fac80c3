// Resolve… on an alert: the click opens the reason dialog (views.open, on the click's trigger_id); the submission is
// checked again (the alert, the person's right to repeat this customer's jobs), resolves the alert by hand, marks its
// jobs handled for Repeat N failed and `repeat … failed since`, and redraws it without its Repeat buttons.
import type { App, ViewSubmitAction } from "@slack/bolt";
import { z } from "zod";
import { threadsOfAlert } from "../../watch/on-call-redraw.js";
import { parseCustomerRef } from "../../workato/customer-ref.js";
import { decodeResolveMetadata, RESOLVE_VIEW_CALLBACK } from "../blocks/action-ids.js";
import { buildResolveModal, RESOLVE_INPUT, RESOLVE_REASON_MAX } from "../blocks/alert-on-call-blocks.js";
import { type OnCallDeps, type OnCallRoute, onCallRoute, redrawClicked } from "./on-call-actions.js";

const stateSchema = z.object({
  [RESOLVE_INPUT.reasonBlock]: z
    .object({
      [RESOLVE_INPUT.reasonAction]: z
        .object({ selected_option: z.object({ value: z.string() }).nullish() })
        .optional(),
    })
    .optional(),
  [RESOLVE_INPUT.otherBlock]: z
    .object({ [RESOLVE_INPUT.otherAction]: z.object({ value: z.string().nullish() }).optional() })
    .optional(),
});

/** The reason as the person gave it: their own words win over a chosen one; null when they gave neither. */
export function reasonOf(values: unknown): string | null {
  const parsed = stateSchema.safeParse(values);
  if (!parsed.success) return null;
  const written = parsed.data[RESOLVE_INPUT.otherBlock]?.[RESOLVE_INPUT.otherAction]?.value?.trim() ?? "";
  const chosen =
    parsed.data[RESOLVE_INPUT.reasonBlock]?.[RESOLVE_INPUT.reasonAction]?.selected_option?.value.trim() ?? "";
  const reason = written !== "" ? written : chosen;
  return reason === "" ? null : reason.slice(0, RESOLVE_REASON_MAX);
}

const openResolveDialog = onCallRoute("resolve alert", "repeat", async (deps, click) => {
  const { key } = click.alert;
  const state = await deps.store.alertState(key.channel, key.ts);
  // Resolved meanwhile: the redraw shows by whom, and offers Reopen.
  if (state?.resolvedBy) return "redraw";
  const opened = await deps.poster.openModal(
    click.body.trigger_id,
    buildResolveModal({ w: key.watchId, c: key.channel, m: key.ts }),
  );
  if (!opened.ok) click.log.warn({ slackError: opened.error }, "resolve dialog not opened");
  return "leave";
});

/** The Resolve… button and its dialog's submission. */
export const onResolveAlert: OnCallRoute = (app: App, deps: OnCallDeps, pattern: RegExp) => {
  openResolveDialog(app, deps, pattern);
  app.view<ViewSubmitAction>(RESOLVE_VIEW_CALLBACK, async ({ ack, body, view }) => {
    const log = deps.logger.child({ action: "resolve alert", user: body.user.id });
    const reason = reasonOf(view.state.values);
    if (reason === null) {
      await ack({
        response_action: "errors",
        errors: { [RESOLVE_INPUT.reasonBlock]: "Choose a reason, or write one below." },
      });
      return;
    }
    // Checked again at submission: the dialog may have stayed open while the watch or the policy changed.
    const alert = decodeResolveMetadata(view.private_metadata);
    const watch = alert ? await deps.store.watch(alert.w) : undefined;
    const customer = watch ? parseCustomerRef(watch.customer) : undefined;
    if (!alert || !watch || watch.channel !== alert.c || !customer?.ok) {
      log.warn({ metadata: view.private_metadata.slice(0, 200) }, "resolve dialog refused: no such alert");
      await ack({
        response_action: "errors",
        errors: { [RESOLVE_INPUT.reasonBlock]: "This alert's watch is gone: there is nothing to resolve." },
      });
      return;
    }
    const who = { channel: alert.c, userId: body.user.id, userTeamId: body.user.team_id };
    const decision = await deps.access.canRepeat(who, customer.ref);
    if (!decision.ok) {
      await ack({ response_action: "errors", errors: { [RESOLVE_INPUT.reasonBlock]: decision.reason } });
      return;
    }
    await ack();
    deps.background.run("resolve alert", async () => {
      const threads = await threadsOfAlert(deps.store, watch.id, alert.c, alert.m);
      if (threads.length === 0) return;
      const key = { channel: alert.c, ts: alert.m, watchId: watch.id };
      const masterJobIds = [
        ...new Set(threads.flatMap((thread) => thread.jobs.map((job) => job.masterJobId))),
      ];
      const resolved = await deps.store.resolveAlert(
        key,
        { userId: body.user.id, reason, at: deps.clock.now() },
        { customer: watch.customer, recipeId: watch.recipeId, masterJobIds },
      );
      log.info({ ts: alert.m, resolved, jobs: masterJobIds.length }, "alert resolved by hand");
      await redrawClicked(deps, { watch, customer: customer.ref, key, threads }, log);
    });
  });
};
