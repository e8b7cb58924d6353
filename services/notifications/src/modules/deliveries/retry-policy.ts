/** How failed deliveries are retried. */
export interface RetryPolicy {
  /** Attempts in all, the first included; after the last failure the delivery is `failed`. */
  readonly maxAttempts: number;
  /** Wait after the first failure; it doubles after each further one. */
  readonly baseDelayMs: number;
  /** Longest wait between two attempts. */
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 30_000,
  maxDelayMs: 60 * 60_000,
};

/** The wait after failed attempt number `attempt` (1 for the first): exponential, capped. */
export function retryDelayMs(policy: RetryPolicy, attempt: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
}
