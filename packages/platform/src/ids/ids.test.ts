import { describe, expect, it } from 'vitest';
import { idSchema, isId, newId, uuidv7 } from './index.ts';

const SUFFIX = /^[0-7][0-9a-hjkmnp-tv-z]{25}$/;

describe('newId', () => {
  it('has the prefix, an underscore and a 26-character base32 suffix', () => {
    const id = newId('ord');
    expect(id.startsWith('ord_')).toBe(true);
    expect(id).toHaveLength('ord_'.length + 26);
    expect(id.slice(4)).toMatch(SUFFIX);
    expect(isId('ord', id)).toBe(true);
  });

  it('is unique', () => {
    const ids = new Set(Array.from({ length: 5_000 }, () => newId('cus')));
    expect(ids.size).toBe(5_000);
  });

  it('sorts ids made later after earlier ones, within one millisecond too', () => {
    const ids = Array.from({ length: 5_000 }, () => newId('ord'));
    // Thousands of ids are made within the same millisecond here; order must still hold.
    const sorted = [...ids].sort();
    expect(sorted).toEqual(ids);
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
  });

  it('sorts across milliseconds', async () => {
    const first = newId('ord');
    await new Promise((resolve) => setTimeout(resolve, 3));
    const second = newId('ord');
    expect(second > first).toBe(true);
  });
});

describe('isId', () => {
  const valid = newId('ord');

  it.each([
    ['wrong prefix', 'cus', valid],
    ['prefix only', 'ord', 'ord_'],
    ['no underscore', 'ord', valid.replace('_', '')],
    ['suffix too short', 'ord', valid.slice(0, -1)],
    ['suffix too long', 'ord', `${valid}0`],
    ['upper case suffix', 'ord', valid.toUpperCase().replace('ORD_', 'ord_')],
    ['excluded letter u', 'ord', `ord_0${'u'.repeat(25)}`],
    ['first char above 7 (overflows 128 bits)', 'ord', `ord_8${'0'.repeat(25)}`],
    ['garbage', 'ord', 'ord_not-an-id-at-all!!!!!!!'],
    ['empty', 'ord', ''],
    ['prefix that merely starts the same', 'or', valid],
  ])('rejects %s', (_name, prefix, value) => {
    expect(isId(prefix, value)).toBe(false);
  });

  it('accepts the smallest and a well-formed id', () => {
    expect(isId('ord', valid)).toBe(true);
    expect(isId('ten', 'ten_01m80n5wh0fq8bg2x0v9vtay4p')).toBe(true);
    expect(isId('ord', `ord_${'0'.repeat(26)}`)).toBe(true);
  });
});

describe('idSchema', () => {
  it('accepts ids of its prefix and names the rule otherwise', () => {
    const schema = idSchema('ord');
    expect(schema.safeParse(newId('ord')).success).toBe(true);
    const result = schema.safeParse(newId('cus'));
    expect(result.success).toBe(false);
    const issue = result.error?.issues[0];
    expect(issue?.code).toBe('custom');
    expect(issue?.message).toBe('Must be an id starting with "ord_"');
    expect((issue as { params?: unknown } | undefined)?.params).toEqual({ rule: 'id' });
  });
});

describe('uuidv7', () => {
  it('makes version 7 UUIDs that sort by creation', () => {
    const ids = Array.from({ length: 1_000 }, () => uuidv7());
    for (const id of ids)
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([...ids].sort()).toEqual(ids);
  });
});
