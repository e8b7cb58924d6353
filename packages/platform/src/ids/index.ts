/**
 * Identifiers: prefixed, sortable TypeIDs (`ord_…`, `cus_…`) and UUIDv7 event ids.
 * @module
 */
export { newId, isId, idSchema, type Id } from './ids.ts';
export { uuidv7 } from 'uuidv7';
