// The legacy ACME mapping file against the legacy ACME data: it compiles, clean rows map, each
// dirty row is rejected for the documented field and rule (or cleaned as documented), and rows
// read through real SQLite and MariaDB connectors map exactly like the generated ones.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DIRTY,
  LEGACY_ACME_MAPPING_PATH,
  LegacyAcmeGenerator,
  loadLegacyAcme,
  type LegacyTableName,
} from '@only/example-legacy-acme';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSourceConnector, type SourceRow } from '../src/modules/connectors/index.ts';
import {
  compileMapping,
  formatMappingError,
  readMappingFile,
  type CompiledMapping,
  type FieldError,
  type MappedValue,
} from '../src/modules/mapping/index.ts';
import { MARIADB_URL } from './support/connector-fixtures.ts';

const TABLE_OF: Record<string, LegacyTableName> = {
  customers: 'CUSTOMERS',
  products: 'PRODUCTS',
  stock: 'STOCK',
  orders: 'ORDERS',
  orderLines: 'ORDER_LINES',
  invoices: 'INVOICES',
  payments: 'PAYMENTS',
};

interface Outcome {
  readonly accepted: Map<string, Record<string, MappedValue>>;
  readonly rejected: Map<string, readonly FieldError[]>;
}

/**
 * Runs every entity in dependency order over rows from `rowsOf`, resolving references through an
 * in-memory id map filled with the accepted rows (what migrate will keep in a table).
 */
async function migrateInMemory(
  compiled: CompiledMapping,
  rowsOf: (entity: string) => AsyncIterable<SourceRow> | Iterable<SourceRow>,
): Promise<Map<string, Outcome>> {
  const ids = new Map<string, string>();
  const outcomes = new Map<string, Outcome>();
  for (const name of compiled.order) {
    const entity = compiled.entity(name);
    const outcome: Outcome = { accepted: new Map(), rejected: new Map() };
    for await (const row of rowsOf(name)) {
      const result = entity.transform(row, {
        resolveRef: (target, legacyKey) => ids.get(`${target}:${legacyKey}`),
      });
      if (result.ok) {
        outcome.accepted.set(result.legacyKey, result.value);
        // A stand-in Only id that does not depend on read order.
        ids.set(`${name}:${result.legacyKey}`, `${name}:${result.legacyKey}`);
      } else {
        outcome.rejected.set(result.legacyKey ?? '?', result.errors);
      }
    }
    outcomes.set(name, outcome);
  }
  return outcomes;
}

const key = (...parts: (string | number)[]) => JSON.stringify(parts.map(String));

/** The SQL filter of the stock entity, applied to generated rows. */
const inMemoryFilter = (entity: string, row: SourceRow) => entity !== 'stock' || row.WH_CODE !== 'DEAD';

let compiled: CompiledMapping;
const generator = new LegacyAcmeGenerator({ scale: 60 });
let generated: Map<string, Outcome>;

beforeAll(async () => {
  const parsed = await readMappingFile(LEGACY_ACME_MAPPING_PATH);
  if (!parsed.ok) throw new Error(parsed.errors.map(formatMappingError).join('\n'));
  compiled = compileMapping(parsed.mapping);
  generated = await migrateInMemory(compiled, function* (entity) {
    for (const row of generator.rows(TABLE_OF[entity] ?? 'CUSTOMERS')) {
      if (inMemoryFilter(entity, row)) yield { ...row };
    }
  });
});

