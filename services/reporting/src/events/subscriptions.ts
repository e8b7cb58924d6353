import type { EventData, EventDefinition, EventEnvelope, EventOf } from '@only/contracts/envelope';
import {
  customerCreatedV1,
  customerDeletedV1,
  orderCancelledV1,
  orderPlacedV1,
  orderStatusChangedV1,
} from '@only/contracts/orders';
import type { EventBus, EventHandlers } from '@only/platform/bus';
import { consumeEvents, type Inbox } from '@only/platform/inbox';
import type { CustomersProjection } from '../modules/customers/customers.projection.ts';
import type { OrdersProjection } from '../modules/orders/orders.projection.ts';

/** The consumer (queue) name of the reporting service. */
export const REPORTING_CONSUMER = 'reporting';

/** The event types reporting consumes: what its queue is provisioned with before it first starts. */
export const reportingConsumers = [
  {
    consumer: REPORTING_CONSUMER,
    patterns: [
      orderPlacedV1,
      orderStatusChangedV1,
      orderCancelledV1,
      customerCreatedV1,
      customerDeletedV1,
    ].map((definition) => definition.type),
  },
] as const;

/**
 * A handler for one event definition: the data is checked against that version's schema, and an
 * unknown version fails (to be retried, then dead-lettered) rather than being read wrongly.
 */
function on<D extends EventDefinition>(
  definition: D,
  handle: (event: EventOf<D>) => Promise<void>,
): (event: EventEnvelope) => Promise<void> {
  return async (event) => {
    if (event.version !== definition.version) {
      throw new Error(`reporting handles ${definition.type} v${definition.version}, not v${event.version}`);
    }
    const data = definition.schema.parse(event.data) as EventData<D>;
    await handle({ ...event, type: definition.type, data });
  };
}

/** The events reporting consumes and what each one does to the read models. */
export function reportingHandlers(projections: {
  orders: OrdersProjection;
  customers: CustomersProjection;
}): EventHandlers {
  const { orders, customers } = projections;
  return {
    [orderPlacedV1.type]: on(orderPlacedV1, ({ tenantId, data: { order } }) =>
      orders.apply(tenantId, order.id, {
        kind: 'placed',
        status: order.status,
        at: new Date(order.placedAt),
        amounts: { currency: order.currency, grandTotal: order.totals.grandTotal, tax: order.totals.tax },
      }),
    ),
    [orderStatusChangedV1.type]: on(orderStatusChangedV1, ({ tenantId, data }) =>
      orders.apply(tenantId, data.orderId, { kind: 'status_changed', status: data.to }),
    ),
    [orderCancelledV1.type]: on(orderCancelledV1, ({ tenantId, data }) =>
      orders.apply(tenantId, data.orderId, {
        kind: 'cancelled',
        at: new Date(data.cancelledAt),
        amounts: { currency: data.currency, grandTotal: data.totals.grandTotal, tax: data.totals.tax },
      }),
    ),
    [customerCreatedV1.type]: on(customerCreatedV1, ({ tenantId, data: { customer } }) =>
      customers.apply(tenantId, customer.id, { createdAt: new Date(customer.createdAt) }),
    ),
    [customerDeletedV1.type]: on(customerDeletedV1, ({ tenantId, data }) =>
      customers.apply(tenantId, data.customerId, { deletedAt: new Date(data.deletedAt) }),
    ),
  };
}

/**
 * Subscribes reporting's handlers on the bus through the inbox: each handler's writes and the
 * record that the event was processed commit in one transaction, so a redelivered event has no
 * second effect.
 */
export async function subscribeReporting(options: {
  bus: EventBus;
  inbox: Inbox;
  handlers: EventHandlers;
}): Promise<void> {
  await consumeEvents({
    bus: options.bus,
    inbox: options.inbox,
    consumer: REPORTING_CONSUMER,
    handlers: options.handlers,
  });
}
