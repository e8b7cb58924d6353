// Requests to the payments API as one tenant, through `app.inject()`, with typed shortcuts for the
// commands tests need (authorize, capture, refund…), each sent with an Idempotency-Key.
import type { EventEnvelope } from '@only/contracts/envelope';
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

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';

/** A response as tests look at it. */
export interface ApiResponse {
  readonly status: number;
  readonly text: string;
  header(name: string): string | undefined;
  json(): unknown;
}

/** What a request may carry besides method and URL. */
export interface RequestOptions {
  readonly body?: unknown;
  readonly userId?: string;
  /** Sent as `Idempotency-Key`. */
  readonly key?: string;
  readonly query?: Readonly<Record<string, string | number | undefined>>;
}

/** How a {@link TenantClient} authenticates. */
export interface ClientIdentity {
  /** Roles of its tokens (default owner: every permission). */
  readonly roles?: readonly string[];
}

/** A caller of the payments API working in one tenant, with an access token of that tenant. */
export class TenantClient {
  private readonly api: PaymentsApi;
  private readonly identity: ClientIdentity;
  private readonly tokens = new Map<string, Promise<string>>();
  readonly tenantId: string;

  constructor(api: PaymentsApi, tenantId: string, identity: ClientIdentity = {}) {
    this.api = api;
    this.tenantId = tenantId;
    this.identity = identity;
  }

  /** The same tenant with other roles. */
  as(roles: readonly string[]): TenantClient {
    return new TenantClient(this.api, this.tenantId, { roles });
  }

  /** An access token of this tenant (for RPC calls). */
  token(subject = 'usr_test'): Promise<string> {
    let token = this.tokens.get(subject);
    if (token === undefined) {
      token = this.api.issuer.token({
        tenantId: this.tenantId,
        subject,
        ...(this.identity.roles === undefined ? {} : { roles: this.identity.roles }),
      });
      this.tokens.set(subject, token);
    }
    return token;
  }

  async request(method: Method, url: string, options: RequestOptions = {}): Promise<ApiResponse> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${await this.token(options.userId ?? 'usr_test')}`,
    };
    if (options.key !== undefined) headers['idempotency-key'] = options.key;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(options.query ?? {}))
      if (value !== undefined) params.append(key, String(value));
    const search = params.toString();
    const response = await this.api.app.inject({
      method,
      url: search === '' ? url : `${url}?${search}`,
      headers,
      ...(options.body === undefined ? {} : { payload: JSON.stringify(options.body) }),
    });
    return {
      status: response.statusCode,
      text: response.body,
      header(name) {
        const value = response.headers[name.toLowerCase()];
        if (value === undefined) return undefined;
        return Array.isArray(value) ? value.join(', ') : String(value);
      },
      json: () => JSON.parse(response.body) as unknown,
    };
  }

  get(url: string, options: RequestOptions = {}): Promise<ApiResponse> {
    return this.request('GET', url, options);
  }

  /** A POST with a fresh Idempotency-Key unless `options.key` names one (or is `null`: none). */
  post(url: string, body?: unknown, options: Omit<RequestOptions, 'key'> & { key?: string | null } = {}) {
    const { key, ...rest } = options;
    return this.request('POST', url, {
      ...rest,
      ...(body === undefined ? {} : { body }),
      ...(key === null ? {} : { key: key ?? aKey() }),
    });
  }

  patch(url: string, body?: unknown, options: RequestOptions = {}): Promise<ApiResponse> {
    return this.request('PATCH', url, body === undefined ? options : { ...options, body });
  }

  delete(url: string, options: RequestOptions = {}): Promise<ApiResponse> {
    return this.request('DELETE', url, options);
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

/** The parsed body when the status is as expected; otherwise an error showing what came back. */
export function expectStatus(response: ApiResponse, status: number): unknown {
  if (response.status !== status) {
    throw new Error(`Expected HTTP ${String(status)}, got ${String(response.status)}: ${response.text}`);
  }
  return response.text === '' ? undefined : response.json();
}
