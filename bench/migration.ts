// Legacy migration benchmark: legacy-acme in MariaDB (scale N; 111,112 gives about 1,000,000
// order lines with their orders, customers, products and stock) moved into PostgreSQL by
// `only migrate`, against pgloader loading the same tables in the same run; then `only reconcile`
// of the order lines after 10 of them changed at the source, against merely reading both tables.
// Everything runs on 127.0.0.1; results go to bench/results/ and a dated section of bench/README.md.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFile, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LEGACY_ACME_MAPPING_PATH, loadLegacyAcme } from '@only/example-legacy-acme';
import { openSourceConnector } from '@only/migration';
import { ensureDatabase } from '@only/platform/db';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { seedCommand } from '../apps/cli/src/commands/database.ts';
import { machine } from './harness.ts';

const SCALE = Number(process.env.BENCH_MIGRATION_SCALE ?? 111_112);
const MARIADB = process.env.MARIADB_URL ?? 'mysql://root@127.0.0.1:3306';
const POSTGRES = process.env.DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/postgres';
const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'apps/cli/bin/only.js');
const id = randomBytes(3).toString('hex');
const legacyUrl = `${MARIADB.replace(/\/$/, '')}/legacy_acme_bench`;
const databaseUrl = (name: string) => {
  const url = new URL(POSTGRES);
  url.pathname = `/${name}`;
  return url.toString();
};
const onlyDb = databaseUrl(`only_bench_${id}`);
const pgloaderDb = databaseUrl(`pgloader_bench_${id}`);

/** A finished child process: wall time, peak resident set size, exit code and output tail. */
interface ChildRun {
  readonly seconds: number;
  readonly peakRssMiB: number;
  readonly code: number | null;
  readonly output: string;
}

/** Runs a command to its end, sampling its peak RSS (Linux `VmHWM`) while it lives. */
function run(command: string, args: readonly string[], env: Record<string, string> = {}): Promise<ChildRun> {
  const started = performance.now();
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-8_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let peakKiB = 0;
  const sample = setInterval(() => {
    readFile(`/proc/${String(child.pid)}/status`, 'utf8')
      .then((status) => {
        peakKiB = Math.max(peakKiB, Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0));
      })
      .catch(() => undefined);
  }, 100);
  return new Promise((resolve) => {
    child.once('exit', (code) => {
      clearInterval(sample);
      resolve({
        seconds: (performance.now() - started) / 1000,
        peakRssMiB: Math.round(peakKiB / 1024),
        code,
        output,
      });
    });
  });
}

function expectSuccess(name: string, result: ChildRun, allowed: readonly number[] = [0]): void {
  if (result.code === null || !allowed.includes(result.code))
    throw new Error(`${name} exited ${String(result.code)}:\n${result.output}`);
}

async function legacyRowCounts(): Promise<Record<string, number>> {
  const connection = await mysql.createConnection(legacyUrl);
  try {
    const counts: Record<string, number> = {};
    for (const table of ['CUSTOMERS', 'PRODUCTS', 'STOCK', 'ORDERS', 'ORDER_LINES']) {
      const [rows] = await connection.query(`SELECT COUNT(*) AS n FROM ${table}`);
      counts[table] = Number((rows as { n: unknown }[])[0]?.n ?? 0);
    }
    return counts;
  } finally {
    await connection.end();
  }
}

/** Seconds to stream every order line from MariaDB (keyset pages) and from Only (id pages). */
async function readFloor(tenantId: string): Promise<{ legacy: number; only: number }> {
  let started = performance.now();
  const source = await openSourceConnector(legacyUrl);
  let legacyRows = 0;
  for await (const batch of source.read({ table: 'ORDER_LINES' }, { batchSize: 5_000 }))
    legacyRows += batch.rows.length;
  await source.close();
  const legacy = (performance.now() - started) / 1000;

  started = performance.now();
  const client = new pg.Client({ connectionString: onlyDb });
  await client.connect();
  let after = '';
  let onlyRows = 0;
  for (;;) {
    const page = await client.query<{ id: string }>(
      'select * from orders.order_lines where tenant_id = $1 and id > $2 order by id limit 5000',
      [tenantId, after],
    );
    onlyRows += page.rows.length;
    const last = page.rows.at(-1);
    if (last === undefined) break;
    after = last.id;
  }
  await client.end();
  if (legacyRows === 0 || onlyRows === 0) throw new Error('nothing to read');
  return { legacy, only: (performance.now() - started) / 1000 };
}

