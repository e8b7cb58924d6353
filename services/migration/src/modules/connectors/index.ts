/**
 * Legacy source connectors (read side): open a source from its URL, describe tables, stream rows
 * in keyset-paged batches, count key ranges.
 * @module
 */
export {
  ConnectorError,
  keyOf,
  type ConnectorErrorCode,
  type CountOptions,
  type KeyBound,
  type KeyRange,
  type KeyValue,
  type ReadOptions,
  type SourceBatch,
  type SourceColumn,
  type SourceConnector,
  type SourceKind,
  type SourceRow,
  type SourceShape,
  type SourceSpec,
  type SourceValue,
} from './source-connector.ts';
export { openSourceConnector, type OpenSourceOptions } from './open-connector.ts';
export {
  parseSourceUrl,
  redactSourceUrl,
  sourceKindOf,
  type ParsedSource,
  type ServerSource,
} from './source-url.ts';
export { SqlSourceConnector, DEFAULT_BATCH_SIZE, type SqlDriver, type SqlResult } from './sql-connector.ts';
export {
  SQL_DIALECTS,
  buildBatchSelect,
  buildCount,
  buildDescribe,
  buildListTables,
  buildQueryShape,
  quoteTableName,
  splitTableName,
  type SqlDialect,
  type SqlDialectName,
  type SqlFrom,
  type SqlReadRequest,
  type SqlStatement,
} from './sql-dialect.ts';
export { CsvSourceConnector, csvOptionsFrom, type CsvSourceOptions } from './csv.connector.ts';
