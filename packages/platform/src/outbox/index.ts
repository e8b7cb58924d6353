/**
 * Transactional outbox: events written with the change, published by a relay that is safe with
 * many replicas, kept for a retention window as the event log.
 * @module
 */
export { Outbox, type EmitMeta } from './outbox.ts';
export { OutboxRelay, type OutboxRelayOptions } from './relay.ts';
export { pruneExpired, DEFAULT_RETENTION, type RetentionPolicy } from './housekeeping.ts';
