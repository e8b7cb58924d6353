// Events as their services publish them, built and checked with the contract schemas, for
// publishing straight onto the bus.
import { stockLowV1 } from '@only/contracts/catalog';
import {
  eventEnvelopeSchema,
  type EventData,
  type EventDefinition,
  type EventEnvelope,
} from '@only/contracts/envelope';
import {
  roleCreatedV1,
  tenantCreatedV1,
  userCreatedV1,
  userInvitedV1,
  userPasswordResetRequestedV1,
  userUpdatedV1,
} from '@only/contracts/identity';
import { invoiceIssuedV1 } from '@only/contracts/invoices';
import {
  customerCreatedV1,
  customerDeletedV1,
  orderPlacedV1,
  orderStatusChangedV1,
  type OrderStatus,
} from '@only/contracts/orders';
import { paymentRefundedV1 } from '@only/contracts/payments';
import { newId, uuidv7 } from '@only/platform/ids';

const AT = '2026-01-15T10:00:00.000Z';

/** A valid envelope of `definition` with `data`, as if its service emitted it now. */
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
    source: definition.type.split('.')[0],
    tenantId,
    aggregateId,
    correlationId: id,
    causationId: null,
    data: definition.schema.parse(data),
  });
}

/** What a test tenant looks like to identity's events. */
export interface TenantSpec {
  readonly name?: string;
  readonly locale?: string;
  readonly primary?: string;
}

/** The events of one tenant's world: the tenant, its users and roles, customers, orders, stock. */
export class TenantEvents {
  readonly tenantId = newId('ten');
  readonly slug: string;
  readonly name: string;
  readonly locale: string;
  readonly primary: string;
  private updated = 0;

  constructor(spec: TenantSpec = {}) {
    this.slug = `t-${this.tenantId.slice(-8)}`;
    this.name = spec.name ?? 'Acme Coffee Roasters';
    this.locale = spec.locale ?? 'en';
    this.primary = spec.primary ?? '#8a3b12';
  }

  private tick(): string {
    this.updated += 1;
    return new Date(Date.parse(AT) + this.updated * 1000).toISOString();
  }

  tenantCreated(): EventEnvelope {
    return envelope(tenantCreatedV1, this.tenantId, this.tenantId, {
      tenant: {
        id: this.tenantId,
        slug: this.slug,
        name: this.name,
        branding: {
          logoUrl: null,
          colors: { primary: this.primary, secondary: '#f3e9dc', background: '#ffffff', text: '#222222' },
          fontFamily: 'Georgia',
        },
        enabledApps: ['back-office'],
        locale: this.locale,
        currency: 'EUR',
        timezone: 'Europe/Berlin',
        allowedOrigins: [],
        status: 'active',
        createdAt: AT,
        updatedAt: this.tick(),
      },
    });
  }

  user(roles: string[], extra: { id?: string; name?: string; status?: 'active' | 'disabled' } = {}) {
    const id = extra.id ?? newId('usr');
    return {
      id,
      email: `${id}@staff.example`,
      name: extra.name ?? 'Sam Staff',
      roles,
      status: extra.status ?? 'active',
      emailVerifiedAt: AT,
      createdAt: AT,
      updatedAt: this.tick(),
    };
  }

  userCreated(user: ReturnType<TenantEvents['user']>): EventEnvelope {
    return envelope(userCreatedV1, this.tenantId, user.id, { user });
  }

  userUpdated(user: ReturnType<TenantEvents['user']>): EventEnvelope {
    return envelope(userUpdatedV1, this.tenantId, user.id, {
      user: { ...user, updatedAt: this.tick() },
      changed: ['roles'],
      actor: { type: 'user', id: 'usr_admin' },
    });
  }

  roleCreated(name: string, permissions: string[]): EventEnvelope {
    const id = newId('rol');
    return envelope(roleCreatedV1, this.tenantId, id, {
      role: { id, name, description: name, permissions, createdAt: AT, updatedAt: this.tick() },
    });
  }

  invited(user: ReturnType<TenantEvents['user']>, token: string): EventEnvelope {
    return envelope(userInvitedV1, this.tenantId, user.id, {
      user,
      verification: { token, expiresAt: '2026-01-22T10:00:00.000Z' },
      tenant: { slug: this.slug, name: this.name, locale: this.locale },
      invitedBy: { type: 'user', id: 'usr_admin' },
    });
  }

