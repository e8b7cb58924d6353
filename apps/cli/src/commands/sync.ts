import { readFile } from 'node:fs/promises';
import {
  migrationMigrations,
  parseInterval,
  prepareMapping,
  resolveTenant,
  selectSyncEntities,
  startSyncSchedule,
  syncFromSource,
  SyncUsageError,
  type PreparedMapping,
  type SyncResult,
} from '@only/migration';
import { loadConfig } from '@only/platform/config';
import { openDatabase, type DatabaseHandle } from '@only/platform/db';
import { redactUrl } from '@only/platform/log';
import { databaseCommandConfigSchema } from '../cli-config.ts';

/** Flags of `only sync`. */
export interface SyncFlags {
  mapping: string;
  source: string;
  tenant?: string;
  entity?: string[];
  once?: boolean;
  every?: string;
  batchSize?: string;
  databaseUrl?: string;
  dataDir?: string;
}

/** Exit codes: 0 synced (conflicts are reported, not errors), 2 usage errors, 3 a sync failed. */
export const SYNC_EXIT = { ok: 0, usage: 2, failed: 3 } as const;

class UsageError extends Error {}

const out = (line: string) => process.stdout.write(`${line}\n`);

/**
 * `only sync`: brings Only up to date with the legacy database — once, or every `--every` until
 * interrupted (Ctrl-C stops between batches; the next sync resumes the pass).
 */
export async function syncCommand(flags: SyncFlags): Promise<void> {
  let intervalMs: number | null = null;
  let batchSize: number | undefined;
  try {
    if (flags.once === true && flags.every !== undefined)
      throw new UsageError('give --once or --every, not both');
    if (flags.every !== undefined) {
      intervalMs = parseInterval(flags.every);
      if (intervalMs === null) throw new UsageError('--every takes a duration such as 30s, 5m or 1h');
    }
    batchSize = flags.batchSize === undefined ? undefined : Number(flags.batchSize);
    if (batchSize !== undefined && (!Number.isInteger(batchSize) || batchSize < 1)) {
      throw new UsageError('--batch-size must be a positive integer');
    }
  } catch (error) {
    fail(SYNC_EXIT.usage, error);
    return;
  }
  const config = loadConfig('only sync', databaseCommandConfigSchema);
  const url = flags.databaseUrl ?? config.DATABASE_URL ?? `pglite:${flags.dataDir ?? './data'}/pglite`;
  const tty = process.stdout.isTTY;
  let database: DatabaseHandle | undefined;
  try {
    const entities = flags.entity
      ?.flatMap((e) => e.split(','))
      .map((e) => e.trim())
      .filter((e) => e !== '');
    let mapping: PreparedMapping;
    try {
      mapping = prepareMapping(await readFile(flags.mapping, 'utf8'), flags.mapping);
      selectSyncEntities(mapping.mapping, entities);
    } catch (error) {
      fail(SYNC_EXIT.usage, error);
      return;
    }
    database = await openDatabase({ url, poolSize: 4, applicationName: 'only-sync' });
    await database.migrate(migrationMigrations);
    let tenantId: string;
    try {
      tenantId = await resolveTenant(database.db, flags.tenant ?? mapping.tenant);
    } catch (error) {
      fail(SYNC_EXIT.usage, error);
      return;
    }
    const db = database.db;
    const once = (signal?: AbortSignal) =>
      syncFromSource({
        db,
        mapping,
        sourceUrl: flags.source,
        tenantId,
        ...(entities === undefined ? {} : { entities }),
        ...(batchSize === undefined ? {} : { batchSize }),
        ...(signal === undefined ? {} : { signal }),
      });
    if (intervalMs === null) {
      show(await once(), tty);
      process.exitCode = SYNC_EXIT.ok;
      return;
    }
    const schedule = startSyncSchedule({
      intervalMs,
      run: (signal) => once(signal),
      onRun: (result) => {
        show(result, tty);
      },
      onError: (error) => {
        // The failure is stored and alerted; the schedule tries again after the interval.
        fail(SYNC_EXIT.failed, error);
      },
    });
    const stop = () => {
      void schedule.stop();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    await schedule.done;
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  } catch (error) {
    fail(error instanceof SyncUsageError ? SYNC_EXIT.usage : SYNC_EXIT.failed, error);
  } finally {
    await database?.close();
  }
}

function fail(code: number, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  // Driver messages may repeat a connection URL: never print its password.
  process.stderr.write(`only sync: ${message.replace(/[a-z]+:\/\/\S+/gi, (url) => redactUrl(url))}\n`);
  process.exitCode = code;
}

function show(result: SyncResult, tty: boolean): void {
  if (!tty) {
    out(JSON.stringify({ event: 'sync', ...result, at: new Date().toISOString() }));
    return;
  }
  for (const line of syncSummaryLines(result)) out(line);
}

/** The human summary: one line per entity. */
export function syncSummaryLines(result: SyncResult): string[] {
  const lines = [`sync ${result.runId} at ${new Date().toISOString()}`];
  for (const e of result.entities) {
    const c = e.counts;
    lines.push(
      `  ${e.entity.padEnd(12)} ${e.mode.padEnd(9)} read ${c.read}, inserted ${c.inserted}, updated ${c.updated}, ` +
        `deleted ${c.deleted}, conflicts ${c.conflicts}, rejected ${c.rejected}` +
        (c.deletesSkipped > 0 ? `, deletes not applied ${c.deletesSkipped}` : '') +
        (e.watermark === null ? '' : ` (watermark ${e.watermark})`),
    );
  }
  return lines;
}
