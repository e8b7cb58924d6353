import { describe, expect, it } from 'vitest';
import { lockDurationMs, secondsUntil } from './login-throttle.ts';

describe('login throttle', () => {
  it('does not lock before the fifth consecutive failure', () => {
    for (const failures of [0, 1, 2, 3, 4]) expect(lockDurationMs(failures)).toBeUndefined();
  });

  it('locks for 1 minute at 5 failures, doubling per further failure up to 1 hour', () => {
    expect([5, 6, 7, 8, 9, 10, 11, 12, 50].map((n) => lockDurationMs(n)! / 60_000)).toEqual([
      1, 2, 4, 8, 16, 32, 60, 60, 60,
    ]);
  });

  it('rounds the remaining time up to whole seconds, at least one', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(secondsUntil(new Date('2026-01-01T00:01:00Z'), now)).toBe(60);
    expect(secondsUntil(new Date('2026-01-01T00:00:00.200Z'), now)).toBe(1);
    expect(secondsUntil(new Date('2025-12-31T00:00:00Z'), now)).toBe(1);
  });
});
