// The read side of a legacy system: what migrate, reconcile and sync ask of any source.

/**
 * A value as connectors deliver it, the same for every source:
 * - integers that fit a JS number → number; larger ones → decimal string;
 * - DECIMAL/NUMERIC → decimal string (exact), except where a driver only offers doubles (see the
 *   connector's notes) or SQLite stores REAL;
 * - zone-less DATE/DATETIME/TIMESTAMP → `YYYY-MM-DD` / `YYYY-MM-DD HH:MM:SS[.fff]` local wall-clock
 *   text (the mapping says which time zone it is in); zone-aware types → ISO text with offset;
 * - text → string; binary → Uint8Array; SQL NULL → null.
 */
export type SourceValue = string | number | boolean | Uint8Array | null;

/** One source row keyed by column name as the source spells it. */
export type SourceRow = Record<string, SourceValue>;

/** Values of the key columns, in key-column order. */
export type KeyValue = readonly SourceValue[];

/** One end of a key range. */
export interface KeyBound {
  readonly key: KeyValue;
  readonly inclusive: boolean;
}

/** Rows whose key lies between `lower` and `upper` (either may be open). */
export interface KeyRange {
  readonly lower?: KeyBound;
  readonly upper?: KeyBound;
}

/** What to read: a table, or a SQL query whose result has unique, non-null key columns. */
export type SourceSpec =
  | {
      readonly table: string;
      /** Key to page on; defaults to the table's primary key. */
      readonly key?: readonly string[];
      /** A SQL `WHERE` fragment in the source's dialect, trusted (it comes from the mapping file). */
      readonly filter?: string;
    }
  | { readonly query: string; readonly key: readonly string[]; readonly filter?: string };

/** A column as the source describes it. */
export interface SourceColumn {
  readonly name: string;
  /** The source's own type name, lower case (`varchar(20)`, `numeric`, `text`…). */
  readonly dataType: string;
  readonly nullable: boolean;
}

/** Columns and primary key of a table or query. */
export interface SourceShape {
  readonly columns: readonly SourceColumn[];
  /** Primary-key columns in key order; empty when there is none (or for a query). */
  readonly primaryKey: readonly string[];
}

/** Options of {@link SourceConnector.read}. */
export interface ReadOptions {
  /** Rows per batch (default 1000). Memory holds at most two batches. */
  readonly batchSize?: number;
  /** Resume after this key (exclusive): the `lastKey` of the last batch that was fully handled. */
  readonly after?: KeyValue;
  /** Only rows whose key lies in this range. */
  readonly range?: KeyRange;
  /** Columns to read (default: all). Key columns are always added. */
  readonly columns?: readonly string[];
  /** CSV only: data rows to skip (resume by position; keyset reads do not apply to files). */
  readonly skipRows?: number;
  readonly signal?: AbortSignal;
}

/** Options of {@link SourceConnector.count}. */
export interface CountOptions {
  readonly after?: KeyValue;
  readonly range?: KeyRange;
  readonly signal?: AbortSignal;
}

/** One batch of rows in key order. */
export interface SourceBatch {
  readonly rows: readonly SourceRow[];
  /** Key of the last row: pass it as `after` to resume behind this batch. Null for files. */
  readonly lastKey: KeyValue | null;
  /**
   * SQL sources: rows delivered so far by this read, this batch included. Files: data rows from the
   * start of the file through this batch, so `skipRows: position` resumes right after it.
   */
  readonly position: number;
}

/** Kinds of source a URL can name. */
export type SourceKind = 'mysql' | 'postgres' | 'sqlite' | 'mssql' | 'oracle' | 'csv';

/** A legacy source opened from a URL (see `openSourceConnector`). */
export interface SourceConnector {
  readonly kind: SourceKind;
  /** False for files: no keys, no ranges, no filters, no queries; rows come in file order. */
  readonly supportsKeyset: boolean;
  /** Tables (or files) the source offers. */
  listTables(): Promise<string[]>;
  /** Columns and primary key of a table or query. */
  describe(spec: SourceSpec): Promise<SourceShape>;
  /**
   * Streams rows in batches, in key order, by keyset pagination (`WHERE key > last ORDER BY key
   * LIMIT n`): every batch is one short query, so a crash loses at most the batch in hand and a
   * read resumes with `after`. Never holds more than two batches.
   */
  read(spec: SourceSpec, options?: ReadOptions): AsyncIterable<SourceBatch>;
  /** Number of rows, optionally after a key and/or within a key range. */
  count(spec: SourceSpec, options?: CountOptions): Promise<number>;
  close(): Promise<void>;
}

/** Machine-readable reasons a connector refuses or fails. */
export type ConnectorErrorCode =
  | 'unsupported_url'
  | 'invalid_url'
  | 'table_not_found'
  | 'column_not_found'
  | 'no_key'
  | 'keyset_unsupported'
  | 'invalid_option'
  | 'closed';

/** An error raised by a connector itself (driver errors pass through unchanged). */
export class ConnectorError extends Error {
  readonly code: ConnectorErrorCode;

  constructor(code: ConnectorErrorCode, message: string) {
    super(message);
    this.name = 'ConnectorError';
    this.code = code;
  }
}

/** The key of `row` for `keyColumns`. */
export function keyOf(row: SourceRow, keyColumns: readonly string[]): KeyValue {
  return keyColumns.map((column) => row[column] ?? null);
}
