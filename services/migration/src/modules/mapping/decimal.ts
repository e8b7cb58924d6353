// Exact decimal text → integer minor units. Money never passes through a float here: the digits are
// moved as text and summed as bigint.
import { MAX_AMOUNT } from '@only/platform/money';

/** A decimal split into its digits: `-012.340` → { negative, whole: '12', fraction: '34' }. */
export interface DecimalParts {
  readonly negative: boolean;
  /** Digits before the point, without leading zeros ('0' for none). */
  readonly whole: string;
  /** Digits after the point, without trailing zeros ('' for none). */
  readonly fraction: string;
}

const DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,4}))?$/;

/**
 * Parses decimal text (`12.50`, `-0.5`, `.5`, `1e-3`, `1,234.50` is refused) or a JS number (by its
 * shortest round-trip text, which is exact for decimals of up to 15 significant digits). Null when
 * it is not a decimal.
 */
export function parseDecimal(input: string | number): DecimalParts | null {
  let text: string;
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return null;
    text = String(input);
  } else {
    text = input.trim();
  }
  const match = DECIMAL.exec(text);
  if (match === null) return null;
  const [, sign, wholeDigits = '', fractionDigits = '', exponentText] = match;
  if (wholeDigits === '' && fractionDigits === '') return null;
  let digits = wholeDigits + fractionDigits;
  let point = wholeDigits.length + (exponentText === undefined ? 0 : Number(exponentText));
  // Shift the point over the digit string, padding with zeros where it moves past either end.
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  } else if (point > digits.length) {
    digits = digits + '0'.repeat(point - digits.length);
  }
  const whole = digits.slice(0, point).replace(/^0+/, '') || '0';
  const fraction = digits.slice(point).replace(/0+$/, '');
  const isZero = whole === '0' && fraction === '';
  return { negative: sign === '-' && !isZero, whole, fraction };
}

/** Canonical text of a decimal: `-12.34`, `0`, `0.5`. */
export function formatDecimal(parts: DecimalParts): string {
  const body = parts.fraction === '' ? parts.whole : `${parts.whole}.${parts.fraction}`;
  return parts.negative ? `-${body}` : body;
}

/** What to do with digits beyond the currency's minor unit. */
export type MoneyRounding = 'reject' | 'halfUp' | 'halfEven';

/** Outcome of {@link toMinorUnits}. */
export type MinorUnitsResult =
  | { readonly ok: true; readonly units: number }
  | {
      readonly ok: false;
      readonly rule: 'money_format' | 'money_scale' | 'money_range';
      readonly message: string;
    };

/**
 * Amount in minor units: `12.50` EUR (2 digits) → 1250. Trailing zeros beyond the currency's digits
 * are fine (`12.500` → 1250); significant ones are refused unless `rounding` says how to round
 * (`halfUp` = half away from zero, `halfEven` = banker's).
 */
export function toMinorUnits(
  input: string | number,
  digits: number,
  rounding: MoneyRounding = 'reject',
  currency = 'the currency',
): MinorUnitsResult {
  const parts = parseDecimal(input);
  if (parts === null) {
    return { ok: false, rule: 'money_format', message: `${JSON.stringify(input)} is not a decimal amount` };
  }
  const kept = parts.fraction.slice(0, digits).padEnd(digits, '0');
  const dropped = parts.fraction.slice(digits);
  let units = BigInt(parts.whole + kept);
  if (dropped !== '') {
    if (rounding === 'reject') {
      return {
        ok: false,
        rule: 'money_scale',
        message: `${formatDecimal(parts)} has more decimals than ${currency} allows (${digits})`,
      };
    }
    const first = dropped.charCodeAt(0) - 48;
    const rest = dropped.slice(1).replace(/0+$/, '');
    const lastKept = digits === 0 ? Number(parts.whole.at(-1) ?? '0') : Number(kept.at(-1) ?? '0');
    const up = first > 5 || (first === 5 && (rest !== '' || rounding === 'halfUp' || lastKept % 2 === 1));
    if (up) units += 1n;
  }
  if (units > BigInt(MAX_AMOUNT)) {
    return {
      ok: false,
      rule: 'money_range',
      message: `${formatDecimal(parts)} is too large for an exact amount`,
    };
  }
  const value = Number(units);
  return { ok: true, units: parts.negative && value !== 0 ? -value : value };
}
