// Requests to the orders API as one tenant, through `app.inject()`, with typed shortcuts for the
// setup steps tests need (create a customer, place an order, move it along its lifecycle).
import type { OrderStatus } from '@only/contracts/orders';
import type { EventEnvelope } from '@only/contracts/envelope';
import { customerSchema, type Customer } from '../../src/modules/customers/customers.dto.ts';
import type { OrderAction } from '../../src/modules/orders/order-state-machine.ts';
import { orderSchema, type Order } from '../../src/modules/orders/orders.dto.ts';
import { aCustomerBody, anOrderBody, type CustomerBody, type OrderBody } from './builders.ts';
import type { RowCounts } from './db.ts';
import type { OrdersApi } from './orders-api.ts';

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';

/** A response as tests look at it. */
export interface ApiResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | number | undefined>>;
  /** The raw body. */
  readonly text: string;
  /** One header as a string (undefined when absent). */
  header(name: string): string | undefined;
  /** The body parsed as JSON. */
  json(): unknown;
}

/** What a request may carry besides method and URL. */
export interface RequestOptions {
  /** Sent as JSON (`content-type: application/json`). */
  readonly body?: unknown;
  /** Sent exactly as given, with `contentType` (default `application/json`). */
  readonly rawBody?: string;
  readonly contentType?: string;
  readonly idempotencyKey?: string;
  /** The subject of the access token sent: the actor of changes. */
  readonly userId?: string;
  readonly correlationId?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Query parameters, URL-encoded (repeat a key by giving an array). */
  readonly query?: Readonly<Record<string, string | number | readonly string[] | undefined>>;
}

/** Options of a shortcut that changes something. */
export type ChangeOptions = Pick<RequestOptions, 'idempotencyKey' | 'userId' | 'correlationId'>;

/** The request path of an order action. */
export const actionPath = (orderId: string, action: OrderAction): string => `/orders/${orderId}/${action}`;

/** Actions that lead a new (pending) order to `status`. */
export const PATH_TO: Readonly<Record<OrderStatus, readonly OrderAction[]>> = {
  pending: [],
  confirmed: ['confirm'],
  fulfilled: ['confirm', 'fulfill'],
  completed: ['confirm', 'fulfill', 'complete'],
  cancelled: ['cancel'],
};

