import { defineEvent, type EventEnvelope } from '@only/contracts/envelope';
import { customerDeletedV1 } from '@only/contracts/orders';
import {
  capturingLogger,
  createPlatformSchema,
  createTestDatabase,
  silentLogger,
  type TestDatabase,
} from '@only/testing';
import { asc, sql } from 'drizzle-orm';
import { pgSchema } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { z, ZodError } from 'zod';
import type { EventBus, MessageHeaders, Subscription } from '../bus/event-bus.ts';
import { InMemoryBus } from '../bus/memory-bus.ts';
import type { RequestContext } from '../context/index.ts';
import type { Database } from '../db/database.ts';
import { platformTables } from '../db/platform-tables.ts';
import { queryRows } from '../db/raw-query.ts';
import { inTransaction } from '../db/transaction.ts';
import { DEFAULT_RETENTION, Outbox, OutboxRelay, pruneExpired } from './index.ts';

const tables = platformTables(pgSchema('test_platform'));

const thingCreatedV1 = defineEvent({
  type: 'platformtest.thing.created',
  version: 1,
  description: 'A test thing was created.',
  schema: z.object({ name: z.string().min(1), quantity: z.number().int().positive() }),
});

const TENANT = 'ten_01m80n5wh0fq8bg2x0v9vtay4p';
const ctx: RequestContext = {
  tenantId: TENANT,
  actor: { type: 'user', id: 'usr_1' },
  requestId: 'req-1',
  correlationId: 'corr-1',
};

/** A bus that records what it accepts and can be told to refuse some events. */
class RecordingBus implements EventBus {
  readonly kind = 'recording';
  readonly published: { event: EventEnvelope; headers: MessageHeaders }[] = [];
  refuse: ((event: EventEnvelope) => boolean) | undefined;
  delayMs = 0;

  async publish(event: EventEnvelope, headers: MessageHeaders = {}): Promise<void> {
    if (this.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (this.refuse?.(event)) throw new Error(`broker refused ${event.aggregateId}`);
    this.published.push({ event, headers });
  }

  subscribe(_subscription: Subscription): Promise<void> {
    return Promise.resolve();
  }

  isHealthy(): boolean {
    return true;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  ids(): string[] {
    return this.published.map((p) => p.event.id);
  }
}

let testDb: TestDatabase;
let db: Database;
let outbox: Outbox;

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = testDb.handle.db;
  await createPlatformSchema(db, 'test_platform');
  outbox = new Outbox(db, tables.outbox, 'platformtest');
});

afterAll(async () => {
  await testDb.close();
});

beforeEach(async () => {
  await db.execute(
    'truncate test_platform.outbox, test_platform.processed_messages, test_platform.idempotency_keys',
  );
});

const outboxRows = () => db.select().from(tables.outbox).orderBy(asc(tables.outbox.id));

/** Emits `count` events, one transaction each, and returns them in emission order. */
async function emitMany(count: number, prefix = 'thing'): Promise<EventEnvelope[]> {
  const emitted: EventEnvelope[] = [];
  for (let i = 0; i < count; i++) {
    emitted.push(
      await inTransaction(db, () =>
        outbox.emit(
          thingCreatedV1,
          { name: `${prefix} ${i}`, quantity: i + 1 },
          { ctx, aggregateId: `${prefix}_${i}` },
        ),
      ),
    );
  }
  return emitted;
}

function relay(bus: EventBus, options: Partial<ConstructorParameters<typeof OutboxRelay>[0]> = {}) {
  return new OutboxRelay({
    db,
    table: tables.outbox,
    bus,
    logger: silentLogger(),
    source: 'platformtest',
    ...options,
  });
}

