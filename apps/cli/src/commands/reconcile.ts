import { readFile } from 'node:fs/promises';
import {
  ReconcileUsageError,
  discrepancyTotal,
  migrationMigrations,
  parseReportFormats,
  prepareMapping,
  reconcileFromSource,
  resolveTenant,
  selectEntities,
  writeReconcileReports,
  type PreparedMapping,
  type ReconcileProgress,
  type ReconcileResult,
  type ReportFormat,
} from '@only/migration';
import { loadConfig } from '@only/platform/config';
import { openDatabase, type DatabaseHandle } from '@only/platform/db';
import { redactUrl } from '@only/platform/log';
import { databaseCommandConfigSchema } from '../cli-config.ts';

/** Flags of `only reconcile`. */
export interface ReconcileFlags {
  mapping: string;
  source: string;
  tenant?: string;
  entity?: string[];
  reportDir?: string;
  format?: string;
  batchSize?: string;
  databaseUrl?: string;
  dataDir?: string;
}

/** Exit codes: 0 no discrepancies, 1 discrepancies, 2 usage errors, 3 the run could not complete. */
export const RECONCILE_EXIT = { clean: 0, discrepancies: 1, usage: 2, failed: 3 } as const;

class UsageError extends Error {}

const out = (line: string) => process.stdout.write(`${line}\n`);

/**
 * `only reconcile`: compares a legacy database, through the mapping, with what Only holds; prints
 * a summary, writes the reports and exits 0 when nothing differs, 1 when something does.
 */
export async function reconcileCommand(flags: ReconcileFlags): Promise<void> {
  let formats: ReportFormat[];
  let batchSize: number | undefined;
  try {
    formats = parseReportFormats(flags.format ?? 'json,csv,html');
    batchSize = flags.batchSize === undefined ? undefined : Number(flags.batchSize);
    if (batchSize !== undefined && (!Number.isInteger(batchSize) || batchSize < 1)) {
      throw new UsageError('--batch-size must be a positive integer');
    }
  } catch (error) {
    fail(RECONCILE_EXIT.usage, error);
    return;
  }
  const config = loadConfig('only reconcile', databaseCommandConfigSchema);
  const url = flags.databaseUrl ?? config.DATABASE_URL ?? `pglite:${flags.dataDir ?? './data'}/pglite`;
  const reportDir = flags.reportDir ?? 'reconcile-reports';
  const tty = process.stdout.isTTY;
  let database: DatabaseHandle | undefined;
  try {
    const entities =
      flags.entity === undefined
        ? undefined
        : flags.entity
            .flatMap((e) => e.split(','))
            .map((e) => e.trim())
            .filter((e) => e !== '');
    let mapping: PreparedMapping;
    try {
      mapping = prepareMapping(await readFile(flags.mapping, 'utf8'), flags.mapping);
      selectEntities(mapping.mapping, entities);
    } catch (error) {
      fail(RECONCILE_EXIT.usage, error);
      return;
    }
    database = await openDatabase({ url, poolSize: 4, applicationName: 'only-reconcile' });
    await database.migrate(migrationMigrations);
    let tenantId: string;
    try {
      tenantId = await resolveTenant(database.db, flags.tenant ?? mapping.tenant);
    } catch (error) {
      fail(RECONCILE_EXIT.usage, error);
      return;
    }
    const result = await reconcileFromSource({
      db: database.db,
      mapping,
      sourceUrl: flags.source,
      tenantId,
      trigger: 'cli',
      ...(entities === undefined ? {} : { entities }),
      ...(batchSize === undefined ? {} : { batchSize }),
      onProgress: (progress) => {
        showProgress(progress, tty);
      },
    });
    const reports = await writeReconcileReports({
      db: database.db,
      tenantId,
      runId: result.runId,
      dir: reportDir,
      formats,
    });
    if (tty) {
      for (const line of summaryLines(result, reports)) out(line);
    } else {
      out(JSON.stringify({ event: 'summary', ...result, reports }));
    }
    process.exitCode = result.discrepancies === 0 ? RECONCILE_EXIT.clean : RECONCILE_EXIT.discrepancies;
  } catch (error) {
    fail(error instanceof ReconcileUsageError ? RECONCILE_EXIT.usage : RECONCILE_EXIT.failed, error);
  } finally {
    await database?.close();
  }
}

function fail(code: number, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  // Driver messages may repeat a connection URL: never print its password.
  process.stderr.write(`only reconcile: ${message.replace(/[a-z]+:\/\/\S+/gi, (url) => redactUrl(url))}\n`);
  process.exitCode = code;
}

function showProgress(progress: ReconcileProgress, tty: boolean): void {
  if (progress.kind === 'page') return;
  if (!tty) {
    out(
      JSON.stringify({
        event: progress.kind,
        entity: progress.entity,
        ...('total' in progress ? { total: progress.total } : {}),
      }),
    );
    return;
  }
  if (progress.kind === 'entity_start') out(`  ${progress.entity}: comparing ${progress.total} legacy rows…`);
  if (progress.kind === 'entity_pending') out(`  ${progress.entity}: not compared (${progress.reason})`);
}

/** The human summary: one line per entity, the verdict, the report files. */
export function summaryLines(
  result: ReconcileResult,
  reports: Partial<Record<ReportFormat, string>>,
): string[] {
  const head = [
    'entity',
    'legacy',
    'only',
    'native',
    'compared',
    'matched',
    'missing',
    'extra',
    'changed',
    'quarantined',
  ];
  const rows = result.entities.map((e) =>
    e.status === 'pending'
      ? [e.entity, '—', '—', '—', '—', '—', '—', '—', '—', '—']
      : [
          e.entity,
          e.legacy.rows,
          e.only.rows,
          e.only.native,
          e.compared,
          e.matched,
          e.counts.missing,
          e.counts.extra,
          e.counts.changed,
          e.counts.quarantined,
        ].map(String),
  );
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  const total = discrepancyTotal(result.counts);
  const { missing, extra, changed, quarantined } = result.counts;
  return [
    `Reconciliation ${result.runId} (tenant ${result.tenantId})`,
    line(head),
    ...rows.map(line),
    total === 0
      ? `No discrepancies. ${quarantined} quarantined rows (not counted).`
      : `${total} discrepanc${total === 1 ? 'y' : 'ies'}: ${missing} missing, ${extra} extra, ${changed} changed. ${quarantined} quarantined rows (not counted).`,
    ...Object.values(reports).map((path) => `Report: ${path}`),
  ];
}