function queryString(query: RequestOptions['query']): string {
  if (query === undefined) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (typeof value === 'string' || typeof value === 'number') params.append(key, String(value));
    else for (const item of value) params.append(key, item);
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** How a {@link TenantClient} authenticates. */
export interface ClientIdentity {
  /** Roles of its tokens (default owner: every permission). */
  readonly roles?: readonly string[];
  /** Send no token at all. */
  readonly anonymous?: boolean;
}

/** A caller of the orders API working in one tenant, with an access token of that tenant. */
export class TenantClient {
  private readonly api: OrdersApi;
  /** How many of the tenant's events {@link newEvents} has already handed out or skipped. */
  private eventsSeen = 0;
  private readonly identity: ClientIdentity;
  private readonly tokens = new Map<string, Promise<string>>();
  /** The tenant the requests work in (the `tid` of its tokens). */
  readonly tenantId: string;

  constructor(api: OrdersApi, tenantId: string, identity: ClientIdentity = {}) {
    this.api = api;
    this.tenantId = tenantId;
    this.identity = identity;
  }

  /** A token of this client's tenant and roles for `subject` (one per subject, reused). */
  private token(subject: string): Promise<string> {
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
    const headers: Record<string, string> = {};
    if (this.identity.anonymous !== true)
      headers.authorization = `Bearer ${await this.token(options.userId ?? 'usr_test')}`;
    if (options.idempotencyKey !== undefined) headers['idempotency-key'] = options.idempotencyKey;
    if (options.correlationId !== undefined) headers['x-correlation-id'] = options.correlationId;
    let payload: string | undefined;
    if (options.rawBody !== undefined) {
      payload = options.rawBody;
      headers['content-type'] = options.contentType ?? 'application/json';
    } else if (options.body !== undefined) {
      payload = JSON.stringify(options.body);
      headers['content-type'] = options.contentType ?? 'application/json';
    }
    Object.assign(headers, options.headers);
    const response = await this.api.app.inject({
      method,
      url: `${url}${queryString(options.query)}`,
      headers,
      ...(payload === undefined ? {} : { payload }),
    });
    const text = response.body;
    return {
      status: response.statusCode,
      headers: response.headers,
      text,
      header(name) {
        const value = response.headers[name.toLowerCase()];
        if (value === undefined) return undefined;
        return Array.isArray(value) ? value.join(', ') : String(value);
      },
      json: () => JSON.parse(text) as unknown,
    };
  }

  get(url: string, options: RequestOptions = {}): Promise<ApiResponse> {
    return this.request('GET', url, options);
  }

  post(url: string, body?: unknown, options: RequestOptions = {}): Promise<ApiResponse> {
    return this.request('POST', url, body === undefined ? options : { ...options, body });
  }

  patch(url: string, body?: unknown, options: RequestOptions = {}): Promise<ApiResponse> {
    return this.request('PATCH', url, body === undefined ? options : { ...options, body });
  }

  delete(url: string, options: RequestOptions = {}): Promise<ApiResponse> {
    return this.request('DELETE', url, options);
  }

  /** Creates a customer (expects 201). */
  async createCustomer(
    overrides: Partial<CustomerBody> = {},
    options: ChangeOptions = {},
  ): Promise<Customer> {
    const response = await this.post('/customers', aCustomerBody(overrides), options);
    return customerSchema.parse(expectStatus(response, 201));
  }

  /** Places an order (expects 201); creates a customer first when none is given. */
  async placeOrder(
    customerId?: string,
    overrides: Partial<OrderBody> = {},
    options: ChangeOptions = {},
  ): Promise<Order> {
    const customer = customerId ?? (await this.createCustomer()).id;
    const response = await this.post('/orders', anOrderBody(customer, overrides), options);
    return orderSchema.parse(expectStatus(response, 201));
  }

  /** Applies an action to an order (expects 200); `cancel` gets a reason unless one is given. */
  async act(
    orderId: string,
    action: OrderAction,
    reason?: string,
    options: ChangeOptions = {},
  ): Promise<Order> {
    const body =
      reason !== undefined ? { reason } : action === 'cancel' ? { reason: 'Test cancellation' } : undefined;
    const response = await this.post(actionPath(orderId, action), body, options);
    return orderSchema.parse(expectStatus(response, 200));
  }

  /** Places an order and moves it to `status` through the API. */
  async orderIn(status: OrderStatus, customerId?: string): Promise<Order> {
    let order = await this.placeOrder(customerId);
    for (const action of PATH_TO[status]) order = await this.act(order.id, action);
    return order;
  }

  async getOrder(id: string): Promise<Order> {
    return orderSchema.parse(expectStatus(await this.get(`/orders/${id}`), 200));
  }

  async getCustomer(id: string): Promise<Customer> {
    return customerSchema.parse(expectStatus(await this.get(`/customers/${id}`), 200));
  }

  /** Published events of this tenant (publishes what is due first). */
  events(type?: string): Promise<EventEnvelope[]> {
    return this.api.eventsOf(this.tenantId, type);
  }

  /** Marks every event published so far as seen, so that {@link newEvents} returns only later ones. */
  async skipEvents(): Promise<void> {
    this.eventsSeen = (await this.events()).length;
  }

  /** Events of this tenant published since the last `skipEvents` or `newEvents`. */
  async newEvents(): Promise<EventEnvelope[]> {
    const all = await this.events();
    const fresh = all.slice(this.eventsSeen);
    this.eventsSeen = all.length;
    return fresh;
  }

  /** Rows this tenant has in each table. */
  counts(): Promise<RowCounts> {
    return this.api.counts(this.tenantId);
  }
}

/** The parsed body when the status is as expected; otherwise an error showing what came back. */
export function expectStatus(response: ApiResponse, status: number): unknown {
  if (response.status !== status) {
    throw new Error(`Expected HTTP ${status}, got ${response.status}: ${response.text}`);
  }
  return response.json();
}
