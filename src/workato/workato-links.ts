// Links from Slack into Workato's web app. Workato documents no page address for a job in a customer workspace, so
// the page a job opens comes from WORKATO_JOB_URL_TEMPLATE; without it, from the data centre of WORKATO_BASE_URL,
// whose documented recipe page (`<host>/recipes/<recipe id>`) is the one address known to exist. A link is built
// from ids only: it never carries a token.
import type { CustomerRef } from "./customer-ref.js";

/** Workato's data centres and the host of each one's app (the same host serves its API under /api). */
export const WORKATO_DATA_CENTRES = [
  { code: "US", origin: "https://www.workato.com", hosts: ["www.workato.com", "app.workato.com"] },
  { code: "EU", origin: "https://app.eu.workato.com", hosts: ["app.eu.workato.com"] },
  { code: "JP", origin: "https://app.jp.workato.com", hosts: ["app.jp.workato.com"] },
  { code: "SG", origin: "https://app.sg.workato.com", hosts: ["app.sg.workato.com"] },
  { code: "AU", origin: "https://app.au.workato.com", hosts: ["app.au.workato.com"] },
  { code: "IL", origin: "https://app.il.workato.com", hosts: ["app.il.workato.com"] },
  { code: "KR", origin: "https://app.kr.workato.com", hosts: ["app.kr.workato.com"] },
  { code: "UK", origin: "https://app.uk.workato.com", hosts: ["app.uk.workato.com"] },
  { code: "CN", origin: "https://app.workatoapp.cn", hosts: ["app.workatoapp.cn"] },
  { code: "Developer sandbox", origin: "https://app.trial.workato.com", hosts: ["app.trial.workato.com"] },
] as const;

export type WorkatoDataCentre = (typeof WORKATO_DATA_CENTRES)[number];

/** What a template may hold; each value is URL-encoded where it is put. */
export const LINK_PLACEHOLDERS = ["{recipe_id}", "{job_id}", "{customer_id}"] as const;

/** The default page: the recipe (its Jobs tab lists the job), on the data centre's app. */
const RECIPE_PAGE = "/recipes/{recipe_id}";

export interface WorkatoLinks {
  /** the page "Open in Workato" opens for a job; null when none is known */
  job(customer: CustomerRef, recipeId: number, jobId: string): string | null;
  /** the page for a recipe without a job (a stopped recipe); null when none is known */
  recipe(customer: CustomerRef, recipeId: number): string | null;
}

/** The data centre whose host `baseUrl` names, or null (a private instance, a simulator). */
export function dataCentreOf(baseUrl: string): WorkatoDataCentre | null {
  let host: string;
  try {
    host = new URL(baseUrl).host.toLowerCase();
  } catch {
    return null;
  }
  return WORKATO_DATA_CENTRES.find((centre) => (centre.hosts as readonly string[]).includes(host)) ?? null;
}

/** Why a template cannot be used, or null when it can. Checked at start-up (src/config.ts). */
export function templateProblem(template: string): string | null {
  const unknown = [...template.matchAll(/\{[^}]*\}/g)]
    .map((match) => match[0])
    .filter((placeholder) => !(LINK_PLACEHOLDERS as readonly string[]).includes(placeholder));
  if (unknown.length > 0)
    return `has ${unknown.join(", ")}; the placeholders are ${LINK_PLACEHOLDERS.join(", ")}`;
  if (!template.includes("{recipe_id}") && !template.includes("{job_id}"))
    return "names neither {recipe_id} nor {job_id}, so every link would open the same page";
  let url: URL;
  try {
    url = new URL(fill(template, { recipe_id: "1", job_id: "j-1", customer_id: "1" }));
  } catch {
    return "must be a URL such as https://app.eu.workato.com/recipes/{recipe_id}";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return "must be an https:// URL";
  // A user name or password in a link would be shown to the whole channel.
  if (url.username !== "" || url.password !== "") return "must not carry a user name or password";
  return null;
}

function fill(template: string, values: Record<"recipe_id" | "job_id" | "customer_id", string>): string {
  return template
    .replaceAll("{recipe_id}", encodeURIComponent(values.recipe_id))
    .replaceAll("{job_id}", encodeURIComponent(values.job_id))
    .replaceAll("{customer_id}", encodeURIComponent(values.customer_id));
}

/**
 * The links of one installation. `template` (WORKATO_JOB_URL_TEMPLATE) wins; without it, a known data centre's
 * recipe page; on any other host (a private instance), no link at all rather than a guess.
 */
export function createWorkatoLinks(options: {
  baseUrl: string;
  template?: string | undefined;
}): WorkatoLinks {
  const centre = dataCentreOf(options.baseUrl);
  const recipePage = centre ? `${centre.origin}${RECIPE_PAGE}` : null;
  const jobTemplate = options.template ?? recipePage;
  // A stopped recipe has no job: the template serves when it needs none, else the data centre's recipe page.
  const recipeTemplate =
    options.template !== undefined && !options.template.includes("{job_id}") ? options.template : recipePage;
  const values = (customer: CustomerRef, recipeId: number, jobId: string) => ({
    recipe_id: String(recipeId),
    job_id: jobId,
    customer_id: customer.id,
  });
  return {
    job: (customer, recipeId, jobId) =>
      jobTemplate === null ? null : fill(jobTemplate, values(customer, recipeId, jobId)),
    recipe: (customer, recipeId) =>
      recipeTemplate === null ? null : fill(recipeTemplate, values(customer, recipeId, "")),
  };
}
