// Transform steps compiled to plain functions, built once per field so a row costs only the calls.
import { isCurrency, minorUnitDigits } from '@only/platform/money';
import { z } from 'zod';
import type { SourceRow } from '../connectors/source-connector.ts';
import { formatDecimal, parseDecimal, toMinorUnits, type MoneyRounding } from './decimal.ts';
import { compileExpression } from './expression.ts';
import type { TransformStep } from './mapping.schema.ts';
import { RuleViolation, show } from './rule-violation.ts';
import { parseDateTime, zonedToUtc, type Disambiguation } from './zoned-time.ts';

/** One compiled step: the value so far (and the row) in, the next value out; throws RuleViolation. */
export type Step = (value: unknown, row: SourceRow) => unknown;

/** What steps need from the rest of the mapping. */
export interface StepContext {
  readonly lookups: Readonly<Record<string, Readonly<Record<string, string | number | boolean | null>>>>;
  readonly currency: string | undefined;
  readonly timeZone: string | undefined;
}

const isBlank = (value: unknown) =>
  value === null || value === undefined || (typeof value === 'string' && value.trim() === '');

/** Applies a text function to text, and to each text in a list (from `columns`). */
const onText =
  (fn: (text: string) => string): Step =>
  (value) => {
    if (typeof value === 'string') return fn(value);
    if (Array.isArray(value))
      return value.map((item: unknown) => (typeof item === 'string' ? fn(item) : item));
    return value;
  };

const emailSchema = z.email();

/** Reads a column, matching its name ignoring case if the source spells it differently. */
export function columnReader(column: string): (row: SourceRow) => unknown {
  let resolved = column;
  return (row) => {
    // Own properties only, so a column named like an Object method never reads the prototype.
    if (Object.hasOwn(row, resolved)) return row[resolved];
    const match = Object.keys(row).find((key) => key.toLowerCase() === column.toLowerCase());
    if (match === undefined) throw new RuleViolation('column', `column ${column} is not in the source row`);
    resolved = match;
    return row[match];
  };
}

const digitsCache = new Map<string, number>();
function currencyDigits(currency: string): number {
  let digits = digitsCache.get(currency);
  if (digits === undefined) {
    digits = minorUnitDigits(currency);
    digitsCache.set(currency, digits);
  }
  return digits;
}

function money(
  options: {
    currency?: string | undefined;
    currencyColumn?: string | undefined;
    rounding?: MoneyRounding | undefined;
  },
  context: StepContext,
): Step {
  const rounding = options.rounding ?? 'reject';
  const readCurrency =
    options.currencyColumn === undefined ? undefined : columnReader(options.currencyColumn);
  const fixed = options.currency ?? context.currency;
  return (value, row) => {
    if (value === null || value === undefined) return null;
    let currency = fixed;
    if (readCurrency !== undefined) {
      const code = readCurrency(row);
      currency = typeof code === 'string' ? code.trim().toUpperCase() : undefined;
      if (currency === undefined || !isCurrency(currency)) {
        throw new RuleViolation(
          'currency',
          `${show(code)} in ${options.currencyColumn ?? ''} is not an ISO 4217 currency code`,
        );
      }
    }
    if (currency === undefined) throw new RuleViolation('currency', 'no currency for this amount');
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw new RuleViolation('money_format', `${show(value)} is not a decimal amount`);
    }
    const result = toMinorUnits(value, currencyDigits(currency), rounding, currency);
    if (!result.ok) throw new RuleViolation(result.rule, result.message);
    return result.units;
  };
}

function datetime(
  options: { timeZone?: string | undefined; disambiguation?: Disambiguation | undefined },
  context: StepContext,
): Step {
  const timeZone = options.timeZone ?? context.timeZone ?? 'UTC';
  const disambiguation = options.disambiguation ?? 'compatible';
  return (value) => {
    if (value === null || value === undefined) return null;
    if (value instanceof Date) {
      if (Number.isNaN(value.getTime())) throw new RuleViolation('datetime_format', 'invalid date');
      return value.toISOString();
    }
    const parsed = typeof value === 'string' ? parseDateTime(value) : null;
    if (parsed === null) {
      throw new RuleViolation(
        'datetime_format',
        `${show(value)} is not a date/time such as 2024-03-31 14:05:00`,
      );
    }
    const { local } = parsed;
    let epochMs: number;
    if (parsed.offsetMs !== null) {
      epochMs =
        Date.UTC(
          local.year,
          local.month - 1,
          local.day,
          local.hour,
          local.minute,
          local.second,
          local.millisecond,
        ) - parsed.offsetMs;
    } else {
      const result = zonedToUtc(local, timeZone, disambiguation);
      if (!result.ok) throw new RuleViolation(result.rule, result.message);
      epochMs = result.epochMs;
    }
    return new Date(epochMs).toISOString();
  };
}

const date: Step = (value) => {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  const parsed = typeof value === 'string' ? parseDateTime(value) : null;
  if (parsed === null)
    throw new RuleViolation('date_format', `${show(value)} is not a date such as 2024-03-31`);
  const { year, month, day } = parsed.local;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
};

function concat(separator: string): Step {
  return (value) => {
    if (!Array.isArray(value)) return value;
    const parts = (value as unknown[])
      .filter((part) => !isBlank(part))
      .map((part) => (typeof part === 'string' ? part : String(part)));
    return parts.length === 0 ? null : parts.join(separator);
  };
}

const TRUE = new Set(['true', '1', 'yes', 'y']);
const FALSE = new Set(['false', '0', 'no', 'n']);

