// The one cheap call at start that tells whether this installation can read jobs at all: a token Workato refuses,
// a role without jobs access and an unreachable Workato are each found before anyone types a command, logged with
// the fix and shown in /metrics. The bot starts either way, so Slack still gets answers (and says the same thing).
import type { WorkatoClient } from "./client.js";
import { type CustomerRef, parseCustomerRef } from "./customer-ref.js";
import { ROLE_HINT, WorkatoApiError } from "./errors.js";

export const WORKATO_ACCESS_STATES = [
  "ok",
  "token_refused",
  "no_jobs_role",
  "unreachable",
  "unexpected",
] as const;
export type WorkatoAccessState = (typeof WORKATO_ACCESS_STATES)[number];

export interface WorkatoAccess {
  state: WorkatoAccessState;
  /** for the log: what was found and, when it is wrong, what to change */
  message: string;
}

/** A recipe to list one page of jobs of: a watched one when there is one, else one that exists nowhere. */
export interface AccessProbe {
  customer: CustomerRef;
  recipeId: number;
}

// Workato checks the role before it looks anything up (a missing permission hides even whether the customer exists),
// so listing a recipe that exists nowhere answers 403 without jobs access and 404 with it.
const NOWHERE = parseCustomerRef("1");
export const NOWHERE_PROBE: AccessProbe | null = NOWHERE.ok ? { customer: NOWHERE.ref, recipeId: 1 } : null;

/** Lists one page of the probe's jobs, in the background's turn, and says what the answer means. */
export async function checkWorkatoAccess(
  workato: Pick<WorkatoClient, "listJobs">,
  probe: AccessProbe,
  baseUrl: string,
): Promise<WorkatoAccess> {
  try {
    await workato.listJobs(probe.customer, probe.recipeId, {}, { priority: "background" });
    return { state: "ok", message: `Workato at ${baseUrl} lets WORKATO_API_TOKEN list jobs.` };
  } catch (error) {
    if (!(error instanceof WorkatoApiError)) throw error;
    if (error.code === "not_found")
      return { state: "ok", message: `Workato at ${baseUrl} lets WORKATO_API_TOKEN list jobs.` };
    if (error.status === 401)
      return {
        state: "token_refused",
        message: `Workato at ${baseUrl} refused WORKATO_API_TOKEN (401): put the API client's token there, and check that WORKATO_BASE_URL is the data centre the client belongs to. Every command will say the same until then.`,
      };
    if (error.status === 403)
      return {
        state: "no_jobs_role",
        message: `Workato refused WORKATO_API_TOKEN access to jobs (403). ${ROLE_HINT}`,
      };
    if (error.code === "network" || error.code === "timeout")
      return {
        state: "unreachable",
        message: `Workato at WORKATO_BASE_URL (${baseUrl}) could not be reached (${error.code}): check WORKATO_BASE_URL and that this host can reach it. Commands and watches will fail until it can.`,
      };
    return {
      state: "unexpected",
      message: `Workato's answer to the start-up check was unexpected: ${error.message}`,
    };
  }
}
