// `only reconcile` end to end, as a separate process: a legacy ACME SQLite file migrated into an
// embedded (PGlite) database; exit 0 and reports when nothing differs, 1 after a legacy change,
// 2 for usage errors.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { LEGACY_ACME_MAPPING_PATH, loadLegacyAcme } from '@only/example-legacy-acme';
import { newId } from '@only/platform/ids';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'only-cli-reconcile-'));
const sourceFile = join(dir, 'acme.db');
const source = `sqlite:${sourceFile}`;
const databaseUrl = `pglite:${join(dir, 'pglite')}`;
const tenant = newId('ten');

async function only(args: string[]): Promise<{ code: number | null; text: string; summary?: Summary }> {
  const cli = runCli(args, { DATABASE_URL: '' });
  const code = await cli.exited;
  const text = cli.output();
  const summary = text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Summary)
    .find((line) => line.event === 'summary');
  return { code, text, ...(summary === undefined ? {} : { summary }) };
}

interface Summary {
  event: string;
  runId: string;
  discrepancies: number;
  counts: Record<string, number>;
  reports: Record<string, string>;
}

const reconcile = (extra: string[] = []) => [
  'reconcile',
  '--mapping',
  LEGACY_ACME_MAPPING_PATH,
  '--source',
  source,
  '--tenant',
  tenant,
  '--database-url',
  databaseUrl,
  '--report-dir',
  join(dir, 'reports'),
  ...extra,
];

beforeAll(async () => {
  await loadLegacyAcme({ target: source, scale: 12 });
  const migrated = await only(['db', 'migrate', '--database-url', databaseUrl]);
  expect(migrated.code, migrated.text).toBe(0);
  const loaded = await only([
    'migrate',
    '--mapping',
    LEGACY_ACME_MAPPING_PATH,
    '--source',
    source,
    '--tenant',
    tenant,
    '--database-url',
    databaseUrl,
  ]);
  expect(loaded.code, loaded.text).toBe(0);
}, 180_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('only reconcile', () => {
  it('exits 0 and writes the reports when nothing differs', async () => {
    const run = await only(reconcile());
    expect(run.code, run.text).toBe(0);
    expect(run.summary?.discrepancies).toBe(0);
    expect(run.summary?.runId).toMatch(/^rrun_/);
    for (const format of ['json', 'csv', 'html']) {
      const path = run.summary?.reports[format] ?? '';
      expect(path.endsWith(`reconcile-${run.summary?.runId}.${format}`)).toBe(true);
      expect(existsSync(path)).toBe(true);
    }
  }, 120_000);

  it('exits 1 after a change in the legacy database, and writes only the formats asked for', async () => {
    const legacy = new DatabaseSync(sourceFile);
    legacy.exec("UPDATE CUSTOMERS SET CUST_NAME = 'Renamed GmbH' WHERE CUST_ID = 2");
    legacy.close();
    const run = await only(reconcile(['--format', 'csv', '--entity', 'customers']));
    expect(run.code, run.text).toBe(1);
    expect(run.summary?.counts).toMatchObject({ missing: 0, extra: 0, changed: 1 });
    expect(Object.keys(run.summary?.reports ?? {})).toEqual(['csv']);
    const csv = readFileSync(run.summary?.reports.csv ?? '', 'utf8');
    expect(csv).toContain('Renamed GmbH');
  }, 120_000);

  it.each([
    ['an unknown report format', ['--format', 'pdf'], /json, csv, html/],
    ['an unknown entity', ['--entity', 'widgets'], /unknown entity widgets/],
    ['a missing mapping file', ['--mapping', join(dir, 'nope.yaml')], /nope\.yaml/],
  ])(
    'exits 2 for %s',
    async (_name, extra, message) => {
      const args = reconcile();
      const at = args.indexOf(extra[0] ?? '');
      if (at >= 0) args.splice(at, 2);
      const run = await only([...args, ...extra]);
      expect(run.code, run.text).toBe(2);
      expect(run.text).toMatch(message);
    },
    60_000,
  );

  it('exits 2 when a required option is missing', async () => {
    const run = await only(['reconcile', '--mapping', LEGACY_ACME_MAPPING_PATH]);
    expect(run.code).toBe(2);
    expect(run.text).toMatch(/--source/);
  }, 60_000);
});
