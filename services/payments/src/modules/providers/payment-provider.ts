/**
 * The contract between the payments service and a payment processor. An adapter translates it to
 * one processor's API; the service never learns more about a card than a token and, when the
 * token tells, its brand and last four digits.
 */

/** What a payment method's token says about the card: never the number. */
export interface CardSummary {
  readonly brand: string | null;
  readonly last4: string | null;
}

/** What the customer must do before a payment can be authorized. */
export interface NextAction {
  /** Confirm the payment with the card issuer (3-D Secure or similar). */
  readonly type: 'authenticate';
  /** Where the customer does it, when the provider hosts the page. */
  readonly url: string | null;
}

/** How the service calls an adapter. */
export interface ProviderCallOptions {
  /**
   * The provider-side idempotency key of the operation: a retry of the same operation (after an
   * unknown outcome) sends the same key, and the processor must then answer with the first
   * outcome instead of acting twice.
   */
  readonly idempotencyKey: string;
  /** 1 for the first call of the operation, 2 and up for retries with the same key. */
  readonly attempt: number;
  /** Aborted when the service stops waiting; the outcome is then unknown. */
  readonly signal: AbortSignal;
}

export interface ProviderAuthorizeRequest {
  /** Our id of the payment (`pay_…`), for the processor's records. */
  readonly reference: string;
  readonly amount: number;
  readonly currency: string;
  /** The payment method's token. Never logged, never stored. */
  readonly paymentToken: string;
}

/** A decline: the processor answered, and the answer is no. */
export interface ProviderDecline {
  readonly status: 'declined';
  /** `card_declined`, `insufficient_funds`, `authentication_failed`, `invalid_payment_method`… */
  readonly declineCode: string;
  /** Fit to show to the customer. */
  readonly message: string;
}

/** The answer to an authorization (or to the completion of its authentication). */
export type AuthorizeOutcome =
  | { readonly status: 'authorized'; readonly providerReference: string; readonly card: CardSummary | null }
  | {
      readonly status: 'requires_action';
      readonly providerReference: string;
      readonly card: CardSummary | null;
      readonly action: NextAction;
    }
  | (ProviderDecline & { readonly providerReference: string | null; readonly card: CardSummary | null });

/** The answer to a capture, void or refund. */
export type OperationOutcome =
  | {
      readonly status: 'succeeded';
      /** The processor's id of this operation (a capture or refund id); its payment's otherwise. */
      readonly providerReference: string;
    }
  | ProviderDecline;

/** The customer's answer to an authentication challenge, as the test provider lets tests choose it. */
export type AuthenticationResult = 'succeeded' | 'failed';

/**
 * A payment processor adapter. Every call may time out or fail in transit (reject): the service
 * then treats its outcome as unknown and retries it later with the same `idempotencyKey`.
 */
export interface PaymentProvider {
  /** Registry name, stored on each payment: `test`. */
  readonly name: string;
  authorize(request: ProviderAuthorizeRequest, options: ProviderCallOptions): Promise<AuthorizeOutcome>;
  /**
   * The outcome of the customer's authentication of a payment that required it. Real adapters ask
   * the processor; `simulate` is only honoured by the test provider.
   */
  completeAuthentication(
    request: {
      readonly providerReference: string;
      readonly amount: number;
      readonly currency: string;
      readonly simulate?: AuthenticationResult;
    },
    options: ProviderCallOptions,
  ): Promise<AuthorizeOutcome>;
  capture(
    request: { readonly providerReference: string; readonly amount: number; readonly currency: string },
    options: ProviderCallOptions,
  ): Promise<OperationOutcome>;
  void(
    request: { readonly providerReference: string },
    options: ProviderCallOptions,
  ): Promise<OperationOutcome>;
  refund(
    request: { readonly providerReference: string; readonly amount: number; readonly currency: string },
    options: ProviderCallOptions,
  ): Promise<OperationOutcome>;
}
