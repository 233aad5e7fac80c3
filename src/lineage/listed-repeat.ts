// How one job of Workato's rerun_only listing reads as a repeat: its state and its times.
import type { JobSummary } from "../workato/schemas.js";
import type { RepeatState } from "./lineage.js";

/** Workato's pending, and any status it may add, count as still running: only these two are final. */
export function repeatStateOf(status: string): RepeatState {
  if (status === "succeeded") return "succeeded";
  if (status === "failed") return "failed";
  return "running";
}

/** ms since the epoch, or null when Workato gave no (usable) time. */
export function timeOf(iso: string | null | undefined): number | null {
  if (!iso) return null;
  const at = Date.parse(iso);
  return Number.isNaN(at) ? null : at;
}

/** A failed repeat's error text (Workato may omit it); null for a repeat that did not fail. */
export function errorOf(job: JobSummary): string | null {
  return repeatStateOf(job.status) === "failed" ? (job.error ?? "no error text given") : null;
}
