// Request bodies with sensible, unique defaults; tests override only what they are about.
import { randomBytes } from 'node:crypto';
import { newId } from '@only/platform/ids';

let sequence = 0;

/** An Idempotency-Key unique within the test run. */
export function aKey(prefix = 'key'): string {
  sequence += 1;
  return `${prefix}-${String(sequence)}-${randomBytes(4).toString('hex')}`;
}

/** The body of POST /payments. */
export interface AuthorizeBody {
  orderId?: string;
  amount?: number;
  currency?: string;
  paymentToken?: string;
  customerId?: string;
  provider?: string;
}

export function anAuthorizeBody(overrides: AuthorizeBody = {}): AuthorizeBody {
  return {
    orderId: newId('ord'),
    amount: 2590,
    currency: 'EUR',
    paymentToken: 'tok_test_approve_visa_4242',
    ...overrides,
  };
}
