// Plausible filler for jobs a test did not describe in full: titles, step lines, durations and a failure message.
import type { SimJobStatus, SimLine } from "./types.js";

/** Multi-line like real connector errors, and identical across jobs so error grouping sees one signature. */
export const DEFAULT_FAILURE_MESSAGE = [
  "NetSuite: Upsert customer failed: 400 Bad Request",
  "INVALID_KEY_OR_REF: Invalid subsidiary reference key 7 for entity customer.",
  "Check the Subsidiary field mapping in step 3 and that the subsidiary is active in NetSuite.",
].join("\n");

/** Companies whose Salesforce accounts job titles name (the demo uses them too). */
export const ACCOUNT_NAMES = [
  "Acme Corp",
  "Globex Industries",
  "Initech GmbH",
  "Umbrella Health",
  "Stark Logistics",
  "Wayne Foods",
  "Hooli Europe",
];

export function defaultTitle(sequence: number): string {
  const account = ACCOUNT_NAMES[sequence % ACCOUNT_NAMES.length] ?? "Acme Corp";
  return `New/updated Account in Salesforce: ${account} (00158000${String(sequence).padStart(7, "0")})`;
}

/** Finished jobs take between about 0.3 and 4 seconds, varying so lists do not look machine-made. */
export function defaultDurationMs(sequence: number): number {
  return 300 + ((sequence * 7919) % 3700);
}

interface StepTemplate {
  adapter: string;
  operation: string;
  input: unknown;
  output: unknown;
}

const STEPS: readonly StepTemplate[] = [
  {
    adapter: "salesforce",
    operation: "new_or_updated_object",
    input: { sobject_name: "Account", since: "2024-01-01T00:00:00.000+00:00" },
    output: { Id: "0015800000AbCdEAAV", Name: "Acme Corp", BillingCountry: "DE", Region__c: "EMEA" },
  },
  {
    adapter: "lookup_table",
    operation: "lookup_entry",
    input: { lookup_table_id: 4312, parameters: { col1: "DE" } },
    output: { entry: { col1: "DE", col2: "7" } },
  },
  {
    adapter: "netsuite",
    operation: "upsert_record",
    input: { record_type: "customer", external_id: "0015800000AbCdEAAV", subsidiary: "7" },
    output: { internal_id: "88231", external_id: "0015800000AbCdEAAV" },
  },
  {
    adapter: "logger",
    operation: "log_message",
    input: { message: "Account synced" },
    output: {},
  },
];

function lineStat(sequence: number, lineNumber: number): SimLine["line_stat"] {
  const mapInput = 0.000_01 * (1 + ((sequence + lineNumber) % 9));
  const execute = 0.01 * (1 + ((sequence * 3 + lineNumber) % 40));
  const stat = (name: string, seconds: number) => ({
    name,
    count: 1,
    average: seconds,
    total: seconds,
    min: seconds,
    max: seconds,
  });
  return { total: mapInput + execute, details: [stat("map_input", mapInput), stat("execute", execute)] };
}

/** 2–4 steps; a failed job's last step is the one that raised, so it has no output. */
export function defaultLines(sequence: number, status: SimJobStatus): SimLine[] {
  const stepCount = status === "pending" ? 1 : 2 + (sequence % 3);
  return STEPS.slice(0, stepCount).map((step, lineNumber) => ({
    recipe_line_number: lineNumber,
    adapter_name: step.adapter,
    adapter_operation: step.operation,
    input: step.input,
    output: status === "failed" && lineNumber === stepCount - 1 ? null : step.output,
    mask_data: false,
    line_stat: lineStat(sequence, lineNumber),
  }));
}
