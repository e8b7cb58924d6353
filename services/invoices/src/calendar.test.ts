import { describe, expect, it } from 'vitest';
import { addDays, localDate } from './calendar.ts';

describe('invoice dates', () => {
  it("are the tenant's local date", () => {
    const lateEvening = new Date('2026-03-01T23:30:00Z');
    expect(localDate(lateEvening, 'UTC')).toBe('2026-03-01');
    expect(localDate(lateEvening, 'Europe/Berlin')).toBe('2026-03-02');
    expect(localDate(lateEvening, 'America/New_York')).toBe('2026-03-01');
    expect(localDate(lateEvening, 'Not/AZone')).toBe('2026-03-01');
  });

  it('add calendar days across months, years and leap days', () => {
    expect(addDays('2026-03-02', 14)).toBe('2026-03-16');
    expect(addDays('2026-12-25', 14)).toBe('2027-01-08');
    expect(addDays('2028-02-20', 10)).toBe('2028-03-01');
    expect(addDays('2026-03-02', 0)).toBe('2026-03-02');
  });
});
