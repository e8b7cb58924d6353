// Requests to the orders API as one tenant, through `app.inject()`, with typed shortcuts for the
// setup steps tests need (create a customer, place an order, move it along its lifecycle).
import type { OrderStatus } from '@only/contracts/orders';
import type { EventEnvelope } from '@only/contracts/envelope';
import { expectStatus, InjectClient, type ClientIdentity, type RequestOptions } from '@only/testing';
import { customerSchema, type Customer } from '../../src/modules/customers/customers.dto.ts';
import type { OrderAction } from '../../src/modules/orders/order-state-machine.ts';
import { orderSchema, type Order } from '../../src/modules/orders/orders.dto.ts';
import { aCustomerBody, anOrderBody, type CustomerBody, type OrderBody } from './builders.ts';
import type { RowCounts } from './db.ts';
import type { OrdersApi } from './orders-api.ts';

export {
  expectStatus,
  type ApiResponse,
  type ClientIdentity,
  type Method,
  type RequestOptions,
} from '@only/testing';

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

/** A caller of the orders API working in one tenant, with an access token of that tenant. */
export class TenantClient extends InjectClient {
  private readonly api: OrdersApi;
  /** How many of the tenant's events {@link newEvents} has already handed out or skipped. */
  private eventsSeen = 0;

  constructor(api: OrdersApi, tenantId: string, identity: ClientIdentity = {}) {
    super(api.app, api.issuer, tenantId, { subject: 'usr_test', ...identity });
    this.api = api;
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
