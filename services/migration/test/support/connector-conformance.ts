// The behaviour every SQL connector must show, run against real MariaDB, PostgreSQL and SQLite.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConnectorError,
  openSourceConnector,
  type KeyValue,
  type ReadOptions,
  type SourceBatch,
  type SourceConnector,
  type SourceRow,
  type SourceSpec,
  SqlSourceConnector,
} from '../../src/modules/connectors/index.ts';
import { COMPOSITE_ROWS, STRING_KEYS, type SourceFixture } from './connector-fixtures.ts';

async function collect(
  connector: SourceConnector,
  spec: SourceSpec,
  options?: ReadOptions,
): Promise<SourceBatch[]> {
  const batches: SourceBatch[] = [];
  for await (const batch of connector.read(spec, options)) batches.push(batch);
  return batches;
}

const rowsOf = (batches: SourceBatch[]) => batches.flatMap((batch) => batch.rows);
const keys = (rows: readonly SourceRow[], columns: string[]) => rows.map((row) => columns.map((c) => row[c]));

/** Registers the conformance suite for one source; `available` false skips it (no such server here). */
export function connectorConformance(
  name: string,
  createFixture: () => Promise<SourceFixture>,
  available = true,
): void {
  describe.skipIf(!available)(`${name} connector`, () => {
    let fixture: SourceFixture;
    let connector: SourceConnector;
    /** The source's own order of the string keys (its collation decides, not JavaScript). */
    let stringOrder: string[];

    beforeAll(async () => {
      fixture = await createFixture();
      connector = await openSourceConnector(fixture.url, { poolSize: 3 });
      if (!(connector instanceof SqlSourceConnector)) throw new Error('expected a SQL connector');
      const ordered = await connector.query({
        sql: `SELECT ${fixture.q('SKU')} FROM ${fixture.q('KS_STRING')} ORDER BY ${fixture.q('SKU')}`,
        params: [],
      });
      stringOrder = ordered.rows.map((row) => String(row.SKU));
    });

    afterAll(async () => {
      await connector.close();
      await fixture.drop();
    });

    describe('describe and listTables', () => {
      it('lists the tables', async () => {
        expect(await connector.listTables()).toEqual(
          expect.arrayContaining(['KS_INT', 'KS_COMPOSITE', 'KS_STRING', 'NO_PK']),
        );
      });

      it('gives columns in order with types and nullability, and the primary key', async () => {
        const shape = await connector.describe({ table: 'KS_INT' });
        expect(shape.columns.map((c) => c.name)).toEqual(['ID', 'NAME', 'AMOUNT', 'HAPPENED', 'NOTE', 'BIG']);
        expect(shape.columns.find((c) => c.name === 'NOTE')?.nullable).toBe(true);
        expect(shape.columns.find((c) => c.name === 'NAME')?.nullable).toBe(false);
        expect(shape.columns.find((c) => c.name === 'AMOUNT')?.dataType).toMatch(/^(decimal|numeric)/);
        expect(shape.primaryKey).toEqual(['ID']);
      });

      it('gives a composite primary key in key order, and none for a table without one', async () => {
        expect((await connector.describe({ table: 'KS_COMPOSITE' })).primaryKey).toEqual([
          'ORDER_NO',
          'LINE_NO',
        ]);
        expect((await connector.describe({ table: 'NO_PK' })).primaryKey).toEqual([]);
      });

      it('describes a query by its result columns', async () => {
        const shape = await connector.describe({
          query: `SELECT ${fixture.q('ORDER_NO')}, SUM(${fixture.q('QTY')}) AS ${fixture.q('TOTAL')} FROM ${fixture.q('KS_COMPOSITE')} GROUP BY ${fixture.q('ORDER_NO')}`,
          key: ['ORDER_NO'],
        });
        expect(shape.columns.map((c) => c.name)).toEqual(['ORDER_NO', 'TOTAL']);
      });

      it('reports a missing table as table_not_found', async () => {
        await expect(connector.describe({ table: 'NOPE' })).rejects.toMatchObject({
          code: 'table_not_found',
        });
      });
    });

    describe('keyset reads', () => {
      it('streams an integer-keyed table in batches, every row once, in key order', async () => {
        const batches = await collect(connector, { table: 'KS_INT' }, { batchSize: 7 });
        const rows = rowsOf(batches);
        expect(rows.map((row) => row.ID)).toEqual(Array.from({ length: 57 }, (_, i) => (i + 1) * 3));
        expect(batches.map((b) => b.rows.length)).toEqual([7, 7, 7, 7, 7, 7, 7, 7, 1]);
        for (const batch of batches) {
          expect(batch.lastKey).toEqual([batch.rows.at(-1)?.ID]);
        }
        expect(batches.map((b) => b.position)).toEqual([7, 14, 21, 28, 35, 42, 49, 56, 57]);
      });

      it('ends without an empty batch when the table divides evenly', async () => {
        const batches = await collect(connector, { table: 'KS_INT' }, { batchSize: 19 });
        expect(batches.map((b) => b.rows.length)).toEqual([19, 19, 19]);
      });

      it('pages a composite key with batch edges inside an order', async () => {
        const batches = await collect(connector, { table: 'KS_COMPOSITE' }, { batchSize: 3 });
        const rows = rowsOf(batches);
        expect(keys(rows, ['ORDER_NO', 'LINE_NO', 'QTY'])).toEqual(COMPOSITE_ROWS.map((r) => [...r]));
        // Order 1001 has two lines: the first batch ends inside order 1002.
        expect(batches[0]?.lastKey).toEqual([1002, 1]);
      });

      it("pages a string key in the source's own collation order, every key once", async () => {
        const batches = await collect(connector, { table: 'KS_STRING' }, { batchSize: 2 });
        const skus = rowsOf(batches).map((row) => row.SKU);
        expect(skus).toEqual(stringOrder);
        expect([...skus].sort()).toEqual([...STRING_KEYS].sort());
      });

      it('resumes after the last key of any batch with exactly the rows that followed', async () => {
        const all = rowsOf(await collect(connector, { table: 'KS_COMPOSITE' }, { batchSize: 4 }));
        const first = await collect(connector, { table: 'KS_COMPOSITE' }, { batchSize: 4 });
        for (const [index, batch] of first.entries()) {
          if (batch.lastKey === null) throw new Error('keyset batches have a last key');
          const rest = rowsOf(
            await collect(connector, { table: 'KS_COMPOSITE' }, { batchSize: 5, after: batch.lastKey }),
          );
          expect(rest).toEqual(all.slice((index + 1) * 4));
        }
      });

      it('resumes a string key after a key that sorts between case and accent variants', async () => {
        const middle = stringOrder[5] ?? '';
        const rest = rowsOf(
          await collect(connector, { table: 'KS_STRING' }, { batchSize: 3, after: [middle] }),
        );
        expect(rest.map((row) => row.SKU)).toEqual(stringOrder.slice(6));
      });

      it('reads only the rows of a key range, and counts the same rows', async () => {
        const range = {
          lower: { key: [1003, 2] as KeyValue, inclusive: true },
          upper: { key: [1007, 1] as KeyValue, inclusive: false },
        };
        const rows = rowsOf(await collect(connector, { table: 'KS_COMPOSITE' }, { batchSize: 2, range }));
        const expected = COMPOSITE_ROWS.filter(
          ([o, l]) => (o > 1003 || (o === 1003 && l >= 2)) && (o < 1007 || (o === 1007 && l < 1)),
        );
        expect(keys(rows, ['ORDER_NO', 'LINE_NO'])).toEqual(expected.map(([o, l]) => [o, l]));
        expect(await connector.count({ table: 'KS_COMPOSITE' }, { range })).toBe(expected.length);

        const exclusive = { lower: { key: [1003, 2] as KeyValue, inclusive: false } };
        const after = rowsOf(await collect(connector, { table: 'KS_COMPOSITE' }, { range: exclusive }));
        expect(keys(after, ['ORDER_NO', 'LINE_NO'])[0]).toEqual([1003, 3]);
      });

      it('counts a string-key range with inclusive upper bound', async () => {
        const upper = stringOrder[4] ?? '';
        expect(
          await connector.count(
            { table: 'KS_STRING' },
            { range: { upper: { key: [upper], inclusive: true } } },
          ),
        ).toBe(5);
        expect(await connector.count({ table: 'KS_STRING' }, { after: [upper] })).toBe(
          STRING_KEYS.length - 5,
        );
      });

      it('applies the filter to reads and counts', async () => {
        const filter = `${fixture.q('QTY')} > 5`;
        const rows = rowsOf(await collect(connector, { table: 'KS_COMPOSITE', filter }, { batchSize: 4 }));
        const expected = COMPOSITE_ROWS.filter(([, , qty]) => qty > 5);
        expect(keys(rows, ['ORDER_NO', 'LINE_NO'])).toEqual(expected.map(([o, l]) => [o, l]));
        expect(await connector.count({ table: 'KS_COMPOSITE', filter })).toBe(expected.length);
      });

      it('pages a SQL query on the key it names', async () => {
        const query = `SELECT ${fixture.q('ORDER_NO')}, SUM(${fixture.q('QTY')}) AS ${fixture.q('TOTAL')} FROM ${fixture.q('KS_COMPOSITE')} GROUP BY ${fixture.q('ORDER_NO')}`;
        const batches = await collect(connector, { query, key: ['ORDER_NO'] }, { batchSize: 6 });
        const totals = new Map<number, number>();
        for (const [order, , qty] of COMPOSITE_ROWS) totals.set(order, (totals.get(order) ?? 0) + qty);
        expect(rowsOf(batches).map((row) => [row.ORDER_NO, Number(row.TOTAL)])).toEqual([
          ...totals.entries(),
        ]);
        expect(batches.map((b) => b.rows.length)).toEqual([6, 6, 6, 2]);
        expect(await connector.count({ query, key: ['ORDER_NO'] }, { after: [1010] })).toBe(10);
      });

      it('reads the columns asked for, adding the key', async () => {
        const rows = rowsOf(
          await collect(connector, { table: 'KS_INT' }, { columns: ['NAME'], batchSize: 50 }),
        );
        expect(rows[0]).toEqual({ NAME: 'name 3', ID: 3 });
        expect(rows).toHaveLength(57);
      });

      it('matches key and column names regardless of case, as SQL does', async () => {
        const rows = rowsOf(
          await collect(connector, { table: 'KS_INT', key: ['id'] }, { columns: ['name'], batchSize: 30 }),
        );
        expect(rows).toHaveLength(57);
        expect(rows[56]).toEqual({ NAME: 'name 171', ID: 171 });
      });

      it('delivers values as the contract says', async () => {
        const [first] = rowsOf(
          await collect(connector, { table: 'KS_INT' }, { batchSize: 1 }).then((b) => b.slice(0, 1)),
        );
        const decimal = fixture.dialect === 'sqlite' ? 4.11 : '4.11';
        expect(first).toEqual({
          ID: 3,
          NAME: 'name 3',
          AMOUNT: decimal,
          HAPPENED: '2024-02-01 13:45:00',
          NOTE: null,
          // Beyond 2^53: text, never a rounded number.
          BIG: '9007199254740993',
        });
      });

      it('refuses to page a table without a key unless one is named', async () => {
        await expect(collect(connector, { table: 'NO_PK' })).rejects.toMatchObject({ code: 'no_key' });
        expect(await connector.count({ table: 'NO_PK' })).toBe(3);
        await expect(collect(connector, { table: 'KS_INT', key: ['MISSING'] })).rejects.toBeInstanceOf(
          ConnectorError,
        );
      });

      it('sees rows changed between batches (each batch is its own query)', async () => {
        const seen: unknown[] = [];
        let changed = false;
        for await (const batch of connector.read({ table: 'KS_INT' }, { batchSize: 20 })) {
          seen.push(...batch.rows.map((row) => row.ID));
          if (!changed) {
            changed = true;
            // The next batch is already in flight (prefetch); the one after it sees the new row.
            await fixture.exec(
              `INSERT INTO ${fixture.q('KS_INT')} VALUES (1000, 'late', 1.00, '2024-03-01 00:00:00', NULL, NULL)`,
            );
          }
        }
        expect(seen.at(-1)).toBe(1000);
        await fixture.exec(`DELETE FROM ${fixture.q('KS_INT')} WHERE ${fixture.q('ID')} = 1000`);
      });

      it('stops cleanly when the reader breaks early, and can read again', async () => {
        let batches = 0;
        for await (const batch of connector.read({ table: 'KS_COMPOSITE' }, { batchSize: 2 })) {
          expect(batch.rows).toHaveLength(2);
          batches++;
          if (batches === 2) break;
        }
        expect(batches).toBe(2);
        expect(await connector.count({ table: 'KS_COMPOSITE' })).toBe(COMPOSITE_ROWS.length);
      });

      it('stops when the signal aborts', async () => {
        const controller = new AbortController();
        const read = async () => {
          for await (const _batch of connector.read(
            { table: 'KS_INT' },
            { batchSize: 5, signal: controller.signal },
          )) {
            controller.abort();
          }
        };
        await expect(read()).rejects.toThrow(/abort/i);
      });

      it('refuses file-only and out-of-range options', async () => {
        await expect(collect(connector, { table: 'KS_INT' }, { skipRows: 3 })).rejects.toMatchObject({
          code: 'invalid_option',
        });
        await expect(collect(connector, { table: 'KS_INT' }, { batchSize: 0 })).rejects.toMatchObject({
          code: 'invalid_option',
        });
      });
    });
  });
}
