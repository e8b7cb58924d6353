import type { EventData, EventDefinition, EventEnvelope } from '@only/contracts/envelope';
import type { RequestContext } from '@only/platform/context';
import type { Outbox } from '@only/platform/outbox';

/** Whatever turns a committed payment event into webhook deliveries (in the same transaction). */
export interface WebhookSink {
  enqueue(envelope: EventEnvelope): Promise<void>;
}

/**
 * Emits a payment event through the transactional outbox and, in the same transaction, queues its
 * webhook deliveries: the event, its deliveries and the change exist together or not at all.
 */
export class PaymentEvents {
  private readonly outbox: Outbox;
  private readonly webhooks: WebhookSink;

  constructor(deps: { outbox: Outbox; webhooks: WebhookSink }) {
    this.outbox = deps.outbox;
    this.webhooks = deps.webhooks;
  }

  /** Must run inside the transaction of the change (see `Outbox.emit`). */
  async publish<D extends EventDefinition>(
    ctx: RequestContext,
    definition: D,
    data: EventData<D>,
    paymentId: string,
  ): Promise<void> {
    const envelope = await this.outbox.emit(definition, data, { ctx, aggregateId: paymentId });
    await this.webhooks.enqueue(envelope);
  }
}
