// Requests to the payments API as one tenant, through `app.inject()`, with typed shortcuts for the
// commands tests need (authorize, capture, refund…), each sent with an Idempotency-Key.
import type { EventEnvelope } from '@only/contracts/envelope';
import {
  expectStatus,
  InjectClient,
  type ApiResponse,
  type ClientIdentity,
  type Method,
  type RequestOptions,
} from '@only/testing';
import {
  operationListSchema,
  paymentSchema,
  refundResultSchema,
  type OperationView,
  type PaymentView,
  type RefundResult,
} from '../../src/modules/payments/payments.dto.ts';
import { aKey, anAuthorizeBody, type AuthorizeBody } from './builders.ts';
import type { PaymentsApi } from './payments-api.ts';

export { expectStatus, type ClientIdentity } from '@only/testing';

/** What a request may carry besides method and URL, with its Idempotency-Key as `key`. */
export interface PaymentsRequestOptions extends RequestOptions {
  /** Sent as `Idempotency-Key`. */
  readonly key?: string;
}

/** A caller of the payments API working in one tenant, with an access token of that tenant. */
export class TenantClient extends InjectClient {
  private readonly api: PaymentsApi;

  constructor(api: PaymentsApi, tenantId: string, identity: ClientIdentity = {}) {
    super(api.app, api.issuer, tenantId, { subject: 'usr_test', ...identity });
    this.api = api;
  }

  /** The same tenant with other roles. */
  as(roles: readonly string[]): TenantClient {
    return new TenantClient(this.api, this.tenantId, { roles });
  }

  /** A request with `options.key`, if any, sent as `Idempotency-Key`. */
  override request(method: Method, url: string, options: PaymentsRequestOptions = {}): Promise<ApiResponse> {
    const { key, ...rest } = options;
    return super.request(method, url, key === undefined ? rest : { ...rest, idempotencyKey: key });
  }

  /** A POST with a fresh Idempotency-Key unless `options.key` names one (or is `null`: none). */
  override post(
    url: string,
    body?: unknown,
    options: Omit<PaymentsRequestOptions, 'key'> & { key?: string | null } = {},
  ): Promise<ApiResponse> {
    const { key, ...rest } = options;
    return this.request('POST', url, {
      ...rest,
      ...(body === undefined ? {} : { body }),
      ...(key === null ? {} : { key: key ?? aKey() }),
    });
  }

  /** Authorizes a payment (expects `status`, 201 by default). */
  async authorize(overrides: AuthorizeBody = {}, options: { key?: string; status?: number } = {}) {
    const response = await this.post('/payments', anAuthorizeBody(overrides), {
      key: options.key ?? aKey('auth'),
    });
    return paymentSchema.parse(expectStatus(response, options.status ?? 201));
  }

  /** An authorized payment of `amount`, captured in full. */
  async capturedPayment(amount = 1000): Promise<PaymentView> {
    const payment = await this.authorize({ amount });
    return this.capture(payment.id);
  }

  async capture(paymentId: string, body: { amount?: number } = {}, key = aKey('cap')): Promise<PaymentView> {
    return paymentSchema.parse(
      expectStatus(await this.post(`/payments/${paymentId}/capture`, body, { key }), 200),
    );
  }

  async void(paymentId: string, body: { reason?: string } = {}, key = aKey('void')): Promise<PaymentView> {
    return paymentSchema.parse(
      expectStatus(await this.post(`/payments/${paymentId}/void`, body, { key }), 200),
    );
  }

  async refund(paymentId: string, amount: number, key = aKey('rfd'), reason?: string): Promise<RefundResult> {
    const body = reason === undefined ? { amount } : { amount, reason };
    return refundResultSchema.parse(
      expectStatus(await this.post(`/payments/${paymentId}/refunds`, body, { key }), 201),
    );
  }

  async payment(paymentId: string): Promise<PaymentView> {
    return paymentSchema.parse(expectStatus(await this.get(`/payments/${paymentId}`), 200));
  }

  async operations(paymentId: string): Promise<OperationView[]> {
    return operationListSchema.parse(expectStatus(await this.get(`/payments/${paymentId}/operations`), 200))
      .items;
  }

  /** Published events of this tenant (publishes what is due first). */
  events(type?: string): Promise<EventEnvelope[]> {
    return this.api.eventsOf(this.tenantId, type);
  }
}
