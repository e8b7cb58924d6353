// Event envelopes as the orders service publishes them, built and checked with the contract
// schemas, for publishing straight onto the bus.
import {
  eventEnvelopeSchema,
  type EventData,
  type EventDefinition,
  type EventEnvelope,
} from '@only/contracts/envelope';
import {
  customerCreatedV1,
  customerDeletedV1,
  customerUpdatedV1,
  orderCancelledV1,
  orderPlacedV1,
  orderStatusChangedV1,
  type OrderStatus,
} from '@only/contracts/orders';
import { newId, uuidv7 } from '@only/platform/ids';

/** A valid envelope of `definition` with `data`, as if emitted by the orders service now. */
export function envelope<D extends EventDefinition>(
  definition: D,
  tenantId: string,
  aggregateId: string,
  data: EventData<D>,
): EventEnvelope {
  const id = uuidv7();
  return eventEnvelopeSchema.parse({
    id,
    type: definition.type,
    version: definition.version,
    occurredAt: new Date().toISOString(),
    source: 'orders',
    tenantId,
    aggregateId,
    correlationId: id,
    causationId: null,
    data: definition.schema.parse(data),
  });
}

/** An order of the tests: its amounts, and the events of its lifecycle. */
export interface OrderSpec {
  readonly currency?: string;
  /** Before tax, in minor units. */
  readonly subtotal?: number;
  readonly tax?: number;
  /** ISO 8601 UTC. */
  readonly placedAt?: string;
}

/** The events of one order of one tenant; each call builds a new event (a new event id). */
export class OrderEvents {
  readonly id = newId('ord');
  readonly customerId = newId('cus');
  readonly tenantId: string;
  readonly currency: string;
  readonly totals: { subtotal: number; tax: number; grandTotal: number };
  readonly placedAt: string;

  constructor(tenantId: string, spec: OrderSpec = {}) {
    this.tenantId = tenantId;
    this.currency = spec.currency ?? 'EUR';
    const subtotal = spec.subtotal ?? 5810;
    const tax = spec.tax ?? 640;
    this.totals = { subtotal, tax, grandTotal: subtotal + tax };
    this.placedAt = spec.placedAt ?? '2026-03-02T10:00:00.000Z';
  }

  placed(): EventEnvelope {
    return envelope(orderPlacedV1, this.tenantId, this.id, {
      order: {
        id: this.id,
        number: '100001',
        customerId: this.customerId,
        status: 'pending',
        currency: this.currency,
        lines: [
          {
            id: newId('oln'),
            sku: 'COF-ESP-250',
            name: 'Espresso beans 250 g',
            quantity: 1,
            unitPrice: this.totals.subtotal,
            taxRateBps: 700,
            subtotal: this.totals.subtotal,
            tax: this.totals.tax,
            total: this.totals.grandTotal,
          },
        ],
        totals: this.totals,
        notes: null,
        placedAt: this.placedAt,
      },
    });
  }

  moved(from: OrderStatus, to: OrderStatus, changedAt = this.placedAt): EventEnvelope {
    return envelope(orderStatusChangedV1, this.tenantId, this.id, {
      orderId: this.id,
      from,
      to,
      reason: null,
      actor: { type: 'user', id: 'alice' },
      changedAt,
    });
  }

  cancelled(cancelledAt: string, from: OrderStatus = 'pending'): EventEnvelope {
    return envelope(orderCancelledV1, this.tenantId, this.id, {
      orderId: this.id,
      customerId: this.customerId,
      from,
      reason: 'Out of stock',
      actor: { type: 'user', id: 'bob' },
      currency: this.currency,
      totals: this.totals,
      cancelledAt,
    });
  }
}

/** The events of one customer of one tenant. */
export class CustomerEvents {
  readonly id = newId('cus');
  readonly tenantId: string;
  readonly createdAt: string;

  constructor(tenantId: string, createdAt = '2026-03-01T09:00:00.000Z') {
    this.tenantId = tenantId;
    this.createdAt = createdAt;
  }

  private snapshot() {
    return {
      id: this.id,
      email: `${this.id}@example.com`,
      name: 'Lin Okafor',
      phone: null,
      createdAt: this.createdAt,
      updatedAt: this.createdAt,
    };
  }

  created(): EventEnvelope {
    return envelope(customerCreatedV1, this.tenantId, this.id, { customer: this.snapshot() });
  }

  updated(): EventEnvelope {
    return envelope(customerUpdatedV1, this.tenantId, this.id, {
      customer: { ...this.snapshot(), name: 'Lin Okafor-Smith' },
      changed: ['name'],
    });
  }

  deleted(deletedAt = '2026-03-05T09:00:00.000Z'): EventEnvelope {
    return envelope(customerDeletedV1, this.tenantId, this.id, { customerId: this.id, deletedAt });
  }
}
