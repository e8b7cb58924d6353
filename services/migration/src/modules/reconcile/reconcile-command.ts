// Opens what a reconciliation needs from a mapping file and a source URL, and runs it.
import type { Database } from '@only/platform/db';
import { prepareMappingFile, withOpenedSource, type PreparedMapping } from '../loader/migrate-command.ts';
import {
  runReconciliation,
  selectEntities,
  type ReconcileOptions,
  type ReconcileResult,
} from './reconcile-run.ts';

/** Options of {@link reconcileFromSource}. */
export interface ReconcileFromSourceOptions extends Omit<
  ReconcileOptions,
  'mapping' | 'mappingName' | 'mappingHash' | 'source' | 'sourceUrl'
> {
  readonly mapping: PreparedMapping;
  /** Read with its password; stored and shown without it. */
  readonly sourceUrl: string;
}

/** Opens the source, reconciles a prepared mapping against a tenant, and closes the source. */
export async function reconcileFromSource(options: ReconcileFromSourceOptions): Promise<ReconcileResult> {
  const { mapping, sourceUrl, ...rest } = options;
  // Refuse unknown entities before connecting anywhere.
  selectEntities(mapping.mapping, options.entities);
  return withOpenedSource(mapping, sourceUrl, (opened) => runReconciliation({ ...rest, ...opened }));
}

/** Options of {@link reconcileFromFiles}. */
export interface ReconcileFromFilesOptions extends Omit<
  ReconcileOptions,
  'mapping' | 'mappingName' | 'mappingHash' | 'source' | 'sourceUrl' | 'tenantId'
> {
  readonly db: Database;
  readonly mappingPath: string;
  readonly sourceUrl: string;
  /** Tenant id or slug; the mapping's `tenant` when absent. */
  readonly tenant?: string;
}

/** Reads and compiles the mapping, resolves the tenant, and reconciles. */
export async function reconcileFromFiles(options: ReconcileFromFilesOptions): Promise<ReconcileResult> {
  const { mappingPath, tenant, ...rest } = options;
  return reconcileFromSource({ ...rest, ...(await prepareMappingFile(options.db, mappingPath, tenant)) });
}
