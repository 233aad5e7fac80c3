// Job ids in Workato's visible format (j-AJMfQh8c-hsCXcs): "j-", 8 and 6 alphanumerics, never one already in use.
import { randomBytes } from "node:crypto";

const ALPHANUMERICS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
// 248 is the largest multiple of 62 that fits in a byte; rejecting bytes above it keeps every character equally likely.
const UNBIASED_BYTE_LIMIT = 248;

// Drawn in bulk: one randomBytes call per id cost more than everything else in seeding 100k jobs.
let pool = randomBytes(0);
let poolOffset = 0;

function randomByte(): number {
  if (poolOffset >= pool.length) {
    pool = randomBytes(4096);
    poolOffset = 0;
  }
  return pool[poolOffset++] ?? 0;
}

function randomAlphanumerics(length: number): string {
  let out = "";
  while (out.length < length) {
    const byte = randomByte();
    if (byte < UNBIASED_BYTE_LIMIT) out += ALPHANUMERICS[byte % ALPHANUMERICS.length];
  }
  return out;
}

export function newJobId(isTaken: (id: string) => boolean): string {
  for (;;) {
    const id = `j-${randomAlphanumerics(8)}-${randomAlphanumerics(6)}`;
    if (!isTaken(id)) return id;
  }
}
