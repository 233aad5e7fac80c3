// Open in Workato: the page each data centre's default opens, a template's placeholders filled and encoded, and
// templates refused at start-up when they could not work or would show a secret.
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config.js";
import {
  createWorkatoLinks,
  dataCentreOf,
  templateProblem,
  WORKATO_DATA_CENTRES,
} from "../../src/workato/workato-links.js";
import { customerRef } from "../support/customer.js";

const CUSTOMER = customerRef("23456");
const JOB = "j-AJMfQh8c-hsCXcs";

describe("the default link, by data centre of WORKATO_BASE_URL", () => {
  it.each([
    ["https://www.workato.com", "US", "https://www.workato.com/recipes/28904"],
    ["https://app.workato.com", "US", "https://www.workato.com/recipes/28904"],
    ["https://app.eu.workato.com", "EU", "https://app.eu.workato.com/recipes/28904"],
    ["https://app.jp.workato.com", "JP", "https://app.jp.workato.com/recipes/28904"],
    ["https://app.sg.workato.com", "SG", "https://app.sg.workato.com/recipes/28904"],
    ["https://app.au.workato.com", "AU", "https://app.au.workato.com/recipes/28904"],
    ["https://app.il.workato.com", "IL", "https://app.il.workato.com/recipes/28904"],
    ["https://app.kr.workato.com", "KR", "https://app.kr.workato.com/recipes/28904"],
    ["https://app.uk.workato.com", "UK", "https://app.uk.workato.com/recipes/28904"],
    ["https://app.workatoapp.cn", "CN", "https://app.workatoapp.cn/recipes/28904"],
    ["https://app.trial.workato.com", "Developer sandbox", "https://app.trial.workato.com/recipes/28904"],
  ])("%s (%s) opens the recipe's page there, for a job and for the recipe", (baseUrl, code, page) => {
    expect(dataCentreOf(baseUrl)?.code).toBe(code);
    const links = createWorkatoLinks({ baseUrl });
    expect(links.job(CUSTOMER, 28904, JOB)).toBe(page);
    expect(links.recipe(CUSTOMER, 28904)).toBe(page);
  });

  it("knows every data centre by the host of its API, in any case", () => {
    for (const centre of WORKATO_DATA_CENTRES) {
      expect(dataCentreOf(`${centre.origin.toUpperCase()}/`)?.code).toBe(centre.code);
    }
  });

  it("offers no link on a host that is no Workato data centre (a private instance), rather than a guess", () => {
    const links = createWorkatoLinks({ baseUrl: "https://workato.internal.example.com" });
    expect(links.job(CUSTOMER, 28904, JOB)).toBeNull();
    expect(links.recipe(CUSTOMER, 28904)).toBeNull();
  });
});

describe("WORKATO_JOB_URL_TEMPLATE", () => {
  it("fills the recipe, job and customer, each URL-encoded, on any host", () => {
    const links = createWorkatoLinks({
      baseUrl: "https://workato.internal.example.com",
      template: "https://workato.internal.example.com/c/{customer_id}/recipes/{recipe_id}/job/{job_id}",
    });
    expect(links.job(customerRef("ext:acme/eu#1"), 28904, JOB)).toBe(
      `https://workato.internal.example.com/c/acme%2Feu%231/recipes/28904/job/${JOB}`,
    );
  });

  it("opens the data centre's recipe page for a stopped recipe when the template needs a job", () => {
    const links = createWorkatoLinks({
      baseUrl: "https://app.eu.workato.com",
      template: "https://app.eu.workato.com/recipes/{recipe_id}/job/{job_id}",
    });
    expect(links.recipe(CUSTOMER, 28904)).toBe("https://app.eu.workato.com/recipes/28904");
  });

  it.each([
    ["https://x.example.com/{recipe}/{job_id}", /\{recipe\}/],
    ["https://x.example.com/jobs", /neither \{recipe_id\} nor \{job_id\}/],
    ["not a url {recipe_id}", /must be a URL/],
    ["javascript:alert({recipe_id})", /https/],
    ["https://admin:secret@x.example.com/{recipe_id}", /user name or password/],
  ])("refuses %s", (template, problem) => {
    expect(templateProblem(template)).toMatch(problem);
  });

  it("stops start-up with one line naming the variable, and never lets a link carry the API token", () => {
    const env = {
      SLACK_BOT_TOKEN: "xoxb-1",
      SLACK_SIGNING_SECRET: "s",
      WORKATO_API_TOKEN: "wrk-secret-token-1",
    };
    expect(() =>
      loadConfig({
        ...env,
        WORKATO_JOB_URL_TEMPLATE: "https://x.example.com/{recipe_id}?t=wrk-secret-token-1",
      }),
    ).toThrow(/WORKATO_JOB_URL_TEMPLATE holds the Workato API token/);
    expect(() => loadConfig({ ...env, WORKATO_JOB_URL_TEMPLATE: "https://x.example.com/{jobid}" })).toThrow(
      ConfigError,
    );
    expect(
      loadConfig({ ...env, WORKATO_JOB_URL_TEMPLATE: "https://x.example.com/{recipe_id}" }).workato
        .jobUrlTemplate,
    ).toBe("https://x.example.com/{recipe_id}");
  });
});
