import { z } from 'zod';

/** Largest amount (in minor units) any money field may hold: totals stay exact as JS numbers. */
export const MAX_AMOUNT = Number.MAX_SAFE_INTEGER;

const CURRENCIES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));

/** True for an ISO 4217 alphabetic code known to this runtime, e.g. `EUR`. */
export function isCurrency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && CURRENCIES.has(code);
}

/** Number of minor-unit digits of a currency: 2 for EUR, 0 for JPY, 3 for KWD. */
export function minorUnitDigits(currency: string): number {
  return (
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
  );
}

/** Zod schema of an ISO 4217 currency code. */
export const currencySchema = z
  .string()
  .refine(isCurrency, {
    message: 'Must be an ISO 4217 currency code such as EUR or USD',
    params: { rule: 'currency' },
  })
  .meta({ description: 'ISO 4217 currency code.', example: 'EUR' });

/** Zod schema of an amount in integer minor units (cents for EUR), zero or more. */
export const amountSchema = z
  .number()
  .int()
  .min(0)
  .max(MAX_AMOUNT)
  .meta({ description: 'Amount in integer minor units of the currency (e.g. cents).', example: 1999 });

/**
 * `amount × numerator / denominator`, rounded half away from zero, exact for every safe integer
 * amount (computed in bigint). Used for tax rates in basis points and for proration.
 */
export function mulDivRound(amount: number, numerator: number, denominator: number): number {
  if (denominator === 0) throw new RangeError('denominator must not be zero');
  const product = BigInt(amount) * BigInt(numerator);
  const d = BigInt(denominator);
  const quotient = product / d;
  const remainder = product % d;
  const twice = (remainder < 0n ? -remainder : remainder) * 2n;
  const absD = d < 0n ? -d : d;
  const negative = product < 0n !== d < 0n;
  const rounded = twice >= absD ? quotient + (negative ? -1n : 1n) : quotient;
  return toSafe(rounded);
}

/** Sum of amounts, refusing to leave the exact integer range. */
export function sumAmounts(amounts: Iterable<number>): number {
  let total = 0n;
  for (const amount of amounts) total += BigInt(amount);
  return toSafe(total);
}

/** `unit × quantity`, refusing to leave the exact integer range. */
export function multiplyAmount(unit: number, quantity: number): number {
  return toSafe(BigInt(unit) * BigInt(quantity));
}

/** Raised when an amount would not be exact any more; services turn it into a 422. */
export class AmountOverflowError extends RangeError {
  constructor() {
    super('Amount exceeds the largest exact integer');
    this.name = 'AmountOverflowError';
  }
}

function toSafe(value: bigint): number {
  if (value > BigInt(MAX_AMOUNT) || value < -BigInt(MAX_AMOUNT)) throw new AmountOverflowError();
  return Number(value);
}

/** Human rendering of an amount, e.g. `formatMoney(1999, 'EUR')` → `€19.99`. */
export function formatMoney(amount: number, currency: string, locale = 'en'): string {
  const digits = minorUnitDigits(currency);
  const format = new Intl.NumberFormat(locale, { style: 'currency', currency });
  if (!Number.isSafeInteger(amount)) return format.format(amount / 10 ** digits);
  // Format the exact decimal string: `amount / 10 ** digits` is not exact for large amounts.
  const units = String(Math.abs(amount)).padStart(digits + 1, '0');
  const decimal = digits === 0 ? units : `${units.slice(0, -digits)}.${units.slice(-digits)}`;
  return format.format(`${amount < 0 ? '-' : ''}${decimal}` as `${number}`);
}
