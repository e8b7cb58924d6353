/**
 * The legacy ACME order system: schema (MariaDB/MySQL and SQLite DDL), a deterministic data
 * generator with documented dirty rows, and loaders. The mapping to Only is `mapping.yaml`.
 * @module
 */
export {
  LEGACY_TABLES,
  LEGACY_TABLE_NAMES,
  LEGACY_TIME_ZONE,
  legacyTable,
  legacyDdl,
  createTableSql,
  type LegacyTable,
  type LegacyTableName,
  type LegacyColumn,
  type LegacyColumnType,
  type LegacyDialect,
} from './legacy-schema.ts';
export {
  LegacyAcmeGenerator,
  legacyAcmeSize,
  decimalText,
  ORDER_STATUS_CODES,
  DEFAULT_SEED,
  MIN_SCALE,
  MAX_SCALE,
  FIRST_ORDER_NO,
  type LegacyAcmeSize,
  type LegacyOrder,
  type LegacyRow,
  type LegacyValue,
} from './generator.ts';
export {
  DIRTY,
  AMBIGUOUS_ORDER_DATE,
  MISSING_CUSTOMER_ID,
  type DirtyRow,
  type DirtyRowOutcome,
} from './dirty-rows.ts';
export { loadLegacyAcme, type LoadOptions, type LoadResult } from './loader.ts';
export { parseLoadTarget, type LoadTarget } from './load-target.ts';
export { mixSeed, createRandom, type Random } from './prng.ts';

/** Absolute path of the example's mapping file. */
export const LEGACY_ACME_MAPPING_PATH = new URL('../mapping.yaml', import.meta.url).pathname;