describe('examples/legacy-acme/mapping.yaml', () => {
  it('compiles, with the load order its references imply', () => {
    expect(compiled.order).toEqual([
      'customers',
      'products',
      'stock',
      'orders',
      'orderLines',
      'invoices',
      'payments',
    ]);
    expect(compiled.entity('stock').watermark).toBeNull();
    expect(compiled.entity('orderLines').key).toEqual(['ORDER_NO', 'LINE_NO']);
  });

  it('maps clean rows to the Only shapes', () => {
    const orders = generated.get('orders');
    const order = orders?.accepted.get(key(100_001));
    expect(order).toEqual({
      number: '100001',
      customerId: expect.stringMatching(/^customers:\["\d+"\]$/) as string,
      status: expect.stringMatching(/^(pending|confirmed|fulfilled|completed|cancelled)$/) as string,
      currency: 'EUR',
      subtotal: expect.any(Number) as number,
      taxTotal: expect.any(Number) as number,
      grandTotal: expect.any(Number) as number,
      notes: expect.toBeOneOf([null, expect.any(String)]) as unknown,
      placedAt: expect.stringMatching(/^2019-01-01T\d\d:\d\d:\d\d\.000Z$/) as string,
      updatedAt: expect.any(String) as string,
    });
    // Totals are exact integers from decimal text: gross = net + tax, as in the legacy row.
    const legacy = generator.order(100_001).order;
    expect(order?.subtotal).toBe(Math.round(Number(legacy.NET_AMT) * 100));
    expect(order?.grandTotal).toBe((order?.subtotal as number) + (order?.taxTotal as number));
  });

  it('rejects each dirty row for the documented field and rule', () => {
    for (const dirty of generator.dirtyRows()) {
      const outcome = generated.get(dirty.outcome.entity);
      const rowKey = key(...dirty.key);
      if (dirty.outcome.kind === 'rejected') {
        expect(outcome?.accepted.has(rowKey), `${dirty.table} ${rowKey} should be rejected`).toBe(false);
        expect(outcome?.rejected.get(rowKey)?.map((e) => [e.field, e.rule])).toEqual([
          [dirty.outcome.field, dirty.outcome.rule],
        ]);
      } else {
        expect(outcome?.rejected.has(rowKey), `${dirty.table} ${rowKey} should be cleaned`).toBe(false);
        expect(outcome?.accepted.has(rowKey)).toBe(true);
      }
    }
  });

  it('cleans the fixable dirty rows as documented', () => {
    const customers = generated.get('customers')?.accepted;
    expect(customers?.get(key(DIRTY.paddedCustomer))).toMatchObject({
      name: (generator.customer(DIRTY.paddedCustomer).CUST_NAME as string).trim(),
      email: 'orders.8@keller-soehne.example',
    });
    expect(customers?.get(key(DIRTY.blankPhoneCustomer))?.phone).toBeNull();
    // 02:30 on 2023-10-29 happened twice in Berlin: the earlier one (still summer time) is taken.
    expect(generated.get('orders')?.accepted.get(key(DIRTY.ambiguousTimeOrder))?.placedAt).toBe(
      '2023-10-29T00:30:00.000Z',
    );
  });

  it('rejects nothing else but rows whose referenced row was rejected (nothing dropped silently)', () => {
    let rows = 0;
    for (const [entity, outcome] of generated) {
      rows += outcome.accepted.size + outcome.rejected.size;
      for (const [rowKey, errors] of outcome.rejected) {
        const documented = generator
          .dirtyRows()
          .some((dirty) => dirty.outcome.entity === entity && key(...dirty.key) === rowKey);
        if (documented) continue;
        // A cascade: e.g. the lines of the order whose customer does not exist.
        expect(
          errors.map((e) => e.rule),
          `${entity} ${rowKey}`,
        ).toEqual(['ref']);
      }
    }
    let expected = 0;
    for (const [entity, table] of Object.entries(TABLE_OF)) {
      for (const row of generator.rows(table)) if (inMemoryFilter(entity, row)) expected++;
    }
    expect(rows).toBe(expected);
    const orphanLines = [...(generated.get('orderLines')?.rejected.keys() ?? [])].filter((k) =>
      k.startsWith(`["${DIRTY.missingCustomerOrder}"`),
    );
    expect(orphanLines.length).toBe(generator.order(DIRTY.missingCustomerOrder).lines.length);
  });
});

describe('the same mapping over real sources', () => {
  const scale = 24;
  const small = new LegacyAcmeGenerator({ scale });
  let expected: Map<string, Outcome>;
  const dir = mkdtempSync(join(tmpdir(), 'only-acme-'));
  const database = `only_acme_${randomBytes(5).toString('hex')}`;

  beforeAll(async () => {
    expected = await migrateInMemory(compiled, function* (entity) {
      for (const row of small.rows(TABLE_OF[entity] ?? 'CUSTOMERS'))
        if (inMemoryFilter(entity, row)) yield { ...row };
    });
    await loadLegacyAcme({ target: `sqlite:${join(dir, 'acme.db')}`, scale });
    if (MARIADB_URL !== '')
      await loadLegacyAcme({ target: `${MARIADB_URL}/${database}`, scale, batchSize: 100 });
  });

  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    if (MARIADB_URL === '') return;
    const admin = await mysql.createConnection({ uri: MARIADB_URL });
    await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await admin.end();
  });

  const sources: [string, () => string][] = [['SQLite', () => `sqlite:${join(dir, 'acme.db')}`]];
  // Only where a MariaDB server is named (MARIADB_URL).
  if (MARIADB_URL !== '') sources.push(['MariaDB', () => `${MARIADB_URL}/${database}`]);

  it.each(sources)(
    '%s: every mapped column exists, and rows read in batches map exactly as generated',
    async (_name, url) => {
      const connector = await openSourceConnector(url());
      try {
        for (const name of compiled.order) {
          const shape = await connector.describe(compiled.entity(name).source);
          const columns = shape.columns.map((c) => c.name);
          for (const column of compiled.entity(name).sourceColumns) expect(columns, name).toContain(column);
        }
        const fromSource = await migrateInMemory(compiled, async function* (entity) {
          for await (const batch of connector.read(compiled.entity(entity).source, { batchSize: 17 })) {
            yield* batch.rows;
          }
        });
        for (const name of compiled.order) {
          expect(fromSource.get(name)?.rejected, name).toEqual(expected.get(name)?.rejected);
          expect(fromSource.get(name)?.accepted, name).toEqual(expected.get(name)?.accepted);
        }
      } finally {
        await connector.close();
      }
    },
  );
});