const reportDir = join(tmpdir(), `only-bench-reconcile-${id}`);
try {
  if (process.env.BENCH_MIGRATION_REUSE !== '1') {
    process.stdout.write(`loading legacy-acme at scale ${String(SCALE)} into MariaDB…\n`);
    await loadLegacyAcme({ target: legacyUrl, scale: SCALE });
  }
  const legacy = await legacyRowCounts();
  const sourceRows = Object.values(legacy).reduce((sum, n) => sum + n, 0);

  await ensureDatabase(onlyDb);
  const env = { DATABASE_URL: onlyDb, LOG_LEVEL: 'warn' };
  expectSuccess('only db migrate', await run(process.execPath, [cli, 'db', 'migrate'], env));
  // The demo tenants and their users, without demo orders: the mapping loads into tenant `acme`.
  await seedCommand({ databaseUrl: onlyDb, services: ['identity'] });

  process.stdout.write('only migrate…\n');
  const migrate = await run(process.execPath, [
    cli,
    'migrate',
    '--mapping',
    LEGACY_ACME_MAPPING_PATH,
    '--source',
    legacyUrl,
    '--database-url',
    onlyDb,
  ]);
  expectSuccess('only migrate', migrate);

  process.stdout.write('pgloader…\n');
  await ensureDatabase(pgloaderDb);
  const pgloader = await run('pgloader', ['--quiet', legacyUrl, pgloaderDb]);
  expectSuccess('pgloader', pgloader);

  // Ten order lines changed at the source, as a legacy application would.
  const connection = await mysql.createConnection(legacyUrl);
  await connection.query(
    'UPDATE ORDER_LINES SET QTY = QTY + 1, LINE_AMT = (QTY + 1) * UNIT_PRICE WHERE ORDER_NO IN (SELECT ORDER_NO FROM (SELECT ORDER_NO FROM ORDERS ORDER BY ORDER_NO LIMIT 10 OFFSET 1000) AS o) AND LINE_NO = 1',
  );
  await connection.end();

  process.stdout.write('only reconcile…\n');
  const reconcile = await run(process.execPath, [
    cli,
    'reconcile',
    '--mapping',
    LEGACY_ACME_MAPPING_PATH,
    '--source',
    legacyUrl,
    '--database-url',
    onlyDb,
    '--entity',
    'orderLines',
    '--report-dir',
    reportDir,
    '--format',
    'json',
  ]);
  expectSuccess('only reconcile', reconcile, [1]);
  const summary = JSON.parse(
    reconcile.output
      .trim()
      .split('\n')
      .reverse()
      .find((line) => line.includes('"summary"')) ?? '{}',
  ) as { tenantId?: string; counts?: Record<string, number> };
  const floor = await readFloor(summary.tenantId ?? '');

  const date = new Date().toISOString();
  const record = {
    date,
    machine: await machine(),
    scale: SCALE,
    legacy,
    migrate: { ...migrate, output: undefined, rowsPerSecond: Math.round(sourceRows / migrate.seconds) },
    pgloader: { ...pgloader, output: undefined, rowsPerSecond: Math.round(sourceRows / pgloader.seconds) },
    reconcile: { seconds: reconcile.seconds, peakRssMiB: reconcile.peakRssMiB, counts: summary.counts },
    readFloor: { ...floor, seconds: floor.legacy + floor.only },
  };
  await writeFile(
    join(root, `bench/results/migration-${date.slice(0, 19).replaceAll(':', '')}.json`),
    `${JSON.stringify(record, null, 2)}\n`,
  );
  const f = (n: number) => n.toLocaleString('en', { maximumFractionDigits: 1 });
  const section = [
    '',
    `### ${date.slice(0, 10)} — legacy migration: legacy-acme from MariaDB into PostgreSQL (scale ${f(SCALE)})`,
    '',
    `${record.machine}; MariaDB, PostgreSQL and both tools on the same machine. Source rows: ${Object.entries(
      legacy,
    )
      .map(([table, n]) => `${table} ${f(n)}`)
      .join(', ')} — ${f(sourceRows)} in all.`,
    '',
    '| Load | seconds | rows/s | peak RSS MiB |',
    '| --- | ---: | ---: | ---: |',
    `| \`only migrate\` (map, validate, id map, quarantine, checkpoints, upsert) | ${f(migrate.seconds)} | ${f(record.migrate.rowsPerSecond)} | ${String(migrate.peakRssMiB)} |`,
    `| pgloader, the same tables as they are (reference) | ${f(pgloader.seconds)} | ${f(record.pgloader.rowsPerSecond)} | ${String(pgloader.peakRssMiB)} |`,
    '',
    `Reconciliation of the ${f(legacy.ORDER_LINES ?? 0)} order lines after 10 changed at the source: ${f(reconcile.seconds)} s (found ${JSON.stringify(summary.counts ?? {})}); merely reading both tables: ${f(record.readFloor.seconds)} s (MariaDB ${f(floor.legacy)} s, PostgreSQL ${f(floor.only)} s).`,
    '',
  ].join('\n');
  await appendFile(join(root, 'bench/README.md'), section);
  process.stdout.write(section);
} finally {
  await rm(reportDir, { recursive: true, force: true });
  const admin = new pg.Client({ connectionString: databaseUrl('postgres') });
  await admin.connect();
  for (const name of [`only_bench_${id}`, `pgloader_bench_${id}`])
    await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
}
