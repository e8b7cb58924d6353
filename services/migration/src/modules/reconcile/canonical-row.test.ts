import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { StoredColumn } from '../loader/target-writers.ts';
import { canonicalValue, displayValue, rowHash, rowText } from './canonical-row.ts';

const column = (type: StoredColumn['type']): StoredColumn => ({ field: 'f', sql: sql`t.f`, type });

describe('canonical rows', () => {
  it('writes times as UTC ISO text with milliseconds, numbers as digits, null as null', () => {
    expect(canonicalValue(column('timestamptz'), new Date('2023-10-29T00:30:00Z'))).toBe(
      '2023-10-29T00:30:00.000Z',
    );
    expect(canonicalValue(column('integer'), 1250)).toBe('1250');
    expect(canonicalValue(column('text'), 'Müller')).toBe('Müller');
    expect(canonicalValue(column('text'), null)).toBeNull();
    expect(() => canonicalValue(column('text'), { a: 1 })).toThrow(TypeError);
  });

  it('prefixes each value with its UTF-8 length, so no two rows share a text', () => {
    expect(rowText(['Müller', null, '1'])).toBe('7:Müller|~|1:1');
    // Without the lengths these two would both read "a|b|c".
    expect(rowText(['a|b', 'c'])).not.toBe(rowText(['a', 'b|c']));
    expect(rowText(['~'])).not.toBe(rowText([null]));
  });

  it('hashes a row under its key: the same content under another key hashes differently', () => {
    const text = rowText(['x']);
    expect(rowHash('["1"]', text)).toBe(rowHash('["1"]', text));
    expect(rowHash('["1"]', text)).not.toBe(rowHash('["2"]', text));
    expect(rowHash('["1"]', text)).toBeGreaterThanOrEqual(-(2n ** 63n));
    expect(rowHash('["1"]', text)).toBeLessThan(2n ** 63n);
  });

  it('shows whole numbers as numbers where they are exact', () => {
    expect(displayValue(column('integer'), '1250')).toBe(1250);
    expect(displayValue(column('integer'), '90071992547409930')).toBe('90071992547409930');
    expect(displayValue(column('text'), '1250')).toBe('1250');
  });
});
