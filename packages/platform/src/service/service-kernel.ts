import type { Logger } from 'pino';
import type { EventBus } from '../bus/event-bus.ts';
import type { Database } from '../db/database.ts';
import type { PlatformTables } from '../db/platform-tables.ts';
import { IdempotencyStore } from '../http/idempotency.ts';
import { Inbox } from '../inbox/inbox.ts';
import { DEFAULT_RETENTION, pruneExpired, type RetentionPolicy } from '../outbox/housekeeping.ts';
import { Outbox } from '../outbox/outbox.ts';
import { OutboxRelay } from '../outbox/relay.ts';

/** Options of {@link createServiceKernel}. */
export interface ServiceKernelOptions {
  /** Service name: the events' `source`. */
  readonly name: string;
  readonly db: Database;
  readonly bus: EventBus;
  readonly logger: Logger;
  /** The platform tables in the service's schema. */
  readonly tables: PlatformTables;
  readonly retention?: RetentionPolicy;
  /** How often expired outbox, inbox and idempotency rows are deleted. */
  readonly housekeepingIntervalMs?: number;
  /** False for a service that emits no events: its relay is not started. */
  readonly emitsEvents?: boolean;
}

/** What every service gets from the platform for reliable messaging and idempotent APIs. */
export interface ServiceKernel {
  readonly outbox: Outbox;
  readonly relay: OutboxRelay;
  readonly inbox: Inbox;
  readonly idempotency: IdempotencyStore;
  /** Starts the relay and periodic housekeeping. */
  start(): void;
  /** Stops housekeeping and drains the relay. */
  stop(): Promise<void>;
}

/**
 * Wires a service's outbox, relay (woken on every commit that wrote events), inbox, idempotency
 * store and housekeeping over its own schema's platform tables.
 */
export function createServiceKernel(options: ServiceKernelOptions): ServiceKernel {
  const { name, db, bus, logger, tables } = options;
  const outbox = new Outbox(db, tables.outbox, name);
  const relay = new OutboxRelay({ db, table: tables.outbox, bus, logger, source: name });
  outbox.onCommitted(() => {
    relay.kick();
  });
  const inbox = new Inbox(db, tables.processedMessages);
  const idempotency = new IdempotencyStore(db, tables.idempotencyKeys);
  let housekeeping: NodeJS.Timeout | undefined;

  const prune = () => {
    pruneExpired(db, tables, options.retention ?? DEFAULT_RETENTION)
      .then((removed) => {
        logger.debug({ removed }, 'housekeeping done');
      })
      .catch((error: unknown) => {
        logger.warn({ err: error }, 'housekeeping failed');
      });
  };

  return {
    outbox,
    relay,
    inbox,
    idempotency,
    start() {
      if (options.emitsEvents !== false) relay.start();
      housekeeping ??= setInterval(prune, options.housekeepingIntervalMs ?? 60 * 60 * 1000);
      housekeeping.unref();
    },
    async stop() {
      clearInterval(housekeeping);
      housekeeping = undefined;
      await relay.stop();
    },
  };
}
