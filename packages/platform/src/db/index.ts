/**
 * Database: Drizzle on PostgreSQL or PGlite, one schema per service, committed drizzle-kit
 * migrations, and ambient transactions that repositories join.
 * @module
 */
export {
  openDatabase,
  pgliteHandle,
  pgliteExtensions,
  type Database,
  type DatabaseHandle,
  type MigrationSource,
  type OpenDatabaseOptions,
} from './database.ts';
export { inTransaction, executor, inOpenTransaction, afterCommit } from './transaction.ts';
export { insertOne } from './insert-one.ts';
export { timestamptz } from './columns.ts';
export { queryRows } from './raw-query.ts';
export { ensureDatabase } from './ensure-database.ts';
export { isUniqueViolation, isForeignKeyViolation } from './pg-errors.ts';
export { platformTables, type PlatformTables } from './platform-tables.ts';
export {
  withTenantScope,
  withAllTenantsScope,
  currentTenantScope,
  APP_ROLE,
  ALL_TENANTS,
} from './tenant-scope.ts';
export { TENANT_POLICY, rowLevelSecuritySql } from './row-level-security.ts';
