// The tables replicas coordinate through; the Postgres store's migration 5 creates them (postgres-migrations.ts).
export const LEASES_TABLE = "leases";
/** rate-limiter-flexible's RateLimiterPostgres layout, created by the migration so the library never races to */
export const BUDGET_TABLE = "workato_budget";
export const PENDING_REPEATS_TABLE = "pending_repeats";