describe('Outbox.emit', () => {
  it('refuses to run outside a transaction and writes nothing', async () => {
    await expect(
      outbox.emit(thingCreatedV1, { name: 'x', quantity: 1 }, { ctx, aggregateId: 'thing_1' }),
    ).rejects.toThrow('Outbox.emit(platformtest.thing.created) must run inside inTransaction()');
    expect(await outboxRows()).toEqual([]);
  });

  it('stores the event with its envelope in the open transaction', async () => {
    const event = await inTransaction(db, () =>
      outbox.emit(thingCreatedV1, { name: 'Widget', quantity: 3 }, { ctx, aggregateId: 'thing_1' }),
    );
    expect(event).toMatchObject({
      type: 'platformtest.thing.created',
      version: 1,
      source: 'platformtest',
      tenantId: TENANT,
      aggregateId: 'thing_1',
      correlationId: 'corr-1',
      causationId: 'req-1',
      data: { name: 'Widget', quantity: 3 },
    });
    expect(event.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Date(event.occurredAt).toISOString()).toBe(event.occurredAt);

    const rows = await outboxRows();
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row).toMatchObject({
      id: event.id,
      tenantId: TENANT,
      type: 'platformtest.thing.created',
      version: 1,
      aggregateId: 'thing_1',
      headers: { 'x-correlation-id': 'corr-1' },
      publishedAt: null,
      attempts: 0,
      lastError: null,
    });
    expect(row.envelope).toEqual(event);
    expect(row.occurredAt.toISOString()).toBe(event.occurredAt);
  });

  it('uses the given causation id', async () => {
    const event = await inTransaction(db, () =>
      outbox.emit(
        thingCreatedV1,
        { name: 'x', quantity: 1 },
        { ctx, aggregateId: 'thing_1', causationId: 'evt-9' },
      ),
    );
    expect(event.causationId).toBe('evt-9');
  });

  it('validates data against the event schema; invalid data writes nothing', async () => {
    // Well typed, but breaks the schema's rules (min length, positive).
    const invalid = { name: '', quantity: -1 };
    await expect(
      inTransaction(db, () => outbox.emit(thingCreatedV1, invalid, { ctx, aggregateId: 'thing_1' })),
    ).rejects.toThrow(ZodError);
    expect(await outboxRows()).toEqual([]);
  });

  it('validates contract events too and stores the parsed data', async () => {
    const deletedAt = '2026-01-15T10:00:00.000Z';
    const extra = { customerId: 'cus_1', deletedAt, unexpected: 'dropped' } as z.infer<
      typeof customerDeletedV1.schema
    >;
    const event = await inTransaction(db, () =>
      outbox.emit(customerDeletedV1, extra, { ctx, aggregateId: 'cus_1' }),
    );
    expect(event.data).toEqual({ customerId: 'cus_1', deletedAt });
    expect((await outboxRows())[0]?.envelope.data).toEqual({ customerId: 'cus_1', deletedAt });

    const bad = { customerId: 'cus_1', deletedAt: 'yesterday' };
    await expect(
      inTransaction(db, () => outbox.emit(customerDeletedV1, bad, { ctx, aggregateId: 'cus_1' })),
    ).rejects.toThrow(ZodError);
    expect(await outboxRows()).toHaveLength(1);
  });

  it('an emit whose transaction rolls back leaves no row', async () => {
    await expect(
      inTransaction(db, async () => {
        await outbox.emit(thingCreatedV1, { name: 'x', quantity: 1 }, { ctx, aggregateId: 'thing_1' });
        await outbox.emit(thingCreatedV1, { name: 'y', quantity: 2 }, { ctx, aggregateId: 'thing_2' });
        throw new Error('the change failed after emitting');
      }),
    ).rejects.toThrow('the change failed after emitting');
    expect(await outboxRows()).toEqual([]);
  });

  it('notifies onCommitted listeners after commit only, never on rollback', async () => {
    const local = new Outbox(db, tables.outbox, 'platformtest');
    let notified = 0;
    local.onCommitted(() => notified++);

    await inTransaction(db, async () => {
      await local.emit(thingCreatedV1, { name: 'x', quantity: 1 }, { ctx, aggregateId: 'thing_1' });
      expect(notified).toBe(0);
    });
    expect(notified).toBeGreaterThan(0);

    notified = 0;
    await expect(
      inTransaction(db, async () => {
        await local.emit(thingCreatedV1, { name: 'x', quantity: 1 }, { ctx, aggregateId: 'thing_2' });
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect(notified).toBe(0);
  });
});

describe('OutboxRelay', () => {
  it('flush() publishes due rows in id order and marks them published', async () => {
    const emitted = await emitMany(5);
    const bus = new RecordingBus();
    expect(await relay(bus).flush()).toBe(5);

    expect(bus.ids()).toEqual(emitted.map((e) => e.id));
    expect(bus.published.map((p) => p.event)).toEqual(emitted);
    expect(bus.published.every((p) => p.headers['x-correlation-id'] === 'corr-1')).toBe(true);
    const rows = await outboxRows();
    expect(rows.every((r) => r.publishedAt instanceof Date)).toBe(true);
    expect(rows.every((r) => r.attempts === 0 && r.lastError === null)).toBe(true);

    // Published rows stay (the event log) but are not published again.
    expect(await relay(bus).flush()).toBe(0);
    expect(bus.published).toHaveLength(5);
    expect(await outboxRows()).toHaveLength(5);
  });

  it('works through many batches, still in id order', async () => {
    const emitted = await emitMany(7);
    const bus = new RecordingBus();
    expect(await relay(bus, { batchSize: 2 }).flush()).toBe(7);
    expect(bus.ids()).toEqual(emitted.map((e) => e.id));
  });

  it('publishes events emitted in one transaction in emission order', async () => {
    const emitted = await inTransaction(db, async () => {
      const events: EventEnvelope[] = [];
      for (let i = 0; i < 4; i++) {
        events.push(
          await outbox.emit(
            thingCreatedV1,
            { name: `n${i}`, quantity: 1 },
            { ctx, aggregateId: `thing_${i}` },
          ),
        );
      }
      return events;
    });
    const bus = new RecordingBus();
    await relay(bus).flush();
    expect(bus.published.map((p) => p.event.aggregateId)).toEqual(emitted.map((e) => e.aggregateId));
  });

  it('when the bus rejects, rows stay unpublished with attempts, last_error and a later next attempt', async () => {
    const emitted = await emitMany(2);
    const bus = new RecordingBus();
    bus.refuse = () => true;
    const { logger, lines } = capturingLogger();
    const failing = relay(bus, { baseBackoffMs: 60_000, maxBackoffMs: 120_000, logger });
    expect(await failing.flush()).toBe(0);

    const rows = await outboxRows();
    expect(rows.map((r) => r.id)).toEqual(emitted.map((e) => e.id));
    for (const row of rows) {
      expect(row.publishedAt).toBeNull();
      expect(row.attempts).toBe(1);
      expect(row.lastError).toBe(`broker refused ${row.aggregateId}`);
    }
    const due = await queryRows<{ future: boolean }>(
      db,
      sql`select next_attempt_at > now() + interval '30 seconds' as future from test_platform.outbox`,
    );
    expect(due).toEqual([{ future: true }, { future: true }]);
    const warnings = lines()
      .map((l) => JSON.parse(l) as { msg: string })
      .filter((l) => l.msg === 'publishing outbox event failed');
    expect(warnings).toHaveLength(2);

    // Not due yet: even a healthy bus gets nothing.
    bus.refuse = undefined;
    expect(await failing.flush()).toBe(0);
    expect(bus.published).toEqual([]);

    // Once due, they are published and marked.
    await db.execute('update test_platform.outbox set next_attempt_at = now()');
    expect(await failing.flush()).toBe(2);
    expect(bus.ids()).toEqual(emitted.map((e) => e.id));
    expect((await outboxRows()).every((r) => r.publishedAt !== null)).toBe(true);
  });

  it('backs off exponentially up to the maximum', async () => {
    await emitMany(1);
    const bus = new RecordingBus();
    bus.refuse = () => true;
    const failing = relay(bus, { baseBackoffMs: 60_000, maxBackoffMs: 100_000 });
    const delaySeconds = () =>
      queryRows<{ seconds: number }>(
        db,
        sql`select extract(epoch from next_attempt_at - now())::float8 as seconds from test_platform.outbox`,
      );

    await failing.flush();
    const [first] = await delaySeconds();
    expect(first?.seconds).toBeGreaterThan(50);
    expect(first?.seconds).toBeLessThanOrEqual(60);

    await db.execute('update test_platform.outbox set next_attempt_at = now()');
    await failing.flush();
    // 2 × 60 s would be 120 s: capped at 100 s.
    const [second] = await delaySeconds();
    expect(second?.seconds).toBeGreaterThan(90);
    expect(second?.seconds).toBeLessThanOrEqual(100);
    expect((await outboxRows())[0]?.attempts).toBe(2);
  });

  it('a partial failure publishes the others and keeps only the refused row', async () => {
    const emitted = await emitMany(3);
    const bus = new RecordingBus();
    bus.refuse = (event) => event.aggregateId === 'thing_1';
    expect(await relay(bus, { baseBackoffMs: 60_000 }).flush()).toBe(2);
    expect(bus.ids()).toEqual([emitted[0]!.id, emitted[2]!.id]);
    const rows = await outboxRows();
    expect(rows.map((r) => [r.aggregateId, r.publishedAt === null, r.attempts])).toEqual([
      ['thing_0', false, 0],
      ['thing_1', true, 1],
      ['thing_2', false, 0],
    ]);
  });

  it('two relays flushing at once publish each row exactly once', async () => {
    const emitted = await emitMany(40);
    const bus = new RecordingBus();
    // Slow publishes keep each batch's rows locked while the other relay claims the next ones.
    bus.delayMs = 2;
    const [a, b] = await Promise.all([
      relay(bus, { batchSize: 5 }).flush(),
      relay(bus, { batchSize: 5 }).flush(),
    ]);
    expect(a + b).toBe(40);
    expect([...bus.ids()].sort()).toEqual(emitted.map((e) => e.id).sort());
    expect(new Set(bus.ids()).size).toBe(40);
    expect((await outboxRows()).every((r) => r.publishedAt !== null)).toBe(true);
  });

  it('delivers through a real bus with the envelope intact', async () => {
    const bus = new InMemoryBus();
    const received: EventEnvelope[] = [];
    await bus.subscribe({
      consumer: 'listener',
      patterns: ['platformtest.#'],
      handler: (event) => {
        received.push(event);
        return Promise.resolve();
      },
    });
    const emitted = await emitMany(3);
    await relay(bus).flush();
    await bus.drain();
    expect(received).toEqual(emitted);
  });

  it('started, it publishes when kicked after a commit; stop() ends the loop', async () => {
    const bus = new RecordingBus();
    const running = relay(bus, { pollIntervalMs: 60_000 });
    const local = new Outbox(db, tables.outbox, 'platformtest');
    local.onCommitted(() => {
      running.kick();
    });
    running.start();
    running.start(); // idempotent
    try {
      const event = await inTransaction(db, () =>
        local.emit(thingCreatedV1, { name: 'kicked', quantity: 1 }, { ctx, aggregateId: 'thing_k' }),
      );
      await vi.waitFor(
        () => {
          expect(bus.ids()).toEqual([event.id]);
        },
        { interval: 5, timeout: 5_000 },
      );
    } finally {
      await running.stop();
    }
    expect((await outboxRows())[0]?.publishedAt).not.toBeNull();
  });

  it('stop() during a batch returns without waiting out the poll interval', async () => {
    await emitMany(1);
    const bus = new RecordingBus();
    bus.delayMs = 200;
    let publishing = false;
    const publish = bus.publish.bind(bus);
    bus.publish = (event, headers) => {
      publishing = true;
      return publish(event, headers);
    };
    const running = relay(bus, { pollIntervalMs: 60_000 });
    running.start();
    // The first batch is publishing (slowly) when stop() arrives: nothing is asleep to be woken.
    await vi.waitFor(
      () => {
        expect(publishing).toBe(true);
      },
      { interval: 1, timeout: 5_000 },
    );
    const stopping = running.stop().then(() => 'stopped' as const);
    const outcome = await Promise.race([
      stopping,
      new Promise<'hung'>((resolve) => {
        setTimeout(() => {
          resolve('hung');
        }, 5_000);
      }),
    ]);
    expect(outcome).toBe('stopped');
    expect(bus.published).toHaveLength(1);
  });

  it('stop() publishes what is still due before returning', async () => {
    const bus = new RecordingBus();
    const running = relay(bus, { pollIntervalMs: 60_000 });
    running.start();
    // Emitted without kicking the relay, which sleeps for a minute.
    const emitted = await emitMany(3);
    await running.stop();
    expect([...bus.ids()].sort()).toEqual(emitted.map((e) => e.id).sort());
    expect(new Set(bus.ids()).size).toBe(3);
    expect((await outboxRows()).every((r) => r.publishedAt !== null)).toBe(true);
    // Stopping twice is harmless.
    await running.stop();
  });
});

describe('pruneExpired', () => {
  const DAY = 24 * 60 * 60 * 1000;
  const now = new Date('2026-03-01T12:00:00.000Z');
  const ago = (ms: number) => new Date(now.getTime() - ms);

  function outboxRow(id: string, publishedAt: Date | null, occurredAt: Date) {
    const envelope: EventEnvelope = {
      id,
      type: 'platformtest.thing.created',
      version: 1,
      occurredAt: occurredAt.toISOString(),
      source: 'platformtest',
      tenantId: TENANT,
      aggregateId: id,
      correlationId: 'c',
      causationId: null,
      data: {},
    };
    return {
      id,
      tenantId: TENANT,
      type: envelope.type,
      version: 1,
      aggregateId: id,
      envelope,
      occurredAt,
      publishedAt,
      nextAttemptAt: now,
    };
  }

  beforeEach(async () => {
    await db.insert(tables.outbox).values([
      outboxRow('00000000-0000-7000-8000-000000000001', ago(8 * DAY), ago(8 * DAY)), // expired
      outboxRow('00000000-0000-7000-8000-000000000002', ago(6 * DAY), ago(6 * DAY)), // kept
      outboxRow('00000000-0000-7000-8000-000000000003', null, ago(30 * DAY)), // never published: kept
    ]);
    await db.insert(tables.processedMessages).values([
      {
        consumer: 'c',
        messageId: '00000000-0000-7000-8000-00000000000a',
        type: 't',
        processedAt: ago(8 * DAY),
      },
      { consumer: 'c', messageId: '00000000-0000-7000-8000-00000000000b', type: 't', processedAt: ago(DAY) },
    ]);
    await db.insert(tables.idempotencyKeys).values([
      { tenantId: TENANT, key: 'old', fingerprint: 'f', method: 'POST', path: '/x', createdAt: ago(2 * DAY) },
      {
        tenantId: TENANT,
        key: 'new',
        fingerprint: 'f',
        method: 'POST',
        path: '/x',
        createdAt: ago(60 * 60 * 1000),
      },
    ]);
  });

  it('deletes only what outlived the default retention and counts it', async () => {
    expect(DEFAULT_RETENTION).toEqual({ outboxMs: 7 * DAY, inboxMs: 7 * DAY, idempotencyMs: DAY });
    expect(await pruneExpired(db, tables, DEFAULT_RETENTION, now)).toEqual({
      outbox: 1,
      inbox: 1,
      idempotency: 1,
    });

    expect((await outboxRows()).map((r) => r.id)).toEqual([
      '00000000-0000-7000-8000-000000000002',
      '00000000-0000-7000-8000-000000000003',
    ]);
    expect((await db.select().from(tables.processedMessages)).map((r) => r.messageId)).toEqual([
      '00000000-0000-7000-8000-00000000000b',
    ]);
    expect((await db.select().from(tables.idempotencyKeys)).map((r) => r.key)).toEqual(['new']);

    // Running again finds nothing more.
    expect(await pruneExpired(db, tables, DEFAULT_RETENTION, now)).toEqual({
      outbox: 0,
      inbox: 0,
      idempotency: 0,
    });
  });

  it('follows a custom policy but never deletes unpublished events', async () => {
    const everything = { outboxMs: 0, inboxMs: 0, idempotencyMs: 0 };
    expect(await pruneExpired(db, tables, everything, now)).toEqual({ outbox: 2, inbox: 2, idempotency: 2 });
    expect((await outboxRows()).map((r) => r.id)).toEqual(['00000000-0000-7000-8000-000000000003']);
  });
});
