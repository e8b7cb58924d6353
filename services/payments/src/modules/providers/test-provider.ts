import { createHash } from 'node:crypto';
import type {
  AuthorizeOutcome,
  CardSummary,
  OperationOutcome,
  PaymentProvider,
  ProviderCallOptions,
} from './payment-provider.ts';

/** What a test card token makes the test provider do. */
export const TEST_CARD_OUTCOMES = [
  'approve',
  'decline',
  'insufficient_funds',
  'timeout',
  'requires_action',
] as const;
export type TestCardOutcome = (typeof TEST_CARD_OUTCOMES)[number];

/**
 * `tok_test_<outcome>`, optionally followed by `_<brand>_<last4>` to tell the card's brand and
 * last four digits (`tok_test_approve_visa_4242`).
 */
const TOKEN = new RegExp(`^tok_test_(${TEST_CARD_OUTCOMES.join('|')})(?:_([a-z]{2,20})_(\\d{4}))?$`);

/** What a test card token encodes, or undefined for a token the test provider does not know. */
export function parseTestCardToken(
  token: string,
): { outcome: TestCardOutcome; card: CardSummary | null } | undefined {
  const match = TOKEN.exec(token);
  if (match === null) return undefined;
  const [, outcome, brand, last4] = match;
  return {
    outcome: outcome as TestCardOutcome,
    card: brand === undefined || last4 === undefined ? null : { brand, last4 },
  };
}

/** One call the test provider received, for tests to count (never the token). */
export interface TestProviderCall {
  readonly operation: 'authorize' | 'completeAuthentication' | 'capture' | 'void' | 'refund';
  readonly idempotencyKey: string;
  readonly attempt: number;
}

/** An amount the test provider holds or moved, by provider reference. */
export interface TestLedgerEntry {
  readonly operation: 'authorize' | 'capture' | 'void' | 'refund';
  readonly providerReference: string;
  readonly amount: number;
  readonly currency: string;
}

/** A stable reference for an idempotency key: a retry with the same key finds the same payment. */
function referenceOf(prefix: string, idempotencyKey: string): string {
  return `${prefix}_${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 24)}`;
}

/** Waits until the caller gives up, then rejects as a network timeout would. */
function hangUntilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    const fail = () => {
      reject(new Error('test provider: no answer (simulated processor timeout)'));
    };
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
}

/**
 * The built-in provider for development, demos and tests: no network, outcomes chosen by the test
 * card token (see {@link TEST_CARD_OUTCOMES}). It behaves like a processor with idempotency keys:
 * a repeated key gets the first answer and moves no money twice, so `ledger()` shows what a real
 * processor would have charged. `tok_test_timeout` authorizes on the first call but never answers
 * it (the worst case: money reserved, answer lost); a retry with the same key answers with that
 * same authorization. Captures, voids and refunds always succeed: the service checks amounts.
 */
export class TestPaymentProvider implements PaymentProvider {
  readonly name = 'test';
  private readonly received: TestProviderCall[] = [];
  private readonly entries = new Map<string, TestLedgerEntry>();

  /** Every call so far, oldest first. */
  calls(): readonly TestProviderCall[] {
    return [...this.received];
  }

  /** Money the provider reserved or moved, one entry per distinct operation. */
  ledger(): readonly TestLedgerEntry[] {
    return [...this.entries.values()];
  }

  private record(call: TestProviderCall): void {
    this.received.push(call);
  }

  private book(idempotencyKey: string, entry: TestLedgerEntry): void {
    // Keyed by the idempotency key: a retried operation is booked once.
    if (!this.entries.has(idempotencyKey)) this.entries.set(idempotencyKey, entry);
  }

  authorize(
    request: { reference: string; amount: number; currency: string; paymentToken: string },
    options: ProviderCallOptions,
  ): Promise<AuthorizeOutcome> {
    this.record({ operation: 'authorize', idempotencyKey: options.idempotencyKey, attempt: options.attempt });
    const parsed = parseTestCardToken(request.paymentToken);
    if (parsed === undefined)
      return Promise.resolve({
        status: 'declined',
        declineCode: 'invalid_payment_method',
        message: 'The payment method is not valid.',
        providerReference: null,
        card: null,
      });
    const providerReference = referenceOf('tp', options.idempotencyKey);
    const { card } = parsed;
    switch (parsed.outcome) {
      case 'approve':
        this.book(options.idempotencyKey, {
          operation: 'authorize',
          providerReference,
          amount: request.amount,
          currency: request.currency,
        });
        return Promise.resolve({ status: 'authorized', providerReference, card });
      case 'decline':
        return Promise.resolve({
          status: 'declined',
          declineCode: 'card_declined',
          message: 'The card was declined.',
          providerReference,
          card,
        });
      case 'insufficient_funds':
        return Promise.resolve({
          status: 'declined',
          declineCode: 'insufficient_funds',
          message: 'The card has insufficient funds.',
          providerReference,
          card,
        });
      case 'timeout':
        this.book(options.idempotencyKey, {
          operation: 'authorize',
          providerReference,
          amount: request.amount,
          currency: request.currency,
        });
        if (options.attempt === 1) return hangUntilAborted(options.signal);
        return Promise.resolve({ status: 'authorized', providerReference, card });
      case 'requires_action':
        return Promise.resolve({
          status: 'requires_action',
          providerReference,
          card,
          action: { type: 'authenticate', url: null },
        });
    }
  }

  completeAuthentication(
    request: {
      providerReference: string;
      amount: number;
      currency: string;
      simulate?: 'succeeded' | 'failed';
    },
    options: ProviderCallOptions,
  ): Promise<AuthorizeOutcome> {
    this.record({
      operation: 'completeAuthentication',
      idempotencyKey: options.idempotencyKey,
      attempt: options.attempt,
    });
    if (request.simulate !== 'succeeded')
      return Promise.resolve({
        status: 'declined',
        declineCode: 'authentication_failed',
        message: 'The customer did not complete the authentication.',
        providerReference: request.providerReference,
        card: null,
      });
    this.book(options.idempotencyKey, {
      operation: 'authorize',
      providerReference: request.providerReference,
      amount: request.amount,
      currency: request.currency,
    });
    return Promise.resolve({
      status: 'authorized',
      providerReference: request.providerReference,
      card: null,
    });
  }

  capture(
    request: { providerReference: string; amount: number; currency: string },
    options: ProviderCallOptions,
  ): Promise<OperationOutcome> {
    return this.move('capture', 'tpc', request, options);
  }

  void(request: { providerReference: string }, options: ProviderCallOptions): Promise<OperationOutcome> {
    return this.move('void', 'tpv', { ...request, amount: 0, currency: '' }, options);
  }

  refund(
    request: { providerReference: string; amount: number; currency: string },
    options: ProviderCallOptions,
  ): Promise<OperationOutcome> {
    return this.move('refund', 'tpr', request, options);
  }

  private move(
    operation: 'capture' | 'void' | 'refund',
    prefix: string,
    request: { providerReference: string; amount: number; currency: string },
    options: ProviderCallOptions,
  ): Promise<OperationOutcome> {
    this.record({ operation, idempotencyKey: options.idempotencyKey, attempt: options.attempt });
    const providerReference = referenceOf(prefix, options.idempotencyKey);
    this.book(options.idempotencyKey, {
      operation,
      providerReference: request.providerReference,
      amount: request.amount,
      currency: request.currency,
    });
    return Promise.resolve({ status: 'succeeded', providerReference });
  }
}
