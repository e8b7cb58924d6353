// One keyset reader for every SQL source; drivers only run statements and normalise values.
import {
  ConnectorError,
  keyOf,
  type CountOptions,
  type KeyValue,
  type ReadOptions,
  type SourceBatch,
  type SourceColumn,
  type SourceConnector,
  type SourceKind,
  type SourceRow,
  type SourceShape,
  type SourceSpec,
} from './source-connector.ts';
import {
  buildBatchSelect,
  buildCount,
  buildDescribe,
  buildListTables,
  buildQueryShape,
  type SqlDialect,
  type SqlFrom,
  type SqlStatement,
} from './sql-dialect.ts';

/** Rows and result column names of one statement. */
export interface SqlResult {
  readonly rows: SourceRow[];
  readonly columns: readonly string[];
}

/** What a database driver adapter provides: statements in, normalised rows out. */
export interface SqlDriver {
  readonly dialect: SqlDialect;
  query(statement: SqlStatement): Promise<SqlResult>;
  close(): Promise<void>;
}

/** Rows per batch when the caller does not say. */
export const DEFAULT_BATCH_SIZE = 1000;
const MAX_BATCH_SIZE = 100_000;

interface ReadPlan {
  readonly from: SqlFrom;
  readonly key: readonly string[];
  readonly keyColumns: readonly SourceColumn[];
  readonly columns: readonly SourceColumn[] | undefined;
  readonly filter: string | undefined;
}

/** Finds `wanted` among `available`: exact spelling first, then ignoring case (SQL's own rule). */
function resolveColumn(available: readonly SourceColumn[], wanted: string, where: string): SourceColumn {
  const exact = available.find((column) => column.name === wanted);
  if (exact !== undefined) return exact;
  const folded = available.filter((column) => column.name.toLowerCase() === wanted.toLowerCase());
  if (folded.length === 1 && folded[0] !== undefined) return folded[0];
  throw new ConnectorError('column_not_found', `column "${wanted}" not found in ${where}`);
}

/** A {@link SourceConnector} over any SQL database, given its driver. */
export class SqlSourceConnector implements SourceConnector {
  readonly supportsKeyset = true;
  private readonly shapes = new Map<string, Promise<SourceShape>>();
  private closed = false;
  readonly kind: SourceKind;
  private readonly driver: SqlDriver;

  constructor(kind: SourceKind, driver: SqlDriver) {
    this.kind = kind;
    this.driver = driver;
  }

  /** The dialect this connector speaks (for callers that build their own SQL, e.g. checksums). */
  get dialect(): SqlDialect {
    return this.driver.dialect;
  }

  /** Runs a statement on the source (read-only use: checksums, samples). */
  async query(statement: SqlStatement): Promise<SqlResult> {
    this.assertOpen();
    return this.driver.query(statement);
  }

  async listTables(): Promise<string[]> {
    const { rows } = await this.query(buildListTables(this.dialect));
    return rows.map((row) => String(row.table_name));
  }

  async describe(spec: SourceSpec): Promise<SourceShape> {
    this.assertOpen();
    if ('query' in spec) return this.describeQuery(spec.query);
    // Cached: the shape of a table does not change during a run, and every batch needs it.
    let shape = this.shapes.get(spec.table);
    if (shape === undefined) {
      shape = this.describeTable(spec.table);
      shape.catch(() => this.shapes.delete(spec.table));
      this.shapes.set(spec.table, shape);
    }
    return await shape;
  }

  private async describeTable(table: string): Promise<SourceShape> {
    const statements = buildDescribe(this.dialect, table);
    const columns = await this.driver.query(statements.columns);
    if (columns.rows.length === 0) {
      throw new ConnectorError('table_not_found', `table "${table}" not found`);
    }
    const primaryKey = await this.driver.query(statements.primaryKey);
    return {
      columns: columns.rows.map((row) => ({
        name: String(row.column_name),
        dataType: String(row.data_type).toLowerCase(),
        nullable: ['YES', 'Y', '1', 'true'].includes(String(row.is_nullable)),
      })),
      primaryKey: primaryKey.rows.map((row) => String(row.column_name)),
    };
  }

