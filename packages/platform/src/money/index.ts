/**
 * Money: integer minor units with an ISO 4217 currency, and exact arithmetic on them.
 * @module
 */
export {
  MAX_AMOUNT,
  isCurrency,
  minorUnitDigits,
  currencySchema,
  amountSchema,
  mulDivRound,
  sumAmounts,
  multiplyAmount,
  formatMoney,
  AmountOverflowError,
} from './money.ts';
