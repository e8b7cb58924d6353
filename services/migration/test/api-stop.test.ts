// Stopping runs through the HTTP API: a run stopped mid-way keeps what it committed and ends as
// failed naming who stopped it, and resumes to the same end as an uninterrupted run; a run that
// this process does not execute (another replica, or a process that died) is stopped in the
// database, and a run executing here stops when another process marked it so.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { LEGACY_ACME_MAPPING_PATH, LegacyAcmeGenerator, loadLegacyAcme } from '@only/example-legacy-acme';
import { queryRows } from '@only/platform/db';
import { newId } from '@only/platform/ids';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Run } from '../src/modules/runs/runs.dto.ts';
import { startMigrationApi, type MigrationApi, type MigrationClient } from './support/migration-api.ts';
import type { SseClient } from '@only/testing';

const SCALE = 24;
const generator = new LegacyAcmeGenerator({ scale: SCALE });
const dir = mkdtempSync(join(tmpdir(), 'only-migration-stop-'));
const acmeDb = join(dir, 'acme.db');
const RUN = { mappingFile: 'mapping.yaml', source: 'acme-legacy' } as const;
let api: MigrationApi;

const TOTAL_ROWS =
  [...generator.rows('CUSTOMERS')].length +
  [...generator.rows('PRODUCTS')].length +
  [...generator.rows('ORDERS')].length +
  [...generator.rows('ORDER_LINES')].length +
  [...generator.rows('STOCK')].filter((r) => r.WH_CODE !== 'DEAD').length;

beforeAll(async () => {
  await loadLegacyAcme({ target: `sqlite:${acmeDb}`, scale: SCALE });
  api = await startMigrationApi({
    sources: [{ name: 'acme-legacy', url: `sqlite:${acmeDb}` }],
    mappingsDir: dirname(LEGACY_ACME_MAPPING_PATH),
  });
}, 60_000);

