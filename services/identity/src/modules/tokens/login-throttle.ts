/** Consecutive failed sign-ins after which an account is locked. */
export const LOCKOUT_THRESHOLD = 5;
const FIRST_LOCK_MS = 60_000;
const LONGEST_LOCK_MS = 60 * 60_000;

/**
 * How long an account is locked after `failures` consecutive failed sign-ins: not at all below
 * 5, then 1 minute, doubling with each further failure, at most 1 hour.
 */
export function lockDurationMs(failures: number): number | undefined {
  if (failures < LOCKOUT_THRESHOLD) return undefined;
  return Math.min(LONGEST_LOCK_MS, FIRST_LOCK_MS * 2 ** (failures - LOCKOUT_THRESHOLD));
}

/** Whole seconds until `until`, at least 1: the Retry-After of a locked account. */
export function secondsUntil(until: Date, now: Date): number {
  return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
}
