// Every table of the migration schema, for drizzle-kit and for the service's wiring.
import { platformTables } from '@only/platform/db';
import { migrationSchema } from './migration-schema.ts';

export { migrationSchema } from './migration-schema.ts';
export { runs, checkpoints, idMap, quarantine } from '../modules/runs/runs.table.ts';
export { reconcileRuns, reconcileDiscrepancies } from '../modules/reconcile/reconcile.table.ts';
export { syncState, syncConflicts } from '../modules/sync/sync.table.ts';

const platform = platformTables(migrationSchema);
export const outbox = platform.outbox;
export const processedMessages = platform.processedMessages;
export const idempotencyKeys = platform.idempotencyKeys;
export const migrationPlatformTables = platform;
