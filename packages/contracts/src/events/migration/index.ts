/**
 * Events emitted by the migration service.
 * @module
 */
export { syncConflictDetectedV1 } from './sync-conflict-detected.v1.ts';
export { syncFailedV1 } from './sync-failed.v1.ts';