afterAll(async () => {
  await api.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Starts a run of one row per batch and opens its stream once the first batch is reported. */
async function startSlowRun(client: MigrationClient): Promise<{ run: Run; stream: SseClient }> {
  const started = await client.post('/runs', { ...RUN, batchSize: 1 });
  expect(started.status, started.text).toBe(202);
  const run = started.run();
  const stream = await client.events(run.id);
  await stream.until(() => stream.dataOf<{ kind: string }>('progress').some((p) => p.kind === 'batch'));
  return { run, stream };
}

/** A run row as another process would have written it. */
async function insertRunningRun(tenantId: string): Promise<string> {
  const id = newId('mrun');
  await queryRows(
    api.db,
    sql`insert into migration.runs (id, tenant_id, mapping_name, mapping_hash, source_url, status, counts)
      values (${id}, ${tenantId}, 'mapping.yaml', 'h', 'sqlite:elsewhere.db', 'running',
        '{"customers": {"read": 4, "loaded": 4, "quarantined": 0, "skipped": 0}}'::jsonb)`,
  );
  return id;
}

describe('stopping a run this process executes', () => {
  let client: MigrationClient;
  let stopped: Run;

  beforeAll(async () => {
    client = api.newTenant();
    const { run, stream } = await startSlowRun(client);
    const response = await client.post(`/runs/${run.id}/stop`);
    expect(response.status, response.text).toBe(200);
    stopped = response.run();
    await stream.untilEnded();
    expect(stream.dataOf<Run>('end')).toEqual([expect.objectContaining({ id: run.id, status: 'failed' })]);
  }, 60_000);

  it('ends it between batches as failed, naming who stopped it, with what it committed kept', async () => {
    expect(stopped).toMatchObject({ status: 'failed', finishedAt: expect.any(String) as unknown });
    expect(stopped.error).toMatch(new RegExp(`^Stopped by user ${client.userId} at .*resume`));
    expect(stopped.totals.read).toBeGreaterThan(0);
    expect(stopped.totals.read).toBeLessThan(TOTAL_ROWS);
    // The counts are those of the committed batches: what the tables hold.
    expect(await api.count('orders.customers', client.tenantId)).toBe(stopped.counts.customers?.loaded ?? 0);
    const read = (await client.get(`/runs/${stopped.id}`)).run();
    expect(read).toEqual(stopped);
  });

  it('answers 409 to a second stop', async () => {
    const response = await client.post(`/runs/${stopped.id}/stop`);
    expect(response.status).toBe(409);
    expect(response.header('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ code: 'migration.run_not_running', currentStatus: 'failed' });
  });

  it('resumes the same run from its checkpoints to a complete load', async () => {
    const started = await client.post('/runs', { ...RUN, resume: true });
    expect(started.status, started.text).toBe(202);
    expect(started.run().id).toBe(stopped.id);
    const stream = await client.events(stopped.id);
    await stream.untilEnded();
    const run = (await client.get(`/runs/${stopped.id}`)).run();
    expect(run).toMatchObject({ status: 'completed', error: null });
    expect(run.totals.read).toBe(TOTAL_ROWS);
    expect(run.counts.customers).toEqual({ read: SCALE, loaded: SCALE - 2, quarantined: 2, skipped: 0 });
    expect(await api.count('orders.customers', client.tenantId)).toBe(SCALE - 2);
    expect(await api.count('migration.quarantine', client.tenantId)).toBe(run.totals.quarantined);
    expect((await client.get('/runs')).runs().items.map((r) => r.id)).toEqual([run.id]);
  });
});

describe('a run another process executes', () => {
  it('blocks another run of the tenant (409 naming it), but not a dry run', async () => {
    const client = api.newTenant();
    const id = await insertRunningRun(client.tenantId);
    const response = await client.post('/runs', RUN);
    expect(response.status).toBe(409);
    expect(response.json()).toMatchObject({ code: 'migration.run_in_progress', runId: id });
    const dry = await client.post('/runs', { ...RUN, dryRun: true });
    expect(dry.status, dry.text).toBe(202);
    await (await client.events(dry.run().id)).untilEnded();
  });

  it('is followed from the database, and stopped there', async () => {
    const client = api.newTenant();
    const id = await insertRunningRun(client.tenantId);
    const stream = await client.events(id);
    await stream.until(() => stream.events.length > 0);
    expect(stream.dataOf<Run>('run')[0]).toMatchObject({ id, status: 'running', totals: { read: 4 } });
    // Its process reports progress: the stream follows the stored run.
    await queryRows(
      api.db,
      sql`update migration.runs set counts = '{"customers": {"read": 9, "loaded": 9, "quarantined": 0, "skipped": 0}}'::jsonb
        where id = ${id}`,
    );
    await stream.until(() => stream.dataOf<Run>('run').some((r) => r.totals.read === 9));

    const response = await client.post(`/runs/${id}/stop`);
    expect(response.status, response.text).toBe(200);
    expect(response.run()).toMatchObject({ id, status: 'failed' });
    expect(response.run().error).toMatch(/^Stopped by user .* in the database/);
    await stream.untilEnded();
    expect(stream.dataOf<Run>('end')).toEqual([expect.objectContaining({ id, status: 'failed' })]);
  });
});

describe('a run executing here, stopped by another process', () => {
  it('stops at its next batch with the reason that process stored', async () => {
    const client = api.newTenant();
    const { run, stream } = await startSlowRun(client);
    await queryRows(
      api.db,
      sql`update migration.runs set status = 'failed', error = 'Stopped by user usr_elsewhere', finished_at = now()
        where id = ${run.id}`,
    );
    await stream.untilEnded();
    const ended = (await client.get(`/runs/${run.id}`)).run();
    expect(ended).toMatchObject({ status: 'failed', error: 'Stopped by user usr_elsewhere' });
    expect(ended.totals.read).toBeLessThan(TOTAL_ROWS);
    // Nothing runs on: the counts stay where they ended.
    const [checkpoints] = await queryRows<{ read: number }>(
      api.db,
      sql`select coalesce(sum((counts->>'read')::int), 0)::int as read from migration.checkpoints where run_id = ${run.id}`,
    );
    expect(checkpoints?.read).toBe(ended.totals.read);
  });
});
