// Opens what a sync needs from a mapping file and a source URL, and runs it.
import type { Database } from '@only/platform/db';
import { prepareMappingFile, withOpenedSource, type PreparedMapping } from '../loader/migrate-command.ts';
import { runSync, type SyncOptions, type SyncResult } from './sync-run.ts';

/** Options of {@link syncFromSource}. */
export interface SyncFromSourceOptions extends Omit<SyncOptions, 'mapping' | 'source'> {
  readonly mapping: PreparedMapping;
  /** Read with its password; never stored or shown with it. */
  readonly sourceUrl: string;
}

/** Opens the source, syncs the tenant from it, and closes it. */
export function syncFromSource(options: SyncFromSourceOptions): Promise<SyncResult> {
  const { mapping, sourceUrl, ...rest } = options;
  return withOpenedSource(mapping, sourceUrl, ({ mapping: compiled, source }) =>
    runSync({ ...rest, mapping: compiled, source }),
  );
}

/** Options of {@link syncFromFiles}. */
export interface SyncFromFilesOptions extends Omit<SyncFromSourceOptions, 'mapping' | 'tenantId'> {
  readonly db: Database;
  readonly mappingPath: string;
  /** Tenant id or slug; the mapping's `tenant` when absent. */
  readonly tenant?: string;
}

/** Reads and compiles the mapping, resolves the tenant and syncs it. */
export async function syncFromFiles(options: SyncFromFilesOptions): Promise<SyncResult> {
  const { mappingPath, tenant, ...rest } = options;
  return syncFromSource({ ...rest, ...(await prepareMappingFile(options.db, mappingPath, tenant)) });
}
