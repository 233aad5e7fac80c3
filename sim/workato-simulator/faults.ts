// Faults a test has armed, and which one (if any) a request to a given endpoint consumes.
import type { Fault, SimEndpoint } from "./types.js";

export interface FaultList {
  add(fault: Fault): () => void;
  clear(): void;
  /** The first armed fault matching the endpoint, with one of its `times` used up. */
  take(endpoint: SimEndpoint): Fault | undefined;
}

interface ArmedFault {
  fault: Fault;
  remaining: number;
}

function appliesTo(fault: Fault, endpoint: SimEndpoint): boolean {
  if (fault.endpoint === undefined) return true;
  return Array.isArray(fault.endpoint) ? fault.endpoint.includes(endpoint) : fault.endpoint === endpoint;
}

export function createFaultList(): FaultList {
  let armed: ArmedFault[] = [];
  return {
    add(fault) {
      const entry: ArmedFault = { fault, remaining: fault.times ?? Number.POSITIVE_INFINITY };
      armed.push(entry);
      return () => {
        armed = armed.filter((other) => other !== entry);
      };
    },
    clear() {
      armed = [];
    },
    take(endpoint) {
      const entry = armed.find(
        (candidate) => candidate.remaining > 0 && appliesTo(candidate.fault, endpoint),
      );
      if (entry === undefined) return undefined;
      entry.remaining -= 1;
      if (entry.remaining <= 0) armed = armed.filter((other) => other !== entry);
      return entry.fault;
    },
  };
}