  private async describeQuery(query: string): Promise<SourceShape> {
    const { columns } = await this.driver.query(buildQueryShape(this.dialect, query));
    return {
      columns: columns.map((name) => ({ name, dataType: 'unknown', nullable: true })),
      primaryKey: [],
    };
  }

  private async plan(spec: SourceSpec, wanted: readonly string[] | undefined): Promise<ReadPlan> {
    const shape = await this.describe(spec);
    const where = 'table' in spec ? `table "${spec.table}"` : 'the query';
    const keyNames = spec.key ?? shape.primaryKey;
    if (keyNames.length === 0) {
      throw new ConnectorError('no_key', `${where} has no primary key: name key columns to read it in order`);
    }
    const keyColumns = keyNames.map((name) => resolveColumn(shape.columns, name, where));
    let columns: SourceColumn[] | undefined;
    if (wanted !== undefined && wanted.length > 0) {
      columns = wanted.map((name) => resolveColumn(shape.columns, name, where));
      for (const keyColumn of keyColumns) if (!columns.includes(keyColumn)) columns.push(keyColumn);
    } else if ('table' in spec) {
      columns = [...shape.columns];
    }
    return {
      from: 'table' in spec ? { table: spec.table } : { query: spec.query },
      key: keyColumns.map((column) => column.name),
      keyColumns,
      columns,
      filter: spec.filter,
    };
  }

  async *read(spec: SourceSpec, options: ReadOptions = {}): AsyncGenerator<SourceBatch> {
    const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    if (!Number.isSafeInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
      throw new ConnectorError('invalid_option', `batchSize must be 1…${MAX_BATCH_SIZE}, got ${batchSize}`);
    }
    if (options.skipRows !== undefined && options.skipRows !== 0) {
      throw new ConnectorError('invalid_option', 'skipRows is for files; SQL sources resume with `after`');
    }
    const plan = await this.plan(spec, options.columns);
    const fetch = (after: KeyValue | undefined): Promise<SqlResult> => {
      this.assertOpen();
      options.signal?.throwIfAborted();
      const statement = buildBatchSelect(this.dialect, {
        ...plan,
        after,
        range: options.range,
        limit: batchSize,
      });
      return this.driver.query(statement);
    };

    let position = 0;
    // One batch in flight while the caller works on the previous one: reading overlaps processing,
    // memory stays at two batches.
    let pending: Promise<SqlResult> | undefined = fetch(options.after);
    try {
      while (pending !== undefined) {
        const { rows } = await pending;
        pending = undefined;
        const last = rows.at(-1);
        if (last === undefined) return;
        const lastKey = keyOf(last, plan.key);
        if (lastKey.some((value) => value === null)) {
          throw new ConnectorError(
            'no_key',
            `key (${plan.key.join(', ')}) is null in a row: keys must be non-null`,
          );
        }
        position += rows.length;
        if (rows.length === batchSize) {
          pending = fetch(lastKey);
          // Handled when awaited; this only stops an early `break` from leaving it unobserved.
          pending.catch(() => undefined);
        }
        yield { rows, lastKey, position };
      }
    } finally {
      // Let a prefetch finish before the caller closes the connection.
      if (pending !== undefined) await pending.catch(() => undefined);
    }
  }

  async count(spec: SourceSpec, options: CountOptions = {}): Promise<number> {
    options.signal?.throwIfAborted();
    // Only a key bound needs the key; a plain count works on tables without one.
    const plan: Pick<ReadPlan, 'from' | 'key' | 'keyColumns' | 'filter'> =
      options.after === undefined && options.range === undefined
        ? {
            from: 'table' in spec ? { table: spec.table } : { query: spec.query },
            key: [],
            keyColumns: [],
            filter: spec.filter,
          }
        : await this.plan(spec, undefined);
    const { rows } = await this.query(
      buildCount(this.dialect, { ...plan, after: options.after, range: options.range }),
    );
    const value = rows[0]?.n ?? rows[0]?.N;
    return Number(value ?? 0);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.driver.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new ConnectorError('closed', 'connector is closed');
  }
}
