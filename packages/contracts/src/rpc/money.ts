import { create } from '@bufbuild/protobuf';
import { MoneySchema, type Money } from '../gen/only/common/v1/money_pb.ts';

/** An amount as services compute it: integer minor units (a safe integer) and an ISO 4217 code. */
export interface MoneyAmount {
  readonly amount: number;
  readonly currency: string;
}

/** The wire form of an amount; `amount` must be a safe integer. */
export function toMoney(amount: number, currency: string): Money {
  if (!Number.isSafeInteger(amount)) throw new RangeError(`${String(amount)} is not a whole minor amount`);
  return create(MoneySchema, { amountMinor: BigInt(amount), currency });
}

/**
 * An amount read from the wire (`int64` arrives as a bigint); refuses values a JavaScript number
 * cannot hold exactly. An absent message is zero in `fallbackCurrency`.
 */
export function moneyOf(money: Money | undefined, fallbackCurrency = ''): MoneyAmount {
  if (money === undefined) return { amount: 0, currency: fallbackCurrency };
  const amount = Number(money.amountMinor);
  if (!Number.isSafeInteger(amount)) throw new RangeError(`${String(money.amountMinor)} is out of range`);
  return { amount, currency: money.currency };
}
