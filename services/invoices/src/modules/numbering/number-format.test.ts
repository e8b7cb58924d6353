import { describe, expect, it } from 'vitest';
import { DEFAULT_FORMATS, formatNumber, formatProblem, periodOf } from './number-format.ts';

describe('number formats', () => {
  it('renders the defaults as INV-2026-000001 and CN-2026-000042', () => {
    expect(formatNumber(DEFAULT_FORMATS.invoice, '2026-03-02', 1)).toBe('INV-2026-000001');
    expect(formatNumber(DEFAULT_FORMATS.credit_note, '2026-03-02', 42)).toBe('CN-2026-000042');
  });

  it('renders every token, and lets the sequence outgrow its width', () => {
    expect(formatNumber('F{YY}{MM}/{SEQ:3}', '2027-11-30', 7)).toBe('F2711/007');
    expect(formatNumber('R{SEQ}', '2027-11-30', 12345)).toBe('R12345');
    expect(formatNumber('{SEQ:2}', '2027-11-30', 123)).toBe('123');
  });

  it('restarts numbering per month, per year, or never, as the format shows', () => {
    expect(periodOf('INV-{YYYY}-{SEQ:6}', '2026-03-02')).toBe('2026');
    expect(periodOf('F{YY}-{SEQ}', '2026-03-02')).toBe('2026');
    expect(periodOf('F{YYYY}{MM}-{SEQ}', '2026-03-02')).toBe('2026-03');
    expect(periodOf('F-{SEQ:8}', '2026-03-02')).toBe('');
  });

  it.each([
    ['', 'Must be 1 to 40'],
    ['INV-{YYYY}', 'exactly one {SEQ}'],
    ['{SEQ}-{SEQ}', 'exactly one {SEQ}'],
    ['{SEQ:0}', 'exactly one {SEQ}'],
    ['{SEQ:13}', 'exactly one {SEQ}'],
    ['INV {SEQ}', 'only letters, digits'],
    ['INV-{DD}-{SEQ}', 'only letters, digits'],
    [`${'X'.repeat(40)}{SEQ}`, 'Must be 1 to 40'],
  ])('refuses %j', (format, problem) => {
    expect(formatProblem(format)).toContain(problem);
  });

  it('accepts the defaults and other sensible formats', () => {
    for (const format of [...Object.values(DEFAULT_FORMATS), 'F{YY}{MM}/{SEQ:3}', '{SEQ}', 'RE#{SEQ:5}'])
      expect(formatProblem(format), format).toBeUndefined();
  });
});
