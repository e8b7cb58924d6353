import type { EventEnvelope } from '@only/contracts/envelope';
import { eventCatalogue } from '@only/contracts';
import type { Database } from '../db/database.ts';
import type { PlatformTables } from '../db/platform-tables.ts';
import { withTenantScope } from '../db/tenant-scope.ts';
import { executor, inTransaction } from '../db/transaction.ts';
import type { EventBus } from '../bus/event-bus.ts';
import { routeEvents, type EventHandlers } from '../bus/event-router.ts';

/** Whether a delivery had its effect now or had had it before. */
export type InboxOutcome = 'processed' | 'duplicate';

/**
 * The inbox of one service: records each processed message id per consumer in the same
 * transaction as the handler's effect, so a redelivered message has no second effect.
 */
export class Inbox {
  private readonly db: Database;
  private readonly table: PlatformTables['processedMessages'];

  constructor(db: Database, table: PlatformTables['processedMessages']) {
    this.db = db;
    this.table = table;
  }

  /**
   * Runs `handle` in a transaction, scoped to the event's tenant, unless `consumer` already
   * processed `event`.
   */
  async process(consumer: string, event: EventEnvelope, handle: () => Promise<void>): Promise<InboxOutcome> {
    return withTenantScope(event.tenantId, () => this.record(consumer, event, handle));
  }

  private record(consumer: string, event: EventEnvelope, handle: () => Promise<void>): Promise<InboxOutcome> {
    return inTransaction(this.db, async () => {
      const inserted = await executor(this.db)
        .insert(this.table)
        .values({ consumer, messageId: event.id, type: event.type })
        .onConflictDoNothing()
        .returning({ messageId: this.table.messageId });
      if (inserted.length === 0) return 'duplicate';
      await handle();
      return 'processed';
    });
  }
}

/** Options of {@link consumeEvents}. */
export interface ConsumeOptions {
  readonly bus: EventBus;
  readonly inbox: Inbox;
  /** Queue name: the consuming service (or service-and-purpose). */
  readonly consumer: string;
  /** Handlers by event type; each runs inside the inbox transaction. */
  readonly handlers: EventHandlers;
  readonly concurrency?: number;
}

/**
 * Subscribes a service's handlers with the guarantees consumers need: the event's data is
 * validated against its contract, and each event has its effect once (inbox) even when the
 * transport delivers it again. A handler that throws rolls back and the message is retried.
 */
export async function consumeEvents(options: ConsumeOptions): Promise<void> {
  const { patterns, handler } = routeEvents(options.handlers);
  await options.bus.subscribe({
    consumer: options.consumer,
    patterns,
    concurrency: options.concurrency,
    handler: async (event, delivery) => {
      const definition = eventCatalogue.get(`${event.type}@${event.version}`);
      const checked = definition ? { ...event, data: definition.schema.parse(event.data) } : event;
      await options.inbox.process(options.consumer, checked, () => handler(checked, delivery));
    },
  });
}
