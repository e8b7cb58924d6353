import { createPlatformSchema, createTestDatabase, type TestDatabase } from '@only/testing';
import { asc, sql } from 'drizzle-orm';
import { pgSchema, text } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from './database.ts';
import { isForeignKeyViolation, isUniqueViolation } from './pg-errors.ts';
import { queryRows } from './raw-query.ts';
import { afterCommit, executor, inOpenTransaction, inTransaction } from './transaction.ts';

const schema = pgSchema('test_platform');
const things = schema.table('things', { id: text('id').primaryKey(), name: text('name').notNull() });

let testDb: TestDatabase;
let db: Database;

beforeAll(async () => {
  testDb = await createTestDatabase();
  db = testDb.handle.db;
  await createPlatformSchema(db, 'test_platform');
  await db.execute('create table test_platform.things (id text primary key, name text not null)');
  await db.execute(
    'create table test_platform.parts (id text primary key, thing_id text not null constraint parts_thing_fk references test_platform.things(id))',
  );
});

afterAll(async () => {
  await testDb.close();
});

beforeEach(async () => {
  await db.execute('truncate test_platform.parts, test_platform.things');
});

const names = async () => (await db.select().from(things).orderBy(asc(things.id))).map((t) => t.name);

describe('inTransaction', () => {
  it('commits the work and returns its result', async () => {
    const result = await inTransaction(db, async (tx) => {
      await tx.insert(things).values({ id: 't1', name: 'one' });
      return 'done';
    });
    expect(result).toBe('done');
    expect(await names()).toEqual(['one']);
  });

  it('rolls everything back when the work throws, and rethrows', async () => {
    await expect(
      inTransaction(db, async (tx) => {
        await tx.insert(things).values({ id: 't1', name: 'one' });
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await names()).toEqual([]);
  });

  it('a nested call joins the open transaction instead of opening another', async () => {
    await inTransaction(db, async (outer) => {
      await outer.insert(things).values({ id: 't1', name: 'outer' });
      await inTransaction(db, async (inner) => {
        expect(inner).toBe(outer);
        // The inner call sees the outer's uncommitted row: same transaction.
        const rows = await inner.select().from(things);
        expect(rows.map((r) => r.name)).toEqual(['outer']);
        await inner.insert(things).values({ id: 't2', name: 'inner' });
      });
    });
    expect(await names()).toEqual(['outer', 'inner']);
  });

  it('a failure in a nested call rolls back the outer work too', async () => {
    await expect(
      inTransaction(db, async (outer) => {
        await outer.insert(things).values({ id: 't1', name: 'outer' });
        await inTransaction(db, async (inner) => {
          await inner.insert(things).values({ id: 't2', name: 'inner' });
          throw new Error('inner failed');
        });
      }),
    ).rejects.toThrow('inner failed');
    expect(await names()).toEqual([]);
  });

  it('calls in separate async contexts get separate transactions', async () => {
    const seen: Database[] = [];
    await Promise.all(
      ['a', 'b'].map((id) =>
        inTransaction(db, async (tx) => {
          seen.push(tx);
          await tx.insert(things).values({ id, name: id });
        }),
      ),
    );
    expect(seen).toHaveLength(2);
    expect(seen[0]).not.toBe(seen[1]);
    expect(await names()).toEqual(['a', 'b']);
  });
});

describe('executor and inOpenTransaction', () => {
  it('is the open transaction inside inTransaction and the database outside', async () => {
    expect(executor(db)).toBe(db);
    expect(inOpenTransaction(db)).toBe(false);
    await inTransaction(db, async (tx) => {
      expect(executor(db)).toBe(tx);
      expect(inOpenTransaction(db)).toBe(true);
      // Still true after an await: the context follows the async flow.
      await Promise.resolve();
      expect(executor(db)).toBe(tx);
    });
    expect(executor(db)).toBe(db);
    expect(inOpenTransaction(db)).toBe(false);
  });

  it('writes through executor() join the transaction and roll back with it', async () => {
    await expect(
      inTransaction(db, async () => {
        await executor(db).insert(things).values({ id: 't1', name: 'via executor' });
        const rows = await queryRows<{ name: string }>(db, sql`select name from test_platform.things`);
        expect(rows).toEqual([{ name: 'via executor' }]);
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect(await names()).toEqual([]);
  });

  it('a transaction on another database handle is not joined', async () => {
    // Only the identity of the handle matters here; nothing is run on it.
    const other = {} as unknown as Database;
    await inTransaction(db, async (tx) => {
      expect(inOpenTransaction(other)).toBe(false);
      expect(executor(other)).toBe(other);
      expect(executor(db)).toBe(tx);
      await Promise.resolve();
    });
  });
});

describe('afterCommit', () => {
  it('runs callbacks only once the transaction committed, in registration order', async () => {
    const calls: string[] = [];
    await inTransaction(db, async (tx) => {
      afterCommit(() => calls.push('first'));
      await tx.insert(things).values({ id: 't1', name: 'one' });
      afterCommit(() => calls.push('second'));
      expect(calls).toEqual([]);
    });
    expect(calls).toEqual(['first', 'second']);
  });

  it('sees the committed data when it runs', async () => {
    let seen: string[] | undefined;
    let pending: Promise<void> | undefined;
    await inTransaction(db, async (tx) => {
      await tx.insert(things).values({ id: 't1', name: 'committed' });
      afterCommit(() => {
        pending = names().then((n) => {
          seen = n;
        });
      });
    });
    await pending;
    expect(seen).toEqual(['committed']);
  });

  it('never runs callbacks of a transaction that rolled back', async () => {
    const calls: string[] = [];
    await expect(
      inTransaction(db, async (tx) => {
        afterCommit(() => calls.push('should not run'));
        await tx.insert(things).values({ id: 't1', name: 'one' });
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect(calls).toEqual([]);
  });

  it('callbacks of a nested call wait for the outermost commit', async () => {
    const calls: string[] = [];
    await inTransaction(db, async () => {
      await inTransaction(db, () => {
        afterCommit(() => calls.push('inner'));
        return Promise.resolve();
      });
      expect(calls).toEqual([]);
    });
    expect(calls).toEqual(['inner']);

    calls.length = 0;
    await expect(
      inTransaction(db, async () => {
        await inTransaction(db, () => {
          afterCommit(() => calls.push('inner'));
          return Promise.resolve();
        });
        throw new Error('outer fails after inner succeeded');
      }),
    ).rejects.toThrow('outer fails');
    expect(calls).toEqual([]);
  });

  it('runs at once when no transaction is open', () => {
    const calls: string[] = [];
    afterCommit(() => calls.push('now'));
    expect(calls).toEqual(['now']);
  });
});

describe('pg errors', () => {
  it('recognises unique violations, optionally by constraint', async () => {
    await db.insert(things).values({ id: 't1', name: 'one' });
    const error: unknown = await db
      .insert(things)
      .values({ id: 't1', name: 'again' })
      .then(() => undefined)
      .catch((e: unknown) => e);
    expect(error).toBeDefined();
    expect(isUniqueViolation(error)).toBe(true);
    expect(isUniqueViolation(error, 'things_pkey')).toBe(true);
    expect(isUniqueViolation(error, 'other_key')).toBe(false);
    expect(isForeignKeyViolation(error)).toBe(false);
  });

  it('recognises foreign key violations, optionally by constraint', async () => {
    const error: unknown = await db
      .execute(sql`insert into test_platform.parts (id, thing_id) values ('p1', 'missing')`)
      .then(() => undefined)
      .catch((e: unknown) => e);
    expect(isForeignKeyViolation(error)).toBe(true);
    expect(isForeignKeyViolation(error, 'parts_thing_fk')).toBe(true);
    expect(isForeignKeyViolation(error, 'other_fk')).toBe(false);
    expect(isUniqueViolation(error)).toBe(false);
  });

  it('is false for anything else', () => {
    expect(isUniqueViolation(new Error('x'))).toBe(false);
    expect(isUniqueViolation(undefined)).toBe(false);
    expect(isUniqueViolation({ code: '23505' })).toBe(true);
    expect(isUniqueViolation({ cause: { cause: { code: '23505' } } })).toBe(true);
    expect(isForeignKeyViolation('23503')).toBe(false);
  });
});

describe('database handle', () => {
  it('answers ping and reports its kind', async () => {
    await expect(testDb.handle.ping()).resolves.toBeUndefined();
    expect(testDb.handle.kind).toBe(testDb.kind);
  });
});
