// The CSV connector on real files: header row as columns, file order, resume by position.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openSourceConnector,
  type ReadOptions,
  type SourceBatch,
  type SourceConnector,
  type SourceSpec,
} from '../src/modules/connectors/index.ts';

let dir: string;
let connector: SourceConnector;

const CUSTOMERS =
  '\uFEFFCUST_ID,CUST_NAME,EMAIL,NOTE\n' +
  '1,"Müller, Anna",anna@example.com,\n' +
  '2,"Keller & Söhne ""KS""",,""\n' +
  '3,"Line\nbreak",x@example.com,ok\n' +
  '\n' +
  Array.from({ length: 22 }, (_, i) => `${i + 4},Name ${i + 4},n${i + 4}@example.com,n\n`).join('');

async function collect(spec: SourceSpec, options?: ReadOptions, source = connector): Promise<SourceBatch[]> {
  const batches: SourceBatch[] = [];
  for await (const batch of source.read(spec, options)) batches.push(batch);
  return batches;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'only-csv-'));
  writeFileSync(join(dir, 'CUSTOMERS.csv'), CUSTOMERS);
  writeFileSync(join(dir, 'orders.csv'), 'ORDER_NO,CUST_ID\n100001,1\n100002,2\n');
  writeFileSync(join(dir, 'EMPTY.csv'), '');
  writeFileSync(join(dir, 'RAGGED.csv'), 'A,B\n1,2\n3\n');
  writeFileSync(join(dir, 'DUPES.csv'), 'A,A\n1,2\n');
  writeFileSync(join(dir, 'notes.txt'), 'not a table');
  connector = await openSourceConnector(`csv:${dir}`);
});

afterAll(async () => {
  await connector.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('CSV connector', () => {
  it('lists the CSV files of the directory as tables', async () => {
    expect(await connector.listTables()).toEqual(['CUSTOMERS', 'DUPES', 'EMPTY', 'RAGGED', 'orders']);
    expect(connector.supportsKeyset).toBe(false);
  });

  it('describes a file by its header row (BOM skipped), with the key the mapping declares', async () => {
    const shape = await connector.describe({ table: 'CUSTOMERS', key: ['CUST_ID'] });
    expect(shape.columns.map((c) => c.name)).toEqual(['CUST_ID', 'CUST_NAME', 'EMAIL', 'NOTE']);
    expect(shape.primaryKey).toEqual(['CUST_ID']);
    await expect(connector.describe({ table: 'CUSTOMERS', key: ['NOPE'] })).rejects.toMatchObject({
      code: 'column_not_found',
    });
  });

  it('streams rows in file order, in batches, with quoted commas, quotes and line breaks intact', async () => {
    const batches = await collect({ table: 'CUSTOMERS' }, { batchSize: 10 });
    expect(batches.map((b) => b.rows.length)).toEqual([10, 10, 5]);
    expect(batches.map((b) => b.position)).toEqual([10, 20, 25]);
    expect(batches.every((b) => b.lastKey === null)).toBe(true);
    const rows = batches.flatMap((b) => b.rows);
    expect(rows.map((r) => r.CUST_ID)).toEqual(Array.from({ length: 25 }, (_, i) => String(i + 1)));
    expect(rows[0]).toEqual({
      CUST_ID: '1',
      CUST_NAME: 'Müller, Anna',
      EMAIL: 'anna@example.com',
      NOTE: null,
    });
    // Unquoted empty → null; quoted empty → empty string.
    expect(rows[1]).toEqual({ CUST_ID: '2', CUST_NAME: 'Keller & Söhne "KS"', EMAIL: null, NOTE: '' });
    expect(rows[2]?.CUST_NAME).toBe('Line\nbreak');
  });

  it('resumes by position with skipRows', async () => {
    const first = await collect({ table: 'CUSTOMERS' }, { batchSize: 10 });
    const resumed = await collect(
      { table: 'CUSTOMERS' },
      { batchSize: 10, skipRows: first[0]?.position ?? 0 },
    );
    expect(resumed.flatMap((b) => b.rows)).toEqual(first.slice(1).flatMap((b) => b.rows));
    expect(resumed.map((b) => b.position)).toEqual([20, 25]);
  });

  it('reads only the columns asked for', async () => {
    const rows = (await collect({ table: 'orders' }, { columns: ['ORDER_NO'] })).flatMap((b) => b.rows);
    expect(rows).toEqual([{ ORDER_NO: '100001' }, { ORDER_NO: '100002' }]);
    await expect(collect({ table: 'orders' }, { columns: ['NOPE'] })).rejects.toMatchObject({
      code: 'column_not_found',
    });
  });

  it('finds a table ignoring case when no file matches exactly', async () => {
    expect(await connector.count({ table: 'ORDERS' })).toBe(2);
    expect(await connector.count({ table: 'customers' })).toBe(25);
  });

  it('refuses keys, ranges, filters and queries: files have no key order', async () => {
    await expect(collect({ table: 'CUSTOMERS' }, { after: ['3'] })).rejects.toMatchObject({
      code: 'keyset_unsupported',
    });
    await expect(
      collect({ table: 'CUSTOMERS' }, { range: { lower: { key: ['3'], inclusive: true } } }),
    ).rejects.toMatchObject({ code: 'keyset_unsupported' });
    await expect(collect({ table: 'CUSTOMERS', filter: 'CUST_ID > 3' })).rejects.toMatchObject({
      code: 'keyset_unsupported',
    });
    await expect(collect({ query: 'SELECT 1', key: ['X'] })).rejects.toMatchObject({
      code: 'keyset_unsupported',
    });
    await expect(connector.count({ table: 'CUSTOMERS' }, { after: ['1'] })).rejects.toMatchObject({
      code: 'keyset_unsupported',
    });
  });

  it('reports missing files, files outside the directory, empty files and bad headers', async () => {
    await expect(collect({ table: 'MISSING' })).rejects.toMatchObject({ code: 'table_not_found' });
    await expect(collect({ table: '../etc/passwd' })).rejects.toMatchObject({ code: 'invalid_option' });
    await expect(connector.describe({ table: 'EMPTY' })).rejects.toThrow(/needs a header row/);
    await expect(connector.describe({ table: 'DUPES' })).rejects.toThrow(/"A" appears twice/);
  });

  it('fails on a row with the wrong number of fields rather than guessing', async () => {
    await expect(collect({ table: 'RAGGED' })).rejects.toThrow(/record length|columns/i);
  });

  it('honours delimiter, encoding and empty options from the URL', async () => {
    const other = mkdtempSync(join(tmpdir(), 'only-csv-'));
    try {
      writeFileSync(join(other, 'KUNDEN.txt'), Buffer.from('NR;NAME;ORT\n1;Jürgen;\n', 'latin1'));
      const latin = await openSourceConnector(
        `csv:${other}?delimiter=;&encoding=latin1&extension=txt&empty=empty`,
      );
      const rows = (await collect({ table: 'KUNDEN' }, {}, latin)).flatMap((b) => b.rows);
      expect(rows).toEqual([{ NR: '1', NAME: 'Jürgen', ORT: '' }]);
      await latin.close();
      await expect(openSourceConnector(`csv:${other}?colour=blue`)).rejects.toMatchObject({
        code: 'invalid_option',
      });
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
