// The demo's made-up Workato workspace: three customers, their recipes, what their jobs are called, the steps they
// run and the errors they fail with (worded like real connector errors, ids and numbers varying from job to job).
import { CUSTOMER, EXTERNAL_ID, RECIPE, RECIPE_NAME } from "../sim/app-harness.js";
import { ACCOUNT_NAMES } from "../sim/workato-simulator/job-defaults.js";
import type { Random } from "./random.js";

export interface StepSpec {
  adapter: string;
  operation: string;
  /** how long a run of this step usually takes */
  seconds: number;
  /** Workato hides this step's data ("mask data" in the recipe) */
  maskData?: boolean;
}

export interface FailureSpec {
  /** index of the step that raised it; the job's lines stop there */
  step: number;
  /** how often this failure happens, relative to the recipe's others */
  weight: number;
  text(random: Random): string;
}

export interface RecipeSpec {
  id: number;
  name: string;
  steps: readonly StepSpec[];
  title(random: Random): string;
  failures: readonly FailureSpec[];
  /** the jobs seeded before the demo starts */
  history: { succeeded: number; failed: number; pending: number };
  /** how often new failures land on this recipe while the demo runs, relative to the other recipes */
  liveFailureWeight: number;
}

export interface CustomerSpec {
  id: number;
  externalId: string;
  name: string;
  recipes: readonly RecipeSpec[];
}

const PEOPLE = ["Maria Garcia", "Chen Wei", "Aisha Khan", "Lukas Schmidt", "Sofia Rossi", "Kenji Sato"];
const TICKET_SUBJECTS = [
  "Invoice PDF shows the wrong VAT",
  "Cannot log in after password reset",
  "Export to CSV times out",
  "Webhook deliveries delayed",
];

const salesforceToNetSuite: RecipeSpec = {
  id: RECIPE,
  name: RECIPE_NAME,
  steps: [
    { adapter: "salesforce", operation: "new_or_updated_object", seconds: 0.35 },
    { adapter: "lookup_table", operation: "lookup_entry", seconds: 0.02 },
    { adapter: "netsuite", operation: "upsert_record", seconds: 1.6 },
    { adapter: "logger", operation: "log_message", seconds: 0.01 },
  ],
  title: (random) =>
    `New/updated Account in Salesforce: ${random.pick(ACCOUNT_NAMES)} (0015800000${random.code(8)})`,
  failures: [
    {
      step: 2,
      weight: 5,
      text: () =>
        [
          "NetSuite: Upsert customer failed: 400 Bad Request",
          "INVALID_KEY_OR_REF: Invalid subsidiary reference key 7 for entity customer.",
          "Check the Subsidiary field mapping in step 3 and that the subsidiary is active in NetSuite.",
        ].join("\n"),
    },
    {
      step: 2,
      weight: 2,
      text: (random) =>
        `NetSuite: UNEXPECTED_ERROR: An unexpected error occurred. Error ID: ${random.code(20).toLowerCase()}`,
    },
    {
      step: 0,
      weight: 2,
      text: (random) =>
        [
          "Salesforce: REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.",
          `The org has used ${random.between(100_001, 100_450)} of its 100000 API requests in the last 24 hours.`,
        ].join("\n"),
    },
  ],
  history: { succeeded: 24, failed: 9, pending: 1 },
  liveFailureWeight: 4,
};

const orderStatusApi: RecipeSpec = {
  // The recipe id of the API doc's job-details sample.
  id: 169891,
  name: "API platform: order status endpoint",
  steps: [
    { adapter: "workato_api_platform", operation: "receive_request", seconds: 0.013 },
    { adapter: "http", operation: "get", seconds: 0.4 },
    { adapter: "workato_api_platform", operation: "return_response", seconds: 0.001 },
  ],
  title: (random) =>
    `API platform by Workato: new api request: Calling IP address=129.1.${random.between(1, 9)}.${random.between(1, 254)}, Access profile ID=12345, and Access profile name=Created from API Call after fix`,
  failures: [
    {
      step: 1,
      weight: 1,
      text: (random) =>
        `HTTP: 504 Gateway Timeout after 30.0 s: GET https://orders.acme.example/api/v2/orders/ORD-${random.between(40_000, 49_999)}/status`,
    },
  ],
  history: { succeeded: 14, failed: 2, pending: 0 },
  liveFailureWeight: 1,
};

const shopifyToNetSuite: RecipeSpec = {
  id: 41002,
  name: "Shopify orders to NetSuite sales orders",
  steps: [
    { adapter: "shopify", operation: "new_order", seconds: 0.3 },
    { adapter: "netsuite", operation: "search_records", seconds: 0.9 },
    { adapter: "netsuite", operation: "add_sales_order", seconds: 2.1 },
    { adapter: "shopify", operation: "update_order", seconds: 0.25 },
  ],
  title: (random) => `New order in Shopify: #${random.between(1040, 1999)} from ${random.pick(PEOPLE)}`,
  failures: [
    {
      step: 2,
      weight: 3,
      text: (random) =>
        [
          `NetSuite: USER_ERROR: Item 'SKU-${random.between(10_000, 99_999)}' is not available in location 'Berlin DC'.`,
          "Add inventory for it in NetSuite or route the order to another location.",
        ].join("\n"),
    },
    {
      step: 3,
      weight: 1,
      text: () =>
        "Shopify: 429 Too Many Requests: Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.",
    },
  ],
  history: { succeeded: 18, failed: 3, pending: 1 },
  liveFailureWeight: 2,
};

