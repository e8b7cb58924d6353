// The premise of reconciliation's checksums: a row's canonical text and hash computed in SQL from
// the stored row equal those computed in JS from the mapped row — for awkward values too.
import { queryRows } from '@only/platform/db';
import { createTestDatabase, type TestDatabase } from '@only/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredShape } from '../src/modules/loader/index.ts';
import {
  canonicalValues,
  keyFingerprint,
  rowHash,
  rowText,
  keyBucketSql,
  keyHashSql,
  storedRowHashSql,
  storedRowTextSql,
} from '../src/modules/reconcile/canonical-row.ts';

const shape: StoredShape = {
  tables: ['canon_rows'],
  from: sql`canon_rows t`,
  tenantId: sql`'x'`,
  id: sql`t.id`,
  matchesIdMap: sql`t.id = m.only_id`,
  columns: [
    { field: 'name', sql: sql`t.name`, type: 'text' },
    { field: 'amount', sql: sql`t.amount`, type: 'integer' },
    { field: 'at', sql: sql`t.at`, type: 'timestamptz' },
  ],
};

const ROWS = [
  {
    key: '["1"]',
    name: 'Müller & Söhne | „Kaffee“ ☕ 𝄞',
    amount: 1250,
    at: new Date('2023-10-29T00:30:00.123Z'),
  },
  { key: '["2","B 7"]', name: '', amount: -9_007_199_254_740_991, at: new Date('1999-12-31T23:59:59Z') },
  { key: '["CF-000003"]', name: '~', amount: 0, at: null },
  { key: '["ä"]', name: null, amount: null, at: new Date('2024-02-29T12:00:00.999Z') },
];

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  const db = database.handle.db;
  await queryRows(
    db,
    sql`create table canon_rows (id text primary key, name text, amount bigint, at timestamptz)`,
  );
  for (const [i, row] of ROWS.entries()) {
    await queryRows(
      db,
      sql`insert into canon_rows values (${String(i)}, ${row.name}, ${row.amount}, ${row.at?.toISOString() ?? null}::timestamptz)`,
    );
  }
});

afterAll(async () => {
  await database.close();
});

describe('canonical rows in SQL and in JS', () => {
  it('give the same text and the same 64-bit hash for every row', async () => {
    for (const [i, row] of ROWS.entries()) {
      const [stored] = await queryRows<{ text: string; h: string; k: string; b: number }>(
        database.handle.db,
        sql`select ${storedRowTextSql(shape)} as text, ${storedRowHashSql(shape)}::text as h,
            ${keyHashSql}::text as k, ${keyBucketSql(11)} as b
          from (select ${row.key}::text as legacy_key, ${String(i)}::text as only_id) m, canon_rows t
          where t.id = m.only_id`,
      );
      const text = rowText(canonicalValues(shape, row));
      expect(stored?.text, row.key).toBe(text);
      expect(stored?.h, row.key).toBe(rowHash(row.key, text).toString());
      const key = keyFingerprint(row.key);
      expect(stored?.k, row.key).toBe(key.hash.toString());
      expect(stored?.b, row.key).toBe(key.top32 >>> (32 - 11));
    }
  });
});
