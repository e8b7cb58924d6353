/**
 * Lifecycle: ordered, bounded graceful shutdown on signals.
 * @module
 */
export { Lifecycle } from './lifecycle.ts';