const zendeskToJira: RecipeSpec = {
  id: 41007,
  name: "Zendesk tickets to Jira issues",
  steps: [
    { adapter: "zendesk", operation: "new_ticket", seconds: 0.2 },
    { adapter: "jira", operation: "search_issues_jql", seconds: 0.6 },
    { adapter: "jira", operation: "create_issue", seconds: 0.8 },
    { adapter: "zendesk", operation: "update_ticket", seconds: 0.3 },
  ],
  title: (random) =>
    `New ticket in Zendesk: #${random.between(20_000, 29_999)} "${random.pick(TICKET_SUBJECTS)}"`,
  failures: [
    {
      step: 2,
      weight: 2,
      text: () =>
        'Jira: 400 Bad Request: {"errors":{"customfield_10014":"Epic Link is required."},"errorMessages":[]}',
    },
    {
      step: 0,
      weight: 1,
      text: () =>
        [
          "Zendesk: 401 Unauthorized: Couldn't authenticate you.",
          "The connection's OAuth token was revoked; reconnect the Zendesk connection in Workato.",
        ].join("\n"),
    },
  ],
  history: { succeeded: 12, failed: 3, pending: 1 },
  liveFailureWeight: 1,
};

const workdayToOkta: RecipeSpec = {
  id: 7731,
  name: "Workday new hires to Okta users",
  steps: [
    { adapter: "workday", operation: "new_worker", seconds: 0.7 },
    { adapter: "okta", operation: "search_users", seconds: 0.3 },
    { adapter: "okta", operation: "create_user", seconds: 0.5, maskData: true },
    { adapter: "slack", operation: "post_message", seconds: 0.2 },
  ],
  title: (random) => `New hire in Workday: ${random.pick(PEOPLE)} (WD-${random.between(100_000, 999_999)})`,
  failures: [
    {
      step: 2,
      weight: 1,
      text: () =>
        [
          "Okta: E0000001: Api validation failed: login",
          "login: An object with this field already exists in the current organization",
        ].join("\n"),
    },
  ],
  history: { succeeded: 8, failed: 1, pending: 0 },
  liveFailureWeight: 1,
};

/**
 * A busy recipe that failed a few hundred times over the last hours (a connection expired overnight): a recovery of
 * it (`repeat acme 28950 failed since 6h`) takes long enough to watch its progress bar and to click Stop.
 */
const hubspotToSalesforce: RecipeSpec = {
  id: 28950,
  name: "HubSpot contacts to Salesforce leads",
  steps: [
    { adapter: "hubspot", operation: "new_contact", seconds: 0.25 },
    { adapter: "salesforce", operation: "search_sobjects", seconds: 0.4 },
    { adapter: "salesforce", operation: "create_sobject", seconds: 0.6 },
  ],
  title: (random) => `New contact in HubSpot: ${random.pick(PEOPLE)} (${random.between(100_000, 999_999)})`,
  failures: [
    {
      step: 2,
      weight: 1,
      text: () =>
        [
          "Salesforce: INVALID_SESSION_ID: Session expired or invalid",
          "The connection's refresh token was revoked; reconnect the Salesforce connection in Workato.",
        ].join("\n"),
    },
  ],
  history: { succeeded: 120, failed: 320, pending: 0 },
  liveFailureWeight: 1,
};

/** The main customer's name in Workato's directory, so messages say it instead of its id. */
export const MAIN_CUSTOMER_NAME = "Acme Corporation";

/** The first customer and recipe are the ones the app harness (and the end-to-end tests) already set up. */
export const DEMO_CUSTOMERS: readonly CustomerSpec[] = [
  {
    id: CUSTOMER,
    externalId: EXTERNAL_ID,
    name: MAIN_CUSTOMER_NAME,
    recipes: [salesforceToNetSuite, orderStatusApi, hubspotToSalesforce],
  },
  { id: 31337, externalId: "globex-eu", name: "Globex", recipes: [shopifyToNetSuite, zendeskToJira] },
  // An external id with a slash, to show it reaching Workato URL-encoded.
  { id: 50210, externalId: "initech/us-1", name: "Initech", recipes: [workdayToOkta] },
];

/** The recipe with a few hundred failures, for trying a recovery. */
export const RECOVERY_RECIPE = hubspotToSalesforce.id;

export const SAMPLE_RECIPES = {
  /** holds the doc's list sample */
  listSample: salesforceToNetSuite.id,
  /** holds the doc's job-details sample */
  detailsSample: orderStatusApi.id,
  /** holds the jobs of the doc's repeat sample: one repeatable, one a repeat, one past retention */
  repeatSample: shopifyToNetSuite.id,
} as const;

/** A failure of the recipe, picked by weight. */
export function pickFailure(recipe: RecipeSpec, random: Random): FailureSpec {
  const total = recipe.failures.reduce((sum, failure) => sum + failure.weight, 0);
  let ticket = random.next() * total;
  for (const failure of recipe.failures) {
    ticket -= failure.weight;
    if (ticket < 0) return failure;
  }
  return random.pick(recipe.failures);
}
