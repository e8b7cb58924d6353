// Opens what a migration needs from a mapping file and a source URL, and runs it.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { queryRows, type Database } from '@only/platform/db';
import { redactUrl } from '@only/platform/log';
import { sql } from 'drizzle-orm';
import { openSourceConnector, type SourceConnector } from '../connectors/index.ts';
import { compileMapping, MappingFileError, parseMapping, type CompiledMapping } from '../mapping/index.ts';
import { runMigration, type MigrateOptions, type MigrateResult } from './migrate-run.ts';

/** A mapping file read and compiled, with the name and content hash a run keeps. */
export interface PreparedMapping {
  readonly mapping: CompiledMapping;
  /** The file's base name: runs of the same name are what `resume` continues. */
  readonly name: string;
  readonly hash: string;
  /** The tenant the file names (`tenant:`), if any. */
  readonly tenant: string | undefined;
}

/**
 * Parses and compiles mapping text; `file` names it in error positions and gives the run's
 * mapping name. Throws a {@link MappingFileError} listing every problem.
 */
export function prepareMapping(text: string, file: string): PreparedMapping {
  const parsed = parseMapping(text, file);
  if (!parsed.ok) {
    throw new MappingFileError(parsed.errors);
  }
  return {
    mapping: compileMapping(parsed.mapping),
    name: basename(file),
    hash: createHash('sha256').update(text).digest('hex'),
    tenant: parsed.mapping.tenant,
  };
}

/** Options of {@link migrateFromSource}. */
export interface MigrateFromSourceOptions extends Omit<
  MigrateOptions,
  'mapping' | 'mappingName' | 'mappingHash' | 'source' | 'sourceUrl'
> {
  readonly mapping: PreparedMapping;
  /** Read with its password; stored and shown without it. */
  readonly sourceUrl: string;
}

/** What a run of a prepared mapping against an open source is given. */
export interface OpenedSource {
  readonly mapping: CompiledMapping;
  readonly mappingName: string;
  readonly mappingHash: string;
  readonly source: SourceConnector;
  /** Without its password: what runs store and show. */
  readonly sourceUrl: string;
}

/** Opens the source at `sourceUrl` for `work` with the prepared mapping, and closes it after. */
export async function withOpenedSource<T>(
  mapping: PreparedMapping,
  sourceUrl: string,
  work: (opened: OpenedSource) => Promise<T>,
): Promise<T> {
  const source = await openSourceConnector(sourceUrl);
  try {
    return await work({
      mapping: mapping.mapping,
      mappingName: mapping.name,
      mappingHash: mapping.hash,
      source,
      sourceUrl: redactUrl(sourceUrl),
    });
  } finally {
    await source.close();
  }
}

/** A mapping file read and compiled, and the tenant it is for: `tenant` (id or slug) or the file's. */
export async function prepareMappingFile(
  db: Database,
  mappingPath: string,
  tenant: string | undefined,
): Promise<{ mapping: PreparedMapping; tenantId: string }> {
  const mapping = prepareMapping(await readFile(mappingPath, 'utf8'), mappingPath);
  return { mapping, tenantId: await resolveTenant(db, tenant ?? mapping.tenant) };
}

/** Opens the source, runs the migration of a prepared mapping into a tenant, and closes the source. */
export function migrateFromSource(options: MigrateFromSourceOptions): Promise<MigrateResult> {
  const { mapping, sourceUrl, ...rest } = options;
  return withOpenedSource(mapping, sourceUrl, (opened) => runMigration({ ...rest, ...opened }));
}

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
  const { mappingPath, tenant, ...rest } = options;
  return migrateFromSource({ ...rest, ...(await prepareMappingFile(options.db, mappingPath, tenant)) });
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
