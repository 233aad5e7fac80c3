// Entry point of the Workato simulator (Jobs API, customers, recipes): start it, and the types tests and benchmarks code against.
export { startWorkatoSimulator } from "./server.js";
export type {
  Fault,
  FaultEffect,
  RecordedRequest,
  RepeatOutcome,
  SeededFailures,
  SeedFailuresOptions,
  SettleRepeatsOptions,
  SimCustomerInput,
  SimEndpoint,
  SimJob,
  SimJobInput,
  SimJobStatus,
  SimLine,
  SimRecipeInput,
  SimRecipeState,
  SimulatorOptions,
  WorkatoSimulator,
} from "./types.js";
