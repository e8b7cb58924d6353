// Migration runs through the HTTP API: the legacy ACME example started from a named SQLite source
// and the server's mapping file, followed live to its end, read back with its counts, listed, and
// its quarantined rows read with their reasons and source values; dry runs and inline mappings.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { readFile } from 'node:fs/promises';
import {
  DIRTY,
  LEGACY_ACME_MAPPING_PATH,
  LegacyAcmeGenerator,
  loadLegacyAcme,
} from '@only/example-legacy-acme';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QuarantinedRow } from '../src/modules/quarantine/quarantine.dto.ts';
import type { Run } from '../src/modules/runs/runs.dto.ts';
import { startMigrationApi, type MigrationApi, type MigrationClient } from './support/migration-api.ts';

const SCALE = 24;
const generator = new LegacyAcmeGenerator({ scale: SCALE });
const dir = mkdtempSync(join(tmpdir(), 'only-migration-api-'));
const acmeDb = join(dir, 'acme.db');
const secretsDb = join(dir, 'secrets.db');
let api: MigrationApi;

/** Generated rows per loadable entity of the mapping. */
const generated: Record<string, number> = {
  customers: [...generator.rows('CUSTOMERS')].length,
  products: [...generator.rows('PRODUCTS')].length,
  orders: [...generator.rows('ORDERS')].length,
  orderLines: [...generator.rows('ORDER_LINES')].length,
  stock: [...generator.rows('STOCK')].filter((r) => r.WH_CODE !== 'DEAD').length,
};

beforeAll(async () => {
  await loadLegacyAcme({ target: `sqlite:${acmeDb}`, scale: SCALE });
  await loadLegacyAcme({ target: `sqlite:${secretsDb}`, scale: SCALE });
  const legacy = new DatabaseSync(secretsDb);
  legacy.exec("ALTER TABLE CUSTOMERS ADD COLUMN WEB_PASSWORD TEXT DEFAULT 'hunter2'");
  legacy.close();
  api = await startMigrationApi({
    sources: [
      { name: 'acme-legacy', url: `sqlite:${acmeDb}`, description: 'ACME order system' },
      { name: 'with-secrets', url: `sqlite:${secretsDb}` },
    ],
    mappingsDir: dirname(LEGACY_ACME_MAPPING_PATH),
  });
}, 60_000);

