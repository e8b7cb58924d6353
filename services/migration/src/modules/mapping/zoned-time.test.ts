// Local time → UTC across daylight-saving changes. Expected instants are written out by hand from
// the zones' rules, not computed with the code under test.
import { describe, expect, it } from 'vitest';
import { isTimeZone, parseDateTime, zonedToUtc, type LocalDateTime } from './zoned-time.ts';

const local = (text: string): LocalDateTime => {
  const parsed = parseDateTime(text);
  if (parsed === null) throw new Error(`bad test input ${text}`);
  return parsed.local;
};

const iso = (result: ReturnType<typeof zonedToUtc>) =>
  result.ok ? new Date(result.epochMs).toISOString() : result.rule;

describe('zonedToUtc', () => {
  it('converts ordinary winter and summer times in Berlin (CET +1, CEST +2)', () => {
    expect(iso(zonedToUtc(local('2024-01-15 09:30:00'), 'Europe/Berlin'))).toBe('2024-01-15T08:30:00.000Z');
    expect(iso(zonedToUtc(local('2024-07-15 09:30:00.250'), 'Europe/Berlin'))).toBe(
      '2024-07-15T07:30:00.250Z',
    );
  });

  it('handles the hour before and after the spring change (2024-03-31, 02:00 → 03:00 in Berlin)', () => {
    expect(iso(zonedToUtc(local('2024-03-31 01:59:59'), 'Europe/Berlin'))).toBe('2024-03-31T00:59:59.000Z');
    expect(iso(zonedToUtc(local('2024-03-31 03:00:00'), 'Europe/Berlin'))).toBe('2024-03-31T01:00:00.000Z');
  });

  it('resolves a time in the spring gap as Temporal does, or rejects it', () => {
    const gap = local('2024-03-31 02:30:00');
    // compatible / later: read with the offset before the change → 03:30 CEST.
    expect(iso(zonedToUtc(gap, 'Europe/Berlin'))).toBe('2024-03-31T01:30:00.000Z');
    expect(iso(zonedToUtc(gap, 'Europe/Berlin', 'later'))).toBe('2024-03-31T01:30:00.000Z');
    // earlier: read with the offset after the change → 01:30 CET.
    expect(iso(zonedToUtc(gap, 'Europe/Berlin', 'earlier'))).toBe('2024-03-31T00:30:00.000Z');
    expect(zonedToUtc(gap, 'Europe/Berlin', 'reject')).toEqual({
      ok: false,
      rule: 'datetime_gap',
      message: '2024-03-31 02:30:00 did not exist in Europe/Berlin (clocks went forward)',
    });
  });

  it('resolves a repeated autumn time (2023-10-29, 03:00 → 02:00 in Berlin)', () => {
    const twice = local('2023-10-29 02:30:00');
    expect(iso(zonedToUtc(twice, 'Europe/Berlin'))).toBe('2023-10-29T00:30:00.000Z'); // first: CEST
    expect(iso(zonedToUtc(twice, 'Europe/Berlin', 'earlier'))).toBe('2023-10-29T00:30:00.000Z');
    expect(iso(zonedToUtc(twice, 'Europe/Berlin', 'later'))).toBe('2023-10-29T01:30:00.000Z'); // second: CET
    expect(zonedToUtc(twice, 'Europe/Berlin', 'reject')).toMatchObject({
      ok: false,
      rule: 'datetime_ambiguous',
    });
    // Just outside the repeated hour: one answer each.
    expect(iso(zonedToUtc(local('2023-10-29 01:59:59'), 'Europe/Berlin', 'reject'))).toBe(
      '2023-10-28T23:59:59.000Z',
    );
    expect(iso(zonedToUtc(local('2023-10-29 03:00:00'), 'Europe/Berlin', 'reject'))).toBe(
      '2023-10-29T02:00:00.000Z',
    );
  });

  it('works for other rules: New York, Lord Howe (30-minute DST), no-DST zones and UTC', () => {
    // New York springs forward 2024-03-10 02:00 → 03:00 (EST -5 → EDT -4).
    expect(iso(zonedToUtc(local('2024-03-10 02:15:00'), 'America/New_York'))).toBe(
      '2024-03-10T07:15:00.000Z',
    );
    expect(iso(zonedToUtc(local('2024-11-03 01:30:00'), 'America/New_York'))).toBe(
      '2024-11-03T05:30:00.000Z',
    );
    expect(iso(zonedToUtc(local('2024-11-03 01:30:00'), 'America/New_York', 'later'))).toBe(
      '2024-11-03T06:30:00.000Z',
    );
    // Lord Howe: 2024-04-07 02:00 (+11) → 01:30 (+10:30); 01:45 happens twice.
    expect(iso(zonedToUtc(local('2024-04-07 01:45:00'), 'Australia/Lord_Howe', 'earlier'))).toBe(
      '2024-04-06T14:45:00.000Z',
    );
    expect(iso(zonedToUtc(local('2024-04-07 01:45:00'), 'Australia/Lord_Howe', 'later'))).toBe(
      '2024-04-06T15:15:00.000Z',
    );
    expect(iso(zonedToUtc(local('2024-03-31 02:30:00'), 'Asia/Kolkata'))).toBe('2024-03-30T21:00:00.000Z');
    expect(iso(zonedToUtc(local('2024-03-31 02:30:00'), 'UTC'))).toBe('2024-03-31T02:30:00.000Z');
  });

  it('gives the same answer on repeated calls (the offset cache is per zone)', () => {
    const a = zonedToUtc(local('2024-07-01 12:00:00'), 'Europe/Berlin');
    const b = zonedToUtc(local('2024-07-01 12:00:00'), 'Europe/London');
    const c = zonedToUtc(local('2024-07-01 12:00:00'), 'Europe/Berlin');
    expect([iso(a), iso(b), iso(c)]).toEqual([
      '2024-07-01T10:00:00.000Z',
      '2024-07-01T11:00:00.000Z',
      '2024-07-01T10:00:00.000Z',
    ]);
  });
});

describe('parseDateTime', () => {
  it('reads the forms databases print', () => {
    expect(parseDateTime('2024-03-31')).toMatchObject({ dateOnly: true, offsetMs: null });
    expect(parseDateTime('2024-03-31 14:05')).toMatchObject({ local: { hour: 14, minute: 5, second: 0 } });
    expect(parseDateTime('2024-03-31T14:05:06.1234567')).toMatchObject({
      local: { second: 6, millisecond: 123 },
    });
    expect(parseDateTime('2024-03-31 14:05:06+02')).toMatchObject({ offsetMs: 7_200_000 });
    expect(parseDateTime('2024-03-31T14:05:06-05:30')).toMatchObject({ offsetMs: -19_800_000 });
    expect(parseDateTime('2024-03-31T14:05:06Z')).toMatchObject({ offsetMs: 0 });
  });

  it.each(['2023-02-29', '2024-13-01', '2024-04-31', '2024-01-01 24:00:00', '31.03.2024', '2024-1-1', ''])(
    'refuses %j',
    (text) => {
      expect(parseDateTime(text)).toBeNull();
    },
  );

  it('accepts 29 February in leap years', () => {
    expect(parseDateTime('2024-02-29')).not.toBeNull();
  });
});

describe('isTimeZone', () => {
  it('knows IANA zones', () => {
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Europe/Atlantis')).toBe(false);
    expect(isTimeZone('CEST+2')).toBe(false);
  });
});
