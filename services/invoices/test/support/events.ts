// Event envelopes as identity and payments publish them, built with the contract schemas.
import {
  eventEnvelopeSchema,
  type EventData,
  type EventDefinition,
  type EventEnvelope,
} from '@only/contracts/envelope';
import { tenantCreatedV1, tenantUpdatedV1, type Branding } from '@only/contracts/identity';
import { paymentCapturedV1, paymentRefundedV1 } from '@only/contracts/payments';
import { newId, uuidv7 } from '@only/platform/ids';

/** A valid envelope of `definition` with `data`, as if `source` emitted it now. */
export function envelope<D extends EventDefinition>(
  definition: D,
  source: string,
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
    source,
    tenantId,
    aggregateId,
    correlationId: `corr-${id}`,
    causationId: null,
    data: definition.schema.parse(data),
  });
}

/** The demo branding of Acme, with a logo of the caller's choice. */
export function acmeBranding(logoUrl: string | null = null): Branding {
  return {
    logoUrl,
    colors: { primary: '#6f4e37', secondary: '#c8a27a', background: '#fdf6ec', text: '#2b1d14' },
    fontFamily: "Georgia, 'Times New Roman', serif",
  };
}

/** `identity.tenant.created` (or `.updated`) of a tenant. */
export function tenantEvent(
  tenantId: string,
  tenant: { name: string; branding?: Branding; timezone?: string; locale?: string; updatedAt?: string },
  kind: 'created' | 'updated' = 'created',
): EventEnvelope {
  const at = tenant.updatedAt ?? '2026-03-01T09:00:00.000Z';
  const snapshot = {
    id: tenantId,
    slug: `t-${tenantId.slice(-8)}`,
    name: tenant.name,
    branding: tenant.branding ?? acmeBranding(),
    enabledApps: ['back-office' as const],
    locale: tenant.locale ?? 'en-IE',
    currency: 'EUR',
    timezone: tenant.timezone ?? 'Europe/Dublin',
    allowedOrigins: [],
    status: 'active' as const,
    createdAt: '2026-03-01T09:00:00.000Z',
    updatedAt: at,
  };
  return kind === 'created'
    ? envelope(tenantCreatedV1, 'identity', tenantId, tenantId, { tenant: snapshot })
    : envelope(tenantUpdatedV1, 'identity', tenantId, tenantId, { tenant: snapshot, changed: ['name'] });
}

/** The payment events of one order of one tenant. */
export class PaymentEvents {
  readonly paymentId = newId('pay');
  readonly tenantId: string;
  readonly orderId: string;
  readonly currency: string;

  constructor(tenantId: string, orderId: string, currency = 'EUR') {
    this.tenantId = tenantId;
    this.orderId = orderId;
    this.currency = currency;
  }

  private ref() {
    return {
      paymentId: this.paymentId,
      orderId: this.orderId,
      customerId: null,
      provider: 'test',
      providerReference: `test_${this.paymentId}`,
    };
  }

  captured(amount: number): EventEnvelope {
    return envelope(paymentCapturedV1, 'payments', this.tenantId, this.paymentId, {
      ...this.ref(),
      amount: { amount, currency: this.currency },
      authorized: { amount, currency: this.currency },
      released: { amount: 0, currency: this.currency },
      capturedAt: '2026-03-02T10:05:00.000Z',
    });
  }

  refunded(
    amount: number,
    totalRefunded: number,
    captured: number,
    reason: string | null = 'Returned',
  ): EventEnvelope {
    return envelope(paymentRefundedV1, 'payments', this.tenantId, this.paymentId, {
      ...this.ref(),
      refundId: newId('pop'),
      amount: { amount, currency: this.currency },
      totalRefunded: { amount: totalRefunded, currency: this.currency },
      captured: { amount: captured, currency: this.currency },
      fullyRefunded: totalRefunded === captured,
      reason,
      refundedAt: '2026-03-03T09:00:00.000Z',
    });
  }
}