  passwordResetRequested(user: { id: string; email: string; name: string }, token: string): EventEnvelope {
    return envelope(userPasswordResetRequestedV1, this.tenantId, user.id, {
      user,
      reset: { token, expiresAt: '2026-01-15T10:30:00.000Z' },
      tenant: { slug: this.slug, name: this.name, locale: this.locale },
    });
  }

  customer(extra: { email?: string; phone?: string | null; name?: string } = {}) {
    const id = newId('cus');
    return {
      id,
      email: extra.email ?? `${id}@customer.example`,
      name: extra.name ?? 'Lin Okafor',
      phone: extra.phone ?? null,
      createdAt: AT,
      updatedAt: this.tick(),
    };
  }

  customerCreated(customer: ReturnType<TenantEvents['customer']>): EventEnvelope {
    return envelope(customerCreatedV1, this.tenantId, customer.id, { customer });
  }

  customerDeleted(customerId: string): EventEnvelope {
    return envelope(customerDeletedV1, this.tenantId, customerId, { customerId, deletedAt: this.tick() });
  }

  order(customerId: string, status: OrderStatus = 'pending') {
    const id = newId('ord');
    return {
      id,
      number: `10${String(Math.floor(Math.random() * 9000) + 1000)}`,
      customerId,
      status,
      currency: 'EUR',
      lines: [
        {
          id: newId('oln'),
          sku: 'COF-ESP-250',
          name: 'Espresso beans 250 g',
          quantity: 2,
          unitPrice: 1290,
          taxRateBps: 700,
          subtotal: 2580,
          tax: 181,
          total: 2761,
        },
      ],
      totals: { subtotal: 2580, tax: 181, grandTotal: 2761 },
      notes: null,
      placedAt: AT,
    };
  }

  orderPlaced(order: ReturnType<TenantEvents['order']>): EventEnvelope {
    return envelope(orderPlacedV1, this.tenantId, order.id, { order });
  }

  orderMoved(orderId: string, from: OrderStatus, to: OrderStatus): EventEnvelope {
    return envelope(orderStatusChangedV1, this.tenantId, orderId, {
      orderId,
      from,
      to,
      reason: null,
      actor: { type: 'system', id: null },
      changedAt: this.tick(),
    });
  }

  stockLow(sku = 'COF-ESP-250', available = 3): EventEnvelope {
    const productId = newId('prd');
    return envelope(stockLowV1, this.tenantId, productId, {
      name: 'Espresso beans 250 g',
      level: {
        productId,
        sku,
        locationId: newId('loc'),
        onHand: available,
        reserved: 0,
        available,
        reorderPoint: 5,
      },
      detectedAt: this.tick(),
    });
  }

  invoiceIssued(
    order: ReturnType<TenantEvents['order']>,
    customer: { id: string; name: string; email: string },
  ) {
    const id = newId('inv');
    return envelope(invoiceIssuedV1, this.tenantId, id, {
      invoice: {
        id,
        number: 'INV-2026-000007',
        orderId: order.id,
        orderNumber: order.number,
        customer,
        status: 'issued',
        currency: 'EUR',
        lines: order.lines.map((line) => ({
          sku: line.sku,
          name: line.name,
          quantity: line.quantity,
          unitPrice: line.unitPrice,
          taxRateBps: line.taxRateBps,
          subtotal: line.subtotal,
          tax: line.tax,
          total: line.total,
        })),
        taxes: [{ rateBps: 700, taxable: 2580, tax: 181 }],
        totals: { subtotal: 2580, tax: 181, total: 2761 },
        issueDate: '2026-01-15',
        dueDate: '2026-01-29',
        issuedAt: AT,
      },
    });
  }

  paymentRefunded(orderId: string, customerId: string | null, amount: number): EventEnvelope {
    const paymentId = newId('pay');
    return envelope(paymentRefundedV1, this.tenantId, paymentId, {
      paymentId,
      orderId,
      customerId,
      provider: 'test',
      providerReference: null,
      refundId: newId('pop'),
      amount: { amount, currency: 'EUR' },
      totalRefunded: { amount, currency: 'EUR' },
      captured: { amount: 2761, currency: 'EUR' },
      fullyRefunded: false,
      reason: null,
      refundedAt: this.tick(),
    });
  }
}
