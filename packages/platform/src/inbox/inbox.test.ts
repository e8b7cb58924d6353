import type { EventEnvelope } from '@only/contracts/envelope';
import { createPlatformSchema, createTestDatabase, type TestDatabase } from '@only/testing';
import { asc, count, eq } from 'drizzle-orm';
import { pgSchema, text } from 'drizzle-orm/pg-core';
import { uuidv7 } from 'uuidv7';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InMemoryBus } from '../bus/memory-bus.ts';
import type { Database } from '../db/database.ts';
import { rowLevelSecuritySql } from '../db/row-level-security.ts';
import { platformTables } from '../db/platform-tables.ts';
import { executor } from '../db/transaction.ts';
import { consumeEvents, Inbox } from './index.ts';

const schema = pgSchema('test_platform');
const tables = platformTables(schema);
const effects = schema.table('effects', { id: text('id').primaryKey(), note: text('note').notNull() });

let testDb: TestDatabase;
let db: Database;
let inbox: Inbox;

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = testDb.handle.db;
  await createPlatformSchema(db, 'test_platform');
  await db.execute('create table test_platform.effects (id text primary key, note text not null)');
  // Handlers run scoped to the event's tenant, as the app role: it needs its grants on the new table.
  await db.execute(rowLevelSecuritySql('test_platform'));
  inbox = new Inbox(db, tables.processedMessages);
});

afterAll(async () => {
  await testDb.close();
});

beforeEach(async () => {
  await db.execute('truncate test_platform.processed_messages, test_platform.effects');
});

function event(type = 'platformtest.thing.created', data: unknown = {}): EventEnvelope {
  return {
    id: uuidv7(),
    type,
    version: 1,
    occurredAt: new Date().toISOString(),
    source: 'platformtest',
    tenantId: 'ten_01m80n5wh0fq8bg2x0v9vtay4p',
    aggregateId: 'thing_1',
    correlationId: 'corr-1',
    causationId: null,
    data,
  };
}

/** A handler effect: one row in `effects`, written in the inbox transaction. */
const recordEffect =
  (id: string, note = 'done') =>
  async () => {
    await executor(db).insert(effects).values({ id, note });
  };

const effectCount = async () => (await db.select({ n: count() }).from(effects))[0]?.n ?? 0;
const inboxRows = () =>
  db.select().from(tables.processedMessages).orderBy(asc(tables.processedMessages.consumer));

describe('Inbox.process', () => {
  it('processes a message once: then reports duplicates and skips the handler', async () => {
    const e = event();
    let calls = 0;
    const handle = async () => {
      calls++;
      await recordEffect(`effect-${calls}`)();
    };
    expect(await inbox.process('invoices', e, handle)).toBe('processed');
    expect(await inbox.process('invoices', e, handle)).toBe('duplicate');
    expect(await inbox.process('invoices', e, handle)).toBe('duplicate');
    expect(calls).toBe(1);
    expect(await effectCount()).toBe(1);

    const rows = await inboxRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ consumer: 'invoices', messageId: e.id, type: e.type });
    expect(rows[0]?.processedAt).toBeInstanceOf(Date);
  });

  it('dedupes per consumer: another consumer processes the same message', async () => {
    const e = event();
    expect(await inbox.process('invoices', e, recordEffect('a'))).toBe('processed');
    expect(await inbox.process('shipping', e, recordEffect('b'))).toBe('processed');
    expect(await inbox.process('shipping', e, recordEffect('c'))).toBe('duplicate');
    expect((await inboxRows()).map((r) => r.consumer)).toEqual(['invoices', 'shipping']);
    expect(await effectCount()).toBe(2);
  });

  it('a throwing handler rolls back its effect and the inbox row, so a retry processes it', async () => {
    const e = event();
    await expect(
      inbox.process('invoices', e, async () => {
        await recordEffect('partial')();
        throw new Error('handler failed');
      }),
    ).rejects.toThrow('handler failed');
    expect(await inboxRows()).toEqual([]);
    expect(await effectCount()).toBe(0);

    expect(await inbox.process('invoices', e, recordEffect('retried'))).toBe('processed');
    expect((await db.select().from(effects).where(eq(effects.id, 'retried')))[0]?.note).toBe('done');
    expect(await inbox.process('invoices', e, recordEffect('again'))).toBe('duplicate');
    expect(await effectCount()).toBe(1);
  });

  it('concurrent deliveries of one message have one effect', async () => {
    const e = event();
    let calls = 0;
    const outcomes = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        inbox.process('invoices', e, async () => {
          calls++;
          await recordEffect(`effect-${i}`)();
        }),
      ),
    );
    expect(outcomes.filter((o) => o === 'processed')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(4);
    expect(calls).toBe(1);
    expect(await effectCount()).toBe(1);
  });
});

describe('consumeEvents', () => {
  it('handles each event type once even when the bus delivers it again', async () => {
    const bus = new InMemoryBus({ retry: { delaysMs: [] } });
    const seen: string[] = [];
    await consumeEvents({
      bus,
      inbox,
      consumer: 'invoices',
      handlers: {
        'platformtest.thing.created': async (e) => {
          seen.push(e.id);
          await recordEffect(e.id)();
        },
      },
    });
    const e = event();
    await bus.publish(e);
    await bus.publish(e); // at-least-once: a redelivery
    await bus.publish(event('platformtest.thing.deleted')); // not handled: acknowledged, ignored
    await bus.drain();

    expect(seen).toEqual([e.id]);
    expect(await effectCount()).toBe(1);
    expect(bus.deadLetters('invoices')).toEqual([]);
  });

  it('a failing handler is retried by the bus and has its effect once', async () => {
    const bus = new InMemoryBus({ retry: { delaysMs: [1, 1] } });
    let attempts = 0;
    await consumeEvents({
      bus,
      inbox,
      consumer: 'invoices',
      handlers: {
        'platformtest.thing.created': async (e, delivery) => {
          attempts++;
          await recordEffect(`${e.id}-${delivery.attempt}`)();
          if (delivery.attempt < 2) throw new Error('transient');
        },
      },
    });
    await bus.publish(event());
    await bus.drain();
    expect(attempts).toBe(2);
    expect(await effectCount()).toBe(1);
    expect((await inboxRows()).map((r) => r.consumer)).toEqual(['invoices']);
  });

  it('validates contract events: invalid data never reaches the handler and is dead-lettered', async () => {
    const bus = new InMemoryBus({ retry: { delaysMs: [] } });
    const seen: unknown[] = [];
    await consumeEvents({
      bus,
      inbox,
      consumer: 'crm',
      handlers: {
        'orders.customer.deleted': (e) => {
          seen.push(e.data);
          return Promise.resolve();
        },
      },
    });
    const deletedAt = '2026-01-15T10:00:00.000Z';
    await bus.publish({
      ...event('orders.customer.deleted'),
      data: { customerId: 'cus_1', deletedAt, extra: 1 },
    });
    await bus.publish({ ...event('orders.customer.deleted'), data: { customerId: 42 } });
    await bus.drain();

    // Valid data arrives parsed by the contract (unknown members stripped).
    expect(seen).toEqual([{ customerId: 'cus_1', deletedAt }]);
    const letters = bus.deadLetters('crm');
    expect(letters).toHaveLength(1);
    expect(letters[0]?.event.data).toEqual({ customerId: 42 });
    // The rejected event was not recorded as processed, so a fixed redelivery would run.
    expect(await inboxRows()).toHaveLength(1);
  });
});
