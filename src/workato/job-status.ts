// The job statuses Workato's jobs list filters by: one list for the client's query, the command grammar and the
// paging buttons that carry a filter back.
export const JOB_STATUSES = ["succeeded", "failed", "pending"] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export function isJobStatus(text: string): text is JobStatus {
  return (JOB_STATUSES as readonly string[]).includes(text);
}