afterAll(async () => {
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Starts a run (expects 202) and follows its events until the stream ends. */
async function runToEnd(client: MigrationClient, body: Record<string, unknown>) {
  const started = await client.post('/runs', body);
  expect(started.status, started.text).toBe(202);
  const run = started.run();
  expect(started.header('location')).toBe(`runs/${run.id}`);
  const stream = await client.events(run.id);
  await stream.untilEnded();
  return { run, stream };
}

async function allQuarantined(client: MigrationClient, query: string): Promise<QuarantinedRow[]> {
  const rows: QuarantinedRow[] = [];
  let cursor: string | null = null;
  do {
    const url: string = `/quarantine?${query}&limit=7${cursor === null ? '' : `&cursor=${cursor}`}`;
    const response = await client.get(url);
    expect(response.status, response.text).toBe(200);
    const page = response.quarantined();
    rows.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return rows;
}

describe('a run of the legacy ACME example', () => {
  let client: MigrationClient;
  let first: Run;
  let events: { event: string | undefined; data: string }[];

  beforeAll(async () => {
    client = api.newTenant();
    const { run, stream } = await runToEnd(client, {
      mappingFile: 'mapping.yaml',
      source: 'acme-legacy',
      batchSize: 2,
    });
    first = run;
    events = stream.events;
    expect(stream.contentType).toMatch(/^text\/event-stream/);
  }, 60_000);

  it('answers 202 with the stored run, then streams it to its end', () => {
    expect(first).toMatchObject({
      id: expect.stringMatching(/^mrun_/) as unknown,
      dryRun: false,
      mappingName: 'mapping.yaml',
      source: `sqlite:${acmeDb}`,
    });
    expect(events[0]?.event).toBe('run');
    expect(events.at(-1)?.event).toBe('end');
    const end = JSON.parse(events.at(-1)?.data ?? '{}') as Run;
    expect(end).toMatchObject({ id: first.id, status: 'completed', error: null });
    // Every event between is progress (this process executes the run), counts never going back.
    const middle = events.slice(1, -1);
    expect(middle.length).toBeGreaterThan(0);
    expect(middle.every((e) => e.event === 'progress')).toBe(true);
    const read = new Map<string, number>();
    for (const e of middle) {
      const progress = JSON.parse(e.data) as { kind: string; entity: string; counts?: { read: number } };
      if (progress.counts === undefined) continue;
      expect(progress.counts.read).toBeGreaterThanOrEqual(read.get(progress.entity) ?? 0);
      read.set(progress.entity, progress.counts.read);
    }
  });

  it('reads back completed, with counts per entity that match what was stored', async () => {
    const response = await client.get(`/runs/${first.id}`);
    expect(response.status).toBe(200);
    const run = response.run();
    expect(run).toMatchObject({ status: 'completed', error: null, dryRun: false });
    expect(run.mappingHash).toMatch(/^[0-9a-f]{64}$/);
    expect(run.finishedAt).not.toBeNull();
    expect(run.durationMs).toBeGreaterThanOrEqual(0);
    expect(Object.keys(run.counts).sort()).toEqual(Object.keys(generated).sort());
    const tables: Record<string, string> = {
      customers: 'orders.customers',
      orders: 'orders.orders',
      orderLines: 'orders.order_lines',
      products: 'catalog.products',
      stock: 'catalog.stock_levels',
    };
    for (const [entity, table] of Object.entries(tables)) {
      const counts = run.counts[entity];
      expect(counts?.read, entity).toBe(generated[entity]);
      expect((counts?.loaded ?? 0) + (counts?.quarantined ?? 0), entity).toBe(counts?.read);
      expect(await api.count(table, client.tenantId), entity).toBe(counts?.loaded);
    }
    expect(run.counts.customers).toEqual({ read: SCALE, loaded: SCALE - 2, quarantined: 2, skipped: 0 });
    const sum = (key: 'read' | 'loaded' | 'quarantined') =>
      Object.values(run.counts).reduce((total, c) => total + c[key], 0);
    expect(run.totals).toMatchObject({
      read: sum('read'),
      loaded: sum('loaded'),
      quarantined: sum('quarantined'),
    });
  });

  it('lists the quarantined rows with their source key, reasons and source values', async () => {
    const rows = await allQuarantined(client, `runId=${first.id}`);
    const { totals } = (await client.get(`/runs/${first.id}`)).run();
    expect(rows).toHaveLength(totals.quarantined);
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
    const dirty = generator.dirtyRows().filter((d) => d.outcome.kind === 'rejected');
    expect(dirty.length).toBeGreaterThan(0);
    for (const d of dirty) {
      const row = rows.find(
        (r) =>
          r.entity === d.outcome.entity && JSON.stringify(r.sourceKey) === JSON.stringify(d.key.map(String)),
      );
      expect(
        row?.reasons.map((e) => [e.field, e.rule]),
        `${d.table} ${d.key.join('/')}`,
      ).toEqual([[d.outcome.field, d.outcome.rule]]);
      expect(row?.runId).toBe(first.id);
      expect(Object.keys(row?.values ?? {})).toContain(d.column);
    }
    const invalidEmail = rows.find(
      (r) => r.entity === 'customers' && r.sourceKey?.[0] === String(DIRTY.invalidEmailCustomer),
    );
    expect(invalidEmail?.values.EMAIL).toEqual(expect.stringContaining('(at)'));
    expect(invalidEmail?.values.CUST_ID).toBe(DIRTY.invalidEmailCustomer);

    const customers = await allQuarantined(client, `runId=${first.id}&entity=customers`);
    expect(customers.map((r) => r.sourceKey?.[0]).sort()).toEqual(
      [String(DIRTY.blankNameCustomer), String(DIRTY.invalidEmailCustomer)].sort(),
    );
  });

  it('lists runs newest first, page by page and by status', async () => {
    const { run: second } = await runToEnd(client, { mappingFile: 'mapping.yaml', source: 'acme-legacy' });
    const again = (await client.get(`/runs/${second.id}`)).run();
    // A second run changes nothing: every accepted row is skipped.
    expect(again.counts.customers).toEqual({ read: SCALE, loaded: 0, quarantined: 2, skipped: SCALE - 2 });

    const page1 = (await client.get('/runs?limit=1')).runs();
    expect(page1.items.map((r) => r.id)).toEqual([second.id]);
    expect(page1.nextCursor).not.toBeNull();
    const page2 = (await client.get(`/runs?limit=1&cursor=${page1.nextCursor ?? ''}`)).runs();
    expect(page2).toEqual({ items: [expect.objectContaining({ id: first.id })], nextCursor: null });
    const failed = (await client.get('/runs?status=failed')).runs();
    expect(failed.items).toEqual([]);
    const completed = (await client.get('/runs?status=completed')).runs();
    expect(completed.items.map((r) => r.id)).toEqual([second.id, first.id]);
  });

  it('lists the sources the tenant may name, without their URLs', async () => {
    const response = await client.get('/sources');
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({
      items: [
        { name: 'acme-legacy', kind: 'sqlite', description: 'ACME order system' },
        { name: 'with-secrets', kind: 'sqlite', description: null },
      ],
    });
    expect(response.text).not.toContain(acmeDb);
  });
});

describe('a dry run with an inline mapping', () => {
  it('is followed and read like a run, writes nothing, and is not listed', async () => {
    const client = api.newTenant();
    const mapping = await readFile(LEGACY_ACME_MAPPING_PATH, 'utf8');
    const { run, stream } = await runToEnd(client, {
      mapping,
      mappingName: 'acme-inline.yaml',
      source: 'acme-legacy',
      dryRun: true,
    });
    expect(run).toMatchObject({ dryRun: true, mappingName: 'acme-inline.yaml' });
    expect(stream.dataOf<Run>('end')[0]).toMatchObject({ id: run.id, status: 'completed', dryRun: true });
    const read = (await client.get(`/runs/${run.id}`)).run();
    expect(read).toMatchObject({ status: 'completed', dryRun: true });
    expect(read.counts.customers).toEqual({ read: SCALE, loaded: SCALE - 2, quarantined: 2, skipped: 0 });
    expect((await client.get('/runs')).json()).toEqual({ items: [], nextCursor: null });
    expect((await client.get(`/quarantine?runId=${run.id}`)).json()).toEqual({ items: [], nextCursor: null });
    for (const table of ['orders.customers', 'orders.orders', 'catalog.products', 'migration.runs']) {
      expect(await api.count(table, client.tenantId), table).toBe(0);
    }
  });
});

describe('quarantined values', () => {
  it('masks columns named like passwords and keeps the rest as read', async () => {
    const client = api.newTenant();
    // Only the customers, reading the legacy password column too (the writer ignores the field).
    // The API loads into the caller's tenant, whatever tenant the mapping names.
    const mapping = `
version: 1
tenant: acme
source: { timeZone: Europe/Berlin, currency: EUR }
entities:
  customers:
    target: orders.customers
    table: CUSTOMERS
    key: CUST_ID
    fields:
      name: { column: CUST_NAME, transform: [trim, required] }
      email: { column: EMAIL, transform: [trim, lower, required, email] }
      legacyPassword: { column: WEB_PASSWORD }
`;
    const { run } = await runToEnd(client, { mapping, source: 'with-secrets' });
    const rows = await allQuarantined(client, `runId=${run.id}`);
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      expect(row.values.WEB_PASSWORD).toBe('***');
      expect(row.values.CUST_ID).toBe(Number(row.sourceKey?.[0]));
    }
    const response = await client.get(`/quarantine?runId=${run.id}`);
    expect(response.text).not.toContain('hunter2');
  });
});
