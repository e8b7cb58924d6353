import type { EventData, EventDefinition, EventEnvelope, EventOf } from '@only/contracts/envelope';
import { uuidv7 } from 'uuidv7';
import type { RequestContext } from '../context/index.ts';
import type { Database } from '../db/database.ts';
import type { PlatformTables } from '../db/platform-tables.ts';
import { afterCommit, executor, inOpenTransaction } from '../db/transaction.ts';

/** Where an event comes from besides its data: the request context and the aggregate it is about. */
export interface EmitMeta {
  readonly ctx: RequestContext;
  readonly aggregateId: string;
  /** Id of the event that caused this one, when a consumer emits; the request id otherwise. */
  readonly causationId?: string;
}

/**
 * The transactional outbox of one service: `emit` writes the event in the caller's transaction,
 * so the event exists if and only if the change committed. A relay publishes it afterwards.
 */
export class Outbox {
  private readonly listeners: (() => void)[] = [];

  private readonly db: Database;
  private readonly table: PlatformTables['outbox'];
  /** Service name written as the events' `source`. */
  readonly source: string;

  constructor(db: Database, table: PlatformTables['outbox'], source: string) {
    this.db = db;
    this.table = table;
    this.source = source;
  }

  /**
   * Validates `data` against the event's schema and stores the event in the open transaction.
   * Must run inside `inTransaction(db, …)`: an event outside a transaction could be written for
   * a change that then rolls back.
   */
  async emit<D extends EventDefinition>(
    definition: D,
    data: EventData<D>,
    meta: EmitMeta,
  ): Promise<EventOf<D>> {
    if (!inOpenTransaction(this.db)) {
      throw new Error(`Outbox.emit(${definition.type}) must run inside inTransaction()`);
    }
    const occurredAt = new Date();
    const envelope = {
      id: uuidv7(),
      type: definition.type,
      version: definition.version,
      occurredAt: occurredAt.toISOString(),
      source: this.source,
      tenantId: meta.ctx.tenantId,
      aggregateId: meta.aggregateId,
      correlationId: meta.ctx.correlationId,
      causationId: meta.causationId ?? meta.ctx.requestId,
      data: definition.schema.parse(data) as EventData<D>,
    } satisfies EventEnvelope;
    await executor(this.db)
      .insert(this.table)
      .values({
        id: envelope.id,
        tenantId: envelope.tenantId,
        type: envelope.type,
        version: envelope.version,
        aggregateId: envelope.aggregateId,
        envelope,
        headers: { 'x-correlation-id': envelope.correlationId },
        occurredAt,
      });
    afterCommit(() => {
      for (const listener of this.listeners) listener();
    });
    return envelope;
  }

  /** Calls `listener` after each commit that wrote events (the relay uses it to wake up). */
  onCommitted(listener: () => void): void {
    this.listeners.push(listener);
  }
}
