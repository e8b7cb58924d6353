// Opens what a migration needs from a mapping file and a source URL, and runs it.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { queryRows, type Database } from '@only/platform/db';
import { redactUrl } from '@only/platform/log';
import { sql } from 'drizzle-orm';
import { openSourceConnector } from '../connectors/index.ts';
import { compileMapping, MappingFileError, parseMapping } from '../mapping/index.ts';
import { runMigration, type MigrateOptions, type MigrateResult } from './migrate-run.ts';

/** Options of {@link migrateFromFiles}. */
export interface MigrateFromFilesOptions extends Omit<
  MigrateOptions,
  'mapping' | 'mappingName' | 'mappingHash' | 'source' | 'sourceUrl' | 'tenantId'
> {
  readonly db: Database;
  readonly mappingPath: string;
  readonly sourceUrl: string;
  /** Tenant id or slug; the mapping's `tenant` when absent. */
  readonly tenant?: string;
}

/** Reads and compiles the mapping, opens the source, resolves the tenant and runs the migration. */
export async function migrateFromFiles(options: MigrateFromFilesOptions): Promise<MigrateResult> {
  const text = await readFile(options.mappingPath, 'utf8');
  const parsed = parseMapping(text, options.mappingPath);
  if (!parsed.ok) {
    throw new MappingFileError(parsed.errors);
  }
  const mapping = compileMapping(parsed.mapping);
  const tenantId = await resolveTenant(options.db, options.tenant ?? parsed.mapping.tenant);
  const source = await openSourceConnector(options.sourceUrl);
  try {
    return await runMigration({
      ...options,
      mapping,
      mappingName: basename(options.mappingPath),
      mappingHash: createHash('sha256').update(text).digest('hex'),
      source,
      sourceUrl: redactUrl(options.sourceUrl),
      tenantId,
    });
  } finally {
    await source.close();
  }
}

/**
 * A tenant id (`ten_…`) is taken as given; anything else is a slug looked up in the identity
 * service's tenants (when that schema is in this database).
 */
export async function resolveTenant(db: Database, tenant: string | undefined): Promise<string> {
  if (tenant === undefined || tenant === '') {
    throw new Error('No tenant: give --tenant or set `tenant` in the mapping file');
  }
  if (tenant.startsWith('ten_')) return tenant;
  const [exists] = await queryRows<{ found: boolean }>(
    db,
    sql`select to_regclass('identity.tenants') is not null as found`,
  );
  if (exists?.found !== true) {
    throw new Error(`Tenant "${tenant}" is a slug, but this database has no identity service to look it up`);
  }
  const [row] = await queryRows<{ id: string }>(
    db,
    sql`select id from identity.tenants where lower(slug) = lower(${tenant})`,
  );
  if (row === undefined) throw new Error(`No tenant with id or slug "${tenant}"`);
  return row.id;
}
