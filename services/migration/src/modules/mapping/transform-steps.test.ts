// Every transform step, with its edge cases: what passes, what comes out, and which rule a bad
// value breaks.
import { describe, expect, it } from 'vitest';
import type { SourceRow } from '../connectors/source-connector.ts';
import type { TransformStep } from './mapping.schema.ts';
import { RuleViolation } from './rule-violation.ts';
import { columnReader, compileStep, type StepContext } from './transform-steps.ts';

const context: StepContext = {
  lookups: { status: { N: 'pending', X: 'cancelled', '1': 'one' } },
  currency: 'EUR',
  timeZone: 'Europe/Berlin',
};

const apply = (step: TransformStep, value: unknown, row: SourceRow = {}) =>
  compileStep(step, context)(value, row);

/** The rule a step breaks for a value (fails the test if it does not break one). */
function ruleOf(step: TransformStep, value: unknown, row: SourceRow = {}): string {
  try {
    apply(step, value, row);
  } catch (error) {
    if (error instanceof RuleViolation) return `${error.rule}: ${error.message}`;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(step)} to reject ${JSON.stringify(value)}`);
}

describe('text steps', () => {
  it('trim, trimStart, trimEnd, upper, lower work on text and on each text of a list', () => {
    expect(apply('trim', '  a b  ')).toBe('a b');
    expect(apply('trimStart', '  a  ')).toBe('a  ');
    expect(apply('trimEnd', '  a  ')).toBe('  a');
    expect(apply('upper', 'straße')).toBe('STRASSE');
    expect(apply('lower', 'ÄB')).toBe('äb');
    expect(apply('trim', [' a ', null, 3])).toEqual(['a', null, 3]);
  });

  it('leave null and numbers alone', () => {
    expect(apply('trim', null)).toBeNull();
    expect(apply('upper', 42)).toBe(42);
  });

  it('nullIfEmpty turns blank text into null, element-wise in lists', () => {
    expect(apply('nullIfEmpty', '   ')).toBeNull();
    expect(apply('nullIfEmpty', '')).toBeNull();
    expect(apply('nullIfEmpty', ' x ')).toBe(' x ');
    expect(apply('nullIfEmpty', 0)).toBe(0);
    expect(apply('nullIfEmpty', ['', 'a'])).toEqual([null, 'a']);
  });

  it('concat joins list parts, skipping null and blank, null when nothing is left', () => {
    expect(apply({ concat: { separator: ' ' } }, ['030', null, '', '1234567'])).toBe('030 1234567');
    expect(apply('concat', ['A', 1, true])).toBe('A1true');
    expect(apply({ concat: { separator: '-' } }, [null, '  '])).toBeNull();
    expect(apply('concat', 'not a list')).toBe('not a list');
  });
});

describe('checks', () => {
  it('required refuses null, missing and blank text (also an all-blank list)', () => {
    expect(apply('required', 'x')).toBe('x');
    expect(apply('required', 0)).toBe(0);
    expect(apply('required', false)).toBe(false);
    expect(ruleOf('required', null)).toBe('required: is required but the source value is null');
    expect(ruleOf('required', '   ')).toBe('required: is required but the source value is blank');
    expect(ruleOf('required', [null, ' '])).toMatch(/^required/);
  });

  it('email accepts addresses, passes null, refuses the rest', () => {
    expect(apply('email', 'anna.mueller@example.com')).toBe('anna.mueller@example.com');
    expect(apply('email', null)).toBeNull();
    expect(ruleOf('email', 'k.novak(at)example.com')).toBe(
      'email: "k.novak(at)example.com" is not an e-mail address',
    );
    expect(ruleOf('email', 'two@@example.com')).toMatch(/^email/);
    expect(ruleOf('email', 42)).toMatch(/^email/);
  });

  it('match needs the whole text to match', () => {
    const step: TransformStep = { match: { pattern: '[A-Z]{2}-\\d{6}' } };
    expect(apply(step, 'CF-000123')).toBe('CF-000123');
    expect(ruleOf(step, 'xCF-000123')).toBe('pattern: "xCF-000123" does not match [A-Z]{2}-\\d{6}');
    expect(ruleOf({ match: { pattern: '\\d+', message: 'digits only' } }, '12a')).toBe(
      'pattern: digits only',
    );
    expect(apply({ match: { pattern: '\\d+' } }, 123)).toBe(123);
    expect(apply(step, null)).toBeNull();
  });

  it('min and max compare numbers and numeric text', () => {
    expect(apply({ min: 1 }, 1)).toBe(1);
    expect(apply({ min: 1 }, '2.5')).toBe('2.5');
    expect(ruleOf({ min: 1 }, -1)).toBe('min: -1 is below the minimum 1');
    expect(ruleOf({ min: 0 }, '-0.01')).toMatch(/^min/);
    expect(ruleOf({ max: 100 }, 101)).toBe('max: 101 is above the maximum 100');
    expect(ruleOf({ max: 100 }, 'lots')).toBe('type: "lots" is not a number (for max)');
    expect(apply({ max: 1 }, null)).toBeNull();
  });

  it('length counts characters, not bytes', () => {
    expect(apply({ length: { max: 3 } }, 'äöü')).toBe('äöü');
    expect(ruleOf({ length: { max: 3 } }, 'abcd')).toBe('max_length: "abcd" is longer than 3 characters');
    expect(ruleOf({ length: { min: 2 } }, 'a')).toBe('min_length: "a" is shorter than 2 characters');
    expect(ruleOf({ length: { min: 2 } }, 12)).toMatch(/^type/);
  });
});

describe('cast', () => {
  it('to integer: whole numbers only, from numbers and text', () => {
    expect(apply({ cast: 'integer' }, '0042')).toBe(42);
    expect(apply({ cast: 'integer' }, '12.00')).toBe(12);
    expect(apply({ cast: 'integer' }, 7)).toBe(7);
    expect(apply({ cast: 'integer' }, '-3')).toBe(-3);
    expect(ruleOf({ cast: 'integer' }, '12.5')).toBe('cast: "12.5" is not a whole number');
    expect(ruleOf({ cast: 'integer' }, 'abc')).toBe('cast: "abc" is not a number');
    expect(ruleOf({ cast: 'integer' }, '9007199254740993')).toMatch(/within/);
    expect(ruleOf({ cast: 'integer' }, true)).toMatch(/^cast/);
  });

  it('to number and decimal', () => {
    expect(apply({ cast: 'number' }, '19.90')).toBe(19.9);
    expect(apply({ cast: 'decimal' }, '019.900')).toBe('19.9');
    expect(apply({ cast: 'decimal' }, 0.1)).toBe('0.1');
    expect(ruleOf({ cast: 'number' }, '1,5')).toMatch(/^cast/);
  });

  it('to string and boolean', () => {
    expect(apply({ cast: 'string' }, 100001)).toBe('100001');
    expect(apply({ cast: 'string' }, false)).toBe('false');
    for (const yes of ['Y', 'yes', 'TRUE', '1', 1, true]) expect(apply({ cast: 'boolean' }, yes)).toBe(true);
    for (const no of ['n', 'No', 'false', '0', 0, false]) expect(apply({ cast: 'boolean' }, no)).toBe(false);
    expect(ruleOf({ cast: 'boolean' }, 'A')).toBe('cast: "A" is not a yes/no value');
    expect(ruleOf({ cast: 'string' }, ['a'])).toMatch(/^cast/);
  });

  it('keeps null null', () => {
    for (const to of ['string', 'integer', 'number', 'decimal', 'boolean'] as const) {
      expect(apply({ cast: to }, null)).toBeNull();
    }
  });
});

describe('map and lookup', () => {
  it('replace known codes, refuse unknown ones, pass null', () => {
    expect(apply({ map: { Y: true, N: false } }, 'Y')).toBe(true);
    expect(apply({ map: { Y: true, N: false } }, 'N')).toBe(false);
    expect(apply({ lookup: 'status' }, 'X')).toBe('cancelled');
    expect(apply({ lookup: 'status' }, 1)).toBe('one');
    expect(apply({ lookup: 'status' }, null)).toBeNull();
    // Integer-like codes come first in a JS object, as the YAML parser hands them over.
    expect(ruleOf({ lookup: 'status' }, 'Z')).toBe('lookup: "Z" is not in status (known: 1, N, X)');
    // Codes are exact: trim first where the source pads.
    expect(ruleOf({ map: { Y: true } }, 'Y ')).toMatch(/^lookup/);
    expect(ruleOf({ map: { Y: true } }, 'y')).toMatch(/^lookup/);
  });
});

describe('default', () => {
  it('fills null only', () => {
    expect(apply({ default: 'n/a' }, null)).toBe('n/a');
    expect(apply({ default: 'n/a' }, '')).toBe('');
    expect(apply({ default: 0 }, 5)).toBe(5);
  });
});

describe('money', () => {
  it('turns decimal text and numbers into minor units of the default currency', () => {
    expect(apply('money', '12.50')).toBe(1250);
    expect(apply('money', 12.5)).toBe(1250);
    expect(apply('money', '-0.01')).toBe(-1);
    expect(apply('money', '12.500')).toBe(1250);
    expect(apply('money', null)).toBeNull();
  });

  it('uses the currency given, with its own minor unit', () => {
    expect(apply({ money: { currency: 'JPY' } }, '1500')).toBe(1500);
    expect(apply({ money: { currency: 'KWD' } }, '1.234')).toBe(1234);
    expect(ruleOf({ money: { currency: 'JPY' } }, '1500.5')).toBe(
      'money_scale: 1500.5 has more decimals than JPY allows (0)',
    );
  });

  it('reads the currency from a column of the row', () => {
    const step: TransformStep = { money: { currencyColumn: 'CUR' } };
    expect(apply(step, '10.00', { CUR: 'usd ' })).toBe(1000);
    expect(apply(step, '10', { CUR: 'JPY' })).toBe(10);
    expect(ruleOf(step, '10.00', { CUR: 'EURO' })).toBe(
      'currency: "EURO" in CUR is not an ISO 4217 currency code',
    );
    expect(ruleOf(step, '10.00', { CUR: null })).toMatch(/^currency/);
  });

  it('refuses more decimals than the currency has unless rounding is asked for', () => {
    expect(ruleOf('money', '12.345')).toBe('money_scale: 12.345 has more decimals than EUR allows (2)');
    expect(apply({ money: { rounding: 'halfUp' } }, '12.345')).toBe(1235);
    expect(apply({ money: { rounding: 'halfEven' } }, '12.345')).toBe(1234);
  });

  it('refuses what is not an amount', () => {
    expect(ruleOf('money', '12,50')).toBe('money_format: "12,50" is not a decimal amount');
    expect(ruleOf('money', true)).toMatch(/^money_format/);
    expect(ruleOf('money', '1e400')).toMatch(/^money_range/);
  });
});

describe('datetime and date', () => {
  it('reads local time in the source zone and gives UTC ISO text', () => {
    expect(apply('datetime', '2024-01-15 09:30:00')).toBe('2024-01-15T08:30:00.000Z');
    expect(apply('datetime', '2024-07-15 09:30:00')).toBe('2024-07-15T07:30:00.000Z');
    expect(apply('datetime', '2024-07-15')).toBe('2024-07-14T22:00:00.000Z');
    expect(apply({ datetime: { timeZone: 'America/New_York' } }, '2024-07-15 09:30')).toBe(
      '2024-07-15T13:30:00.000Z',
    );
  });

  it('keeps an offset the text carries, and Date values as they are', () => {
    expect(apply('datetime', '2024-07-15 09:30:00+00')).toBe('2024-07-15T09:30:00.000Z');
    expect(apply('datetime', '2024-07-15T09:30:00.5-02:00')).toBe('2024-07-15T11:30:00.500Z');
    expect(apply('datetime', new Date('2024-07-15T09:30:00Z'))).toBe('2024-07-15T09:30:00.000Z');
  });

  it('resolves daylight-saving edges by the disambiguation asked for', () => {
    // 2023-10-29 02:30 happened twice in Berlin; 2024-03-31 02:30 never happened.
    expect(apply('datetime', '2023-10-29 02:30:00')).toBe('2023-10-29T00:30:00.000Z');
    expect(apply({ datetime: { disambiguation: 'later' } }, '2023-10-29 02:30:00')).toBe(
      '2023-10-29T01:30:00.000Z',
    );
    expect(apply('datetime', '2024-03-31 02:30:00')).toBe('2024-03-31T01:30:00.000Z');
    expect(ruleOf({ datetime: { disambiguation: 'reject' } }, '2024-03-31 02:30:00')).toMatch(
      /^datetime_gap/,
    );
    expect(ruleOf({ datetime: { disambiguation: 'reject' } }, '2023-10-29 02:30:00')).toMatch(
      /^datetime_ambiguous/,
    );
  });

  it('refuses text that is no date/time', () => {
    expect(ruleOf('datetime', '31.12.2023 10:00')).toBe(
      'datetime_format: "31.12.2023 10:00" is not a date/time such as 2024-03-31 14:05:00',
    );
    expect(ruleOf('datetime', '2023-02-30 10:00')).toMatch(/^datetime_format/);
    expect(ruleOf('datetime', 20230101)).toMatch(/^datetime_format/);
    expect(apply('datetime', null)).toBeNull();
  });

  it('date keeps the calendar date, without any zone arithmetic', () => {
    expect(apply('date', '2024-03-31')).toBe('2024-03-31');
    expect(apply('date', '2024-03-31 23:59:59')).toBe('2024-03-31');
    expect(ruleOf('date', '2024-02-30')).toBe('date_format: "2024-02-30" is not a date such as 2024-03-31');
    expect(apply('date', null)).toBeNull();
  });
});

describe('expr step', () => {
  it('computes from the value so far and the row', () => {
    expect(apply({ expr: 'value * QTY' }, '2.5', { QTY: 4 })).toBe(10);
    expect(apply({ expr: "if(value == 'Y', 'express', 'standard')" }, 'Y')).toBe('express');
    expect(ruleOf({ expr: 'value / 0' }, 1)).toBe('expr: division by zero');
  });
});

describe('columnReader', () => {
  it('reads a column, falling back to a case-insensitive match', () => {
    expect(columnReader('CUST_ID')({ CUST_ID: 7 })).toBe(7);
    expect(columnReader('CUST_ID')({ cust_id: 8 })).toBe(8);
    expect(() => columnReader('CUST_ID')({ OTHER: 1 })).toThrow('column CUST_ID is not in the source row');
    expect(() => columnReader('constructor')({})).toThrow(/not in the source row/);
  });
});
