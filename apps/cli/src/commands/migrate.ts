import {
  migrateFromFiles,
  barsDisplay,
  jsonLinesDisplay,
  summaryLines,
  migrationMigrations,
} from '@only/migration';
import { loadConfig } from '@only/platform/config';
import { openDatabase } from '@only/platform/db';
import { databaseCommandConfigSchema } from '../cli-config.ts';

/** Flags of `only migrate`. */
export interface MigrateFlags {
  mapping: string;
  source: string;
  tenant?: string;
  dryRun?: boolean;
  resume?: boolean;
  batchSize?: string;
  databaseUrl?: string;
  dataDir?: string;
}

/**
 * `only migrate`: bulk-loads a legacy database into the services' tables by a mapping file. The
 * migration schema's own migrations are applied first; the target services' must be (`only db migrate`).
 */
export async function migrateLegacyCommand(flags: MigrateFlags): Promise<void> {
  const config = loadConfig('only migrate', databaseCommandConfigSchema);
  const url = flags.databaseUrl ?? config.DATABASE_URL ?? `pglite:${flags.dataDir ?? './data'}/pglite`;
  const batchSize = flags.batchSize === undefined ? undefined : Number(flags.batchSize);
  if (batchSize !== undefined && (!Number.isInteger(batchSize) || batchSize < 1)) {
    process.stderr.write('--batch-size must be a positive integer\n');
    process.exitCode = 2;
    return;
  }
  const database = await openDatabase({ url, poolSize: 2, applicationName: 'only-migrate' });
  const display = process.stdout.isTTY
    ? barsDisplay(process.stdout)
    : jsonLinesDisplay((line) => process.stdout.write(`${line}\n`));
  try {
    if (flags.dryRun !== true) await database.migrate(migrationMigrations);
    const result = await migrateFromFiles({
      db: database.db,
      mappingPath: flags.mapping,
      sourceUrl: flags.source,
      ...(flags.tenant === undefined ? {} : { tenant: flags.tenant }),
      dryRun: flags.dryRun === true,
      resume: flags.resume === true,
      ...(batchSize === undefined ? {} : { batchSize }),
      onProgress: (progress) => {
        display.update(progress);
      },
    });
    display.stop();
    if (process.stdout.isTTY) {
      process.stdout.write(`${summaryLines(result, flags.dryRun === true).join('\n')}\n`);
    } else {
      process.stdout.write(
        `${JSON.stringify({ event: 'summary', dryRun: flags.dryRun === true, ...result })}\n`,
      );
    }
  } finally {
    display.stop();
    await database.close();
  }
}
