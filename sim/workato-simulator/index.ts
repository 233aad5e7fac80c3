// Entry point of the Workato Jobs API simulator: start it, and the types tests and benchmarks code against.
export { startWorkatoSimulator } from "./server.js";
export type {
  Fault,
  FaultEffect,
  RecordedRequest,
  SimEndpoint,
  SimJob,
  SimJobInput,
  SimJobStatus,
  SimLine,
  SimulatorOptions,
  WorkatoSimulator,
} from "./types.js";