function cast(to: 'string' | 'integer' | 'number' | 'decimal' | 'boolean'): Step {
  return (value) => {
    if (value === null || value === undefined) return null;
    const fail = (what: string): never => {
      throw new RuleViolation('cast', `${show(value)} is not ${what}`);
    };
    switch (to) {
      case 'string':
        if (typeof value === 'string') return value;
        if (typeof value === 'number' || typeof value === 'boolean') return String(value);
        return fail('text');
      case 'boolean': {
        if (typeof value === 'boolean') return value;
        const text =
          typeof value === 'number' || typeof value === 'string' ? String(value).trim().toLowerCase() : '';
        if (TRUE.has(text)) return true;
        if (FALSE.has(text)) return false;
        return fail('a yes/no value');
      }
      default: {
        if (typeof value !== 'string' && typeof value !== 'number') return fail('a number');
        const parts = parseDecimal(value);
        if (parts === null) return fail('a number');
        if (to === 'decimal') return formatDecimal(parts);
        if (to === 'number') return Number(formatDecimal(parts));
        if (parts.fraction !== '') return fail('a whole number');
        const n = Number(formatDecimal(parts));
        if (!Number.isSafeInteger(n)) return fail('a whole number within ±9007199254740991');
        return n;
      }
    }
  };
}

function mapCodes(table: Readonly<Record<string, string | number | boolean | null>>, name: string): Step {
  const entries = new Map(Object.entries(table));
  const known = [...entries.keys()].slice(0, 12).join(', ');
  return (value) => {
    if (value === null || value === undefined) return null;
    const code = typeof value === 'string' ? value : show(value);
    const mapped = entries.get(code);
    if (mapped === undefined)
      throw new RuleViolation('lookup', `${show(value)} is not in ${name} (known: ${known})`);
    return mapped;
  };
}

function toNumberOrFail(value: unknown, rule: 'min' | 'max'): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const parts = parseDecimal(value);
    if (parts !== null) return Number(formatDecimal(parts));
  }
  throw new RuleViolation('type', `${show(value)} is not a number (for ${rule})`);
}

/** Compiles one transform step of a mapping file. */
export function compileStep(step: TransformStep, context: StepContext): Step {
  if (typeof step === 'string') {
    switch (step) {
      case 'trim':
        return onText((text) => text.trim());
      case 'trimStart':
        return onText((text) => text.trimStart());
      case 'trimEnd':
        return onText((text) => text.trimEnd());
      case 'upper':
        return onText((text) => text.toUpperCase());
      case 'lower':
        return onText((text) => text.toLowerCase());
      case 'nullIfEmpty':
        return (value) => {
          if (Array.isArray(value)) return value.map((item: unknown) => (isBlank(item) ? null : item));
          return isBlank(value) ? null : value;
        };
      case 'required':
        return (value) => {
          if (isBlank(value) || (Array.isArray(value) && value.every(isBlank))) {
            throw new RuleViolation(
              'required',
              value === null || value === undefined
                ? 'is required but the source value is null'
                : 'is required but the source value is blank',
            );
          }
          return value;
        };
      case 'email':
        return (value) => {
          if (value === null || value === undefined) return null;
          if (typeof value !== 'string' || !emailSchema.safeParse(value).success) {
            throw new RuleViolation('email', `${show(value)} is not an e-mail address`);
          }
          return value;
        };
      case 'money':
        return money({}, context);
      case 'datetime':
        return datetime({}, context);
      case 'date':
        return date;
      case 'concat':
        return concat('');
    }
  }
  if ('cast' in step) return cast(step.cast);
  if ('map' in step) return mapCodes(step.map, 'the map');
  if ('lookup' in step) {
    const table = context.lookups[step.lookup];
    if (table === undefined) throw new TypeError(`no lookup named ${step.lookup}`);
    return mapCodes(table, step.lookup);
  }
  if ('money' in step) return money(step.money, context);
  if ('datetime' in step) return datetime(step.datetime, context);
  if ('default' in step) {
    const fallback = step.default;
    return (value) => (value === null || value === undefined ? fallback : value);
  }
  if ('concat' in step) return concat(step.concat.separator ?? '');
  if ('match' in step) {
    const pattern = new RegExp(`^(?:${step.match.pattern})$`, 'u');
    const message = step.match.message;
    return (value) => {
      if (value === null || value === undefined) return null;
      const text = typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
      if (text === undefined || !pattern.test(text)) {
        throw new RuleViolation('pattern', message ?? `${show(value)} does not match ${step.match.pattern}`);
      }
      return value;
    };
  }
  if ('min' in step) {
    const min = step.min;
    return (value) => {
      if (value === null || value === undefined) return null;
      if (toNumberOrFail(value, 'min') < min)
        throw new RuleViolation('min', `${show(value)} is below the minimum ${min}`);
      return value;
    };
  }
  if ('max' in step) {
    const max = step.max;
    return (value) => {
      if (value === null || value === undefined) return null;
      if (toNumberOrFail(value, 'max') > max)
        throw new RuleViolation('max', `${show(value)} is above the maximum ${max}`);
      return value;
    };
  }
  if ('length' in step) {
    const { min, max } = step.length;
    return (value) => {
      if (value === null || value === undefined) return null;
      if (typeof value !== 'string')
        throw new RuleViolation('type', `${show(value)} is not text (for length)`);
      // Characters are code points, as in SQL's char_length.
      let length = 0;
      for (const _char of value) length++;
      if (min !== undefined && length < min) {
        throw new RuleViolation('min_length', `${show(value)} is shorter than ${min} characters`);
      }
      if (max !== undefined && length > max) {
        throw new RuleViolation('max_length', `${show(value)} is longer than ${max} characters`);
      }
      return value;
    };
  }
  const expression = compileExpression(step.expr, { valueName: true });
  return (value, row) => expression.evaluate({ row, value });
}
