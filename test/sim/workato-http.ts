// Test-side helpers for the Workato simulator's own tests: start one per test, call it over HTTP, read list pages.
import { afterEach, expect } from "vitest";
import {
  type SimulatorOptions,
  startWorkatoSimulator,
  type WorkatoSimulator,
} from "../../sim/workato-simulator/index.js";

export const CUSTOMER = 23456;
export const RECIPE = 28904;
export const BASE = `/api/managed_users/${CUSTOMER}/recipes/${RECIPE}`;

const running: WorkatoSimulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((sim) => sim.close()));
});

/** A simulator with one customer (Acme, external id acme/eu-1) and one recipe, closed after the test. */
export async function startSim(options: SimulatorOptions = {}): Promise<WorkatoSimulator> {
  const sim = await startWorkatoSimulator(options);
  running.push(sim);
  sim.addCustomer({ id: CUSTOMER, externalId: "acme/eu-1", name: "Acme Corp" });
  sim.addRecipe(CUSTOMER, { id: RECIPE, name: "Salesforce accounts to NetSuite" });
  return sim;
}

export interface Reply {
  status: number;
  headers: Headers;
  body: unknown;
}

export async function call(sim: WorkatoSimulator, path: string, init: RequestInit = {}): Promise<Reply> {
  const response = await fetch(`${sim.url}${path}`, {
    ...init,
    headers: { authorization: `Bearer ${sim.token}`, "content-type": "application/json", ...init.headers },
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // keep the raw text
  }
  return { status: response.status, headers: response.headers, body };
}

export function repeat(sim: WorkatoSimulator, jobIds: unknown, path = `${BASE}/repeat_jobs`): Promise<Reply> {
  return call(sim, path, { method: "POST", body: JSON.stringify({ job_ids: jobIds }) });
}

export interface ListBody {
  job_succeeded_count: number;
  job_failed_count: number;
  job_count: number;
  job_scope_count: number;
  items: (Record<string, unknown> & {
    id: string;
    status: string;
    master_job_id: string;
    started_at: string;
  })[];
}

export async function list(sim: WorkatoSimulator, query = "", base = BASE): Promise<ListBody> {
  const reply = await call(sim, `${base}/jobs${query}`);
  expect(reply.status).toBe(200);
  return reply.body as ListBody;
}

/** Every page of a listing, following offset_job_id to the end. */
export async function listAll(
  sim: WorkatoSimulator,
  query = "",
): Promise<{ pages: number; items: ListBody["items"] }> {
  const items: ListBody["items"] = [];
  let pages = 0;
  let offset: string | undefined;
  for (;;) {
    const separator = query === "" ? "?" : "&";
    const page = await list(
      sim,
      offset === undefined ? query : `${query}${separator}offset_job_id=${offset}`,
    );
    if (page.items.length === 0) break;
    pages++;
    items.push(...page.items);
    offset = page.items.at(-1)?.id;
  }
  return { pages, items };
}

export const ids = (jobs: readonly { id: unknown }[]) => jobs.map((job) => job.id);
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
