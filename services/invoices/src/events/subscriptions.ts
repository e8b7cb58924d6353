import { eventCatalogue } from '@only/contracts';
import type { EventData, EventDefinition, EventEnvelope, EventOf } from '@only/contracts/envelope';
import { tenantCreatedV1, tenantUpdatedV1 } from '@only/contracts/identity';
import { orderPlacedV1, orderStatusChangedV1 } from '@only/contracts/orders';
import { paymentCapturedV1, paymentRefundedV1 } from '@only/contracts/payments';
import type { Delivery, EventBus } from '@only/platform/bus';
import { SYSTEM_ACTOR } from '@only/platform/context';
import { withTenantScope } from '@only/platform/db';
import type { Inbox } from '@only/platform/inbox';
import { traceContextFrom, type CallContext } from '@only/platform/rpc';
import type { InvoicesService } from '../modules/invoices/invoices.service.ts';
import type { OrderSource } from '../modules/orders/order-source.ts';
import type { PaymentsProjection } from '../modules/payments/payments.projection.ts';
import type { TenantProfilesProjection } from '../modules/tenants/tenant-profiles.projection.ts';

/** The consumer (queue) name of the invoices service. */
export const INVOICES_CONSUMER = 'invoices';

const CONSUMED = [
  orderPlacedV1,
  orderStatusChangedV1,
  paymentCapturedV1,
  paymentRefundedV1,
  tenantCreatedV1,
  tenantUpdatedV1,
];

/** The event types invoices consumes: what its queue is provisioned with before it first starts. */
export const invoicesConsumers = [
  { consumer: INVOICES_CONSUMER, patterns: CONSUMED.map((definition) => definition.type) },
] as const;

/** The work an event causes inside the inbox transaction. */
type Apply = () => Promise<void>;

/**
 * Handles one event in two steps: the handler itself runs first, outside any transaction, for
 * what must not hold one open — calls to other services — and returns the work to do inside the
 * inbox transaction (or nothing, when the event asks for none).
 */
type StagedHandler = (event: EventEnvelope, delivery: Delivery) => Promise<Apply | undefined>;

/**
 * A handler for one event definition: the data is checked against that version's schema, and an
 * unknown version fails (to be retried, then dead-lettered) rather than being read wrongly.
 */
function on<D extends EventDefinition>(
  definition: D,
  handle: (event: EventOf<D>, ctx: CallContext) => Promise<Apply | undefined>,
): StagedHandler {
  return async (event, delivery) => {
    if (event.version !== definition.version) {
      throw new Error(`invoices handles ${definition.type} v${definition.version}, not v${event.version}`);
    }
    const data = definition.schema.parse(event.data) as EventData<D>;
    const trace = traceContextFrom(delivery.headers.traceparent, delivery.headers.tracestate);
    // Work an event causes is the platform's own, in the event's tenant and correlation.
    const ctx: CallContext = {
      tenantId: event.tenantId,
      actor: SYSTEM_ACTOR,
      requestId: event.id,
      correlationId: event.correlationId,
      ...(trace === undefined ? {} : { trace }),
    };
    return handle({ ...event, type: definition.type, data }, ctx);
  };
}

/** The events invoices consumes and what each one does. */
export function invoicesHandlers(deps: {
  invoicing: InvoicesService;
  orders: OrderSource;
  payments: PaymentsProjection;
  tenants: TenantProfilesProjection;
}): Readonly<Record<string, StagedHandler>> {
  const { invoicing, orders, payments, tenants } = deps;
  // The order's details are read from orders first (outside the transaction); issuing is
  // idempotent per order.
  const issueFor = async (ctx: CallContext, orderId: string): Promise<Apply | undefined> => {
    if (await invoicing.existsForOrder(ctx, orderId)) return undefined;
    const order = await orders.get(ctx, orderId);
    return async () => {
      await invoicing.issueForOrder(ctx, order);
    };
  };
  return {
    // Confirmation is when a sale is made: the order gets its invoice — whether it was placed
    // already confirmed (paid at once) or confirmed later.
    [orderPlacedV1.type]: on(orderPlacedV1, ({ data }, ctx) =>
      data.order.status === 'confirmed' ? issueFor(ctx, data.order.id) : Promise.resolve(undefined),
    ),
    [orderStatusChangedV1.type]: on(orderStatusChangedV1, ({ data }, ctx) =>
      data.to === 'confirmed' ? issueFor(ctx, data.orderId) : Promise.resolve(undefined),
    ),
    [paymentCapturedV1.type]: on(paymentCapturedV1, ({ data }, ctx) =>
      Promise.resolve(() => payments.captured(ctx, data)),
    ),
    [paymentRefundedV1.type]: on(paymentRefundedV1, ({ data }, ctx) =>
      Promise.resolve(() => payments.refunded(ctx, data)),
    ),
    [tenantCreatedV1.type]: on(tenantCreatedV1, ({ data }) =>
      Promise.resolve(() => tenants.apply(data.tenant)),
    ),
    [tenantUpdatedV1.type]: on(tenantUpdatedV1, ({ data }) =>
      Promise.resolve(() => tenants.apply(data.tenant)),
    ),
  };
}

/**
 * Subscribes invoices' handlers through the inbox, like `consumeEvents` does — the data checked
 * against its contract, the effect and the record that the event was processed committed
 * together, so a redelivered event has no second effect — with one difference: each handler's
 * first step (fetching the order) runs before the inbox transaction opens, scoped to the event's
 * tenant, so that no transaction stays open across a call to another service.
 */
export async function subscribeInvoices(options: {
  bus: EventBus;
  inbox: Inbox;
  handlers: Readonly<Record<string, StagedHandler>>;
  concurrency?: number;
}): Promise<void> {
  const { bus, inbox, handlers } = options;
  await bus.subscribe({
    consumer: INVOICES_CONSUMER,
    patterns: Object.keys(handlers),
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    handler: async (event, delivery) => {
      const handle = handlers[event.type];
      if (handle === undefined) return;
      const definition = eventCatalogue.get(`${event.type}@${String(event.version)}`);
      const checked =
        definition === undefined ? event : { ...event, data: definition.schema.parse(event.data) };
      const apply = await withTenantScope(event.tenantId, () => handle(checked, delivery));
      await inbox.process(INVOICES_CONSUMER, checked, apply ?? (() => Promise.resolve()));
    },
  });
}
