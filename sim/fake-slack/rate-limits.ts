// Slack's rate limits on the methods the app posts with, as token buckets: who may call now, and how long to wait.

/** A bucket holding up to `burst` calls, refilled at `perSecond`; one call takes one token. */
export interface BucketLimit {
  burst: number;
  perSecond: number;
}

export interface SlackRateLimitOptions {
  /** per channel; default burst 3, 1 per second ("about 1 message per second per channel, short bursts allowed") */
  postMessage?: BucketLimit;
  /** per workspace; default burst 50, 50 per minute (Tier 3) */
  update?: BucketLimit;
  /** per workspace; default burst 100, 100 per minute */
  postEphemeral?: BucketLimit;
}

export const DEFAULT_SLACK_RATE_LIMITS: Required<SlackRateLimitOptions> = {
  postMessage: { burst: 3, perSecond: 1 },
  update: { burst: 50, perSecond: 50 / 60 },
  postEphemeral: { burst: 100, perSecond: 100 / 60 },
};

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface SlackRateLimiter {
  /** Admits or refuses one call at monotonic time nowMs; a refused call takes no token. */
  admit(method: string, args: Record<string, unknown>, nowMs: number): RateDecision;
}

interface Bucket {
  tokens: number;
  updatedMs: number;
}

const LIMITED_METHODS = {
  "chat.postMessage": "postMessage",
  "chat.update": "update",
  "chat.postEphemeral": "postEphemeral",
} as const;

function isLimitedMethod(method: string): method is keyof typeof LIMITED_METHODS {
  return Object.hasOwn(LIMITED_METHODS, method);
}

export function createSlackRateLimiter(options: SlackRateLimitOptions = {}): SlackRateLimiter {
  const limits = { ...DEFAULT_SLACK_RATE_LIMITS, ...options };
  const buckets = new Map<string, Bucket>();

  function take(key: string, limit: BucketLimit, nowMs: number): RateDecision {
    const bucket = buckets.get(key) ?? { tokens: limit.burst, updatedMs: nowMs };
    bucket.tokens = Math.min(
      limit.burst,
      bucket.tokens + ((nowMs - bucket.updatedMs) / 1000) * limit.perSecond,
    );
    bucket.updatedMs = nowMs;
    buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    // Retry-After is whole seconds, and Slack never says 0.
    const waitSeconds = (1 - bucket.tokens) / limit.perSecond;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitSeconds)) };
  }

  return {
    admit(method, args, nowMs) {
      if (!isLimitedMethod(method)) return { allowed: true };
      const kind = LIMITED_METHODS[method];
      const channel = typeof args.channel === "string" ? args.channel : "";
      const key = kind === "postMessage" ? `${kind}:${channel}` : kind;
      return take(key, limits[kind], nowMs);
    },
  };
}
