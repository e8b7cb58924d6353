import { z } from 'zod';

/** An amount in integer minor units of its currency (cents for EUR). */
export const paymentMoneySchema = z.object({
  amount: z.number().int().nonnegative(),
  currency: z.string().length(3),
});
export type PaymentMoney = z.infer<typeof paymentMoneySchema>;

/** What the payment method's token told about the card: never the number, at most brand and last 4. */
export const cardSummarySchema = z.object({
  brand: z.string().nullable(),
  last4: z
    .string()
    .regex(/^\d{4}$/)
    .nullable(),
});
export type CardSummary = z.infer<typeof cardSummarySchema>;

/** Who a payment belongs to: every payment event carries it. */
export const paymentRefSchema = z.object({
  paymentId: z.string(),
  /** The order paid for (`ord_…`). */
  orderId: z.string(),
  customerId: z.string().nullable(),
  /** Name of the provider adapter that holds the payment: `test`. */
  provider: z.string(),
  /** The provider's id of the payment; null when the provider never gave one. */
  providerReference: z.string().nullable(),
});

/**
 * Why a payment failed: `card_declined`, `insufficient_funds`, `authentication_failed`,
 * `invalid_payment_method`, or another code a provider adapter reports.
 */
export const failureCodeSchema = z.string().regex(/^[a-z][a-z0-9_]*$/);
