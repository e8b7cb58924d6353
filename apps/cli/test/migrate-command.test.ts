// `only migrate` end to end: a small legacy ACME SQLite file into an embedded (PGlite) database,
// as a separate process; JSON progress lines when stdout is not a terminal; a dry run first.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LEGACY_ACME_MAPPING_PATH, loadLegacyAcme } from '@only/example-legacy-acme';
import { newId } from '@only/platform/ids';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './cli-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'only-cli-migrate-'));
const source = `sqlite:${join(dir, 'acme.db')}`;
const databaseUrl = `pglite:${join(dir, 'pglite')}`;
const SCALE = 12;

async function only(
  args: string[],
): Promise<{ code: number | null; lines: Record<string, unknown>[]; text: string }> {
  const cli = runCli(args, { DATABASE_URL: '' });
  const code = await cli.exited;
  const text = cli.output();
  const lines = text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { code, lines, text };
}

interface Summary {
  event: 'summary';
  dryRun: boolean;
  runId: string | null;
  entities: {
    entity: string;
    status: string;
    counts: { read: number; loaded: number; quarantined: number; skipped: number };
  }[];
}

const summaryOf = (lines: Record<string, unknown>[]) =>
  lines.find((l) => l.event === 'summary') as Summary | undefined;

beforeAll(async () => {
  await loadLegacyAcme({ target: source, scale: SCALE });
  const migrated = await only(['db', 'migrate', '--database-url', databaseUrl]);
  expect(migrated.code, migrated.text).toBe(0);
}, 120_000);

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('only migrate', () => {
  const tenant = newId('ten');
  const args = [
    'migrate',
    '--mapping',
    LEGACY_ACME_MAPPING_PATH,
    '--source',
    source,
    '--tenant',
    tenant,
    '--database-url',
    databaseUrl,
  ];

  it('--dry-run reports per entity and stores no run', async () => {
    const dry = await only([...args, '--dry-run']);
    expect(dry.code, dry.text).toBe(0);
    const summary = summaryOf(dry.lines);
    expect(summary).toMatchObject({ dryRun: true, runId: null });
    expect(summary?.entities.find((e) => e.entity === 'customers')?.counts).toEqual({
      read: SCALE,
      loaded: SCALE - 2,
      quarantined: 2,
      skipped: 0,
    });
  }, 120_000);

  it('loads, logs progress as JSON lines, and a second run skips every row', async () => {
    const first = await only([...args, '--batch-size', '5']);
    expect(first.code, first.text).toBe(0);
    expect(first.lines.some((l) => l.event === 'entity_start' && l.entity === 'orderLines')).toBe(true);
    const summary = summaryOf(first.lines);
    expect(summary?.runId).toMatch(/^mrun_/);
    const customers = summary?.entities.find((e) => e.entity === 'customers');
    expect(customers?.counts).toEqual({ read: SCALE, loaded: SCALE - 2, quarantined: 2, skipped: 0 });
    expect(summary?.entities.filter((e) => e.status === 'pending').map((e) => e.entity)).toEqual([
      'invoices',
      'payments',
    ]);

    const second = summaryOf((await only(args)).lines);
    for (const e of second?.entities.filter((x) => x.status === 'loaded') ?? []) {
      expect(e.counts.loaded, e.entity).toBe(0);
      expect(e.counts.skipped, e.entity).toBe(
        summary?.entities.find((x) => x.entity === e.entity)?.counts.loaded,
      );
    }
  }, 120_000);

  it('names a mapping file it cannot read and exits non-zero', async () => {
    const bad = await only([
      'migrate',
      '--mapping',
      join(dir, 'missing.yaml'),
      '--source',
      source,
      '--tenant',
      tenant,
      '--database-url',
      databaseUrl,
    ]);
    expect(bad.code).not.toBe(0);
    expect(bad.text).toMatch(/missing\.yaml/);
  }, 60_000);
});
