// SQL text for the five source dialects: quoting, placeholders, row limits, keyset predicates,
// counts and introspection. Pure functions, unit-tested for every dialect (sql-dialect.test.ts);
// MariaDB, PostgreSQL and SQLite also run them against real servers in test/.
import {
  ConnectorError,
  type KeyRange,
  type KeyValue,
  type SourceColumn,
  type SourceValue,
} from './source-connector.ts';

/** The SQL dialects with a connector. */
export type SqlDialectName = 'mysql' | 'postgres' | 'sqlite' | 'mssql' | 'oracle';

/** A statement with positional parameters in the dialect's placeholder syntax. */
export interface SqlStatement {
  readonly sql: string;
  readonly params: readonly SourceValue[];
}

/** What differs between dialects. */
export interface SqlDialect {
  readonly name: SqlDialectName;
  /** One identifier, quoted so its case and any odd characters survive. */
  quoteIdentifier(name: string): string;
  /** The placeholder of the `position`-th parameter (1-based). */
  placeholder(position: number): string;
  /**
   * Whether `(a, b) > (?, ?)` is used for composite keys. Where a dialect lacks row values
   * (SQL Server, Oracle) or its optimiser does not turn them into an index range (MariaDB/MySQL),
   * the expanded form `a >= ? AND (a > ? OR (a = ? AND b > ?))` is used instead.
   */
  readonly rowValues: boolean;
  readonly limitStyle: 'limit' | 'top' | 'fetch-first';
  /** Select-list expression for a column, so values arrive as the connector contract says. */
  project(column: SourceColumn): string;
  /** Placeholder expression comparing a key column with a value read through `project`. */
  keyParam(column: SourceColumn | undefined, placeholder: string): string;
}

const quoteWith =
  (open: string, close: string) =>
  (name: string): string => {
    if (name === '' || name.includes('\0')) {
      throw new ConnectorError('invalid_option', `invalid identifier ${JSON.stringify(name)}`);
    }
    return `${open}${name.replaceAll(close, close + close)}${close}`;
  };

const plain = (quote: (name: string) => string) => (column: SourceColumn) => quote(column.name);
const asIs = (_column: SourceColumn | undefined, placeholder: string) => placeholder;

const mysqlQuote = quoteWith('`', '`');
const ansiQuote = quoteWith('"', '"');
const mssqlQuote = quoteWith('[', ']');

/** Base type name without length/precision: `datetime2(3)` → `datetime2`. */
function baseType(dataType: string): string {
  return dataType
    .toLowerCase()
    .replace(/\(.*\)/, '')
    .trim();
}

/**
 * SQL Server: tedious turns DATETIME into JS Dates and DECIMAL into doubles, so both are converted
 * to text on the server, where they are exact. Style 121 is `yyyy-mm-dd hh:mi:ss.mmm`, 23 is
 * `yyyy-mm-dd`, 127 is ISO 8601 with offset.
 */
function mssqlProject(column: SourceColumn): string {
  const q = mssqlQuote(column.name);
  switch (baseType(column.dataType)) {
    case 'datetime':
    case 'datetime2':
    case 'smalldatetime':
      return `CONVERT(VARCHAR(27), ${q}, 121) AS ${q}`;
    case 'date':
      return `CONVERT(VARCHAR(10), ${q}, 23) AS ${q}`;
    case 'datetimeoffset':
      return `CONVERT(VARCHAR(34), ${q}, 127) AS ${q}`;
    case 'decimal':
    case 'numeric':
    case 'money':
    case 'smallmoney':
      return `CONVERT(VARCHAR(64), ${q}) AS ${q}`;
    default:
      return q;
  }
}

function mssqlKeyParam(column: SourceColumn | undefined, placeholder: string): string {
  const type = column === undefined ? '' : baseType(column.dataType);
  // DATETIME parses 'yyyy-mm-dd …' by SET DATEFORMAT; DATETIME2 with style 121 does not.
  if (type === 'datetime' || type === 'datetime2' || type === 'smalldatetime') {
    return `CONVERT(DATETIME2, ${placeholder}, 121)`;
  }
  return placeholder;
}

/**
 * Oracle: DATE/TIMESTAMP are converted to text on the server in a fixed format, so the session's
 * NLS settings and the Node process's time zone never touch them (NUMBER is fetched as text by
 * the driver when it has decimals).
 */
function oracleProject(column: SourceColumn): string {
  const q = ansiQuote(column.name);
  const type = column.dataType.toLowerCase();
  if (type === 'date') return `TO_CHAR(${q}, 'YYYY-MM-DD HH24:MI:SS') AS ${q}`;
  if (type.startsWith('timestamp') && type.includes('time zone')) {
    return `TO_CHAR(SYS_EXTRACT_UTC(${q}), 'YYYY-MM-DD"T"HH24:MI:SS.FF3"Z"') AS ${q}`;
  }
  if (type.startsWith('timestamp')) return `TO_CHAR(${q}, 'YYYY-MM-DD HH24:MI:SS.FF3') AS ${q}`;
  return q;
}

function oracleKeyParam(column: SourceColumn | undefined, placeholder: string): string {
  const type = column?.dataType.toLowerCase() ?? '';
  if (type === 'date') return `TO_DATE(${placeholder}, 'YYYY-MM-DD HH24:MI:SS')`;
  if (type.startsWith('timestamp') && !type.includes('time zone')) {
    return `TO_TIMESTAMP(${placeholder}, 'YYYY-MM-DD HH24:MI:SS.FF3')`;
  }
  return placeholder;
}

/** The five dialects. */
export const SQL_DIALECTS: Readonly<Record<SqlDialectName, SqlDialect>> = {
  mysql: {
    name: 'mysql',
    quoteIdentifier: mysqlQuote,
    placeholder: () => '?',
    rowValues: false,
    limitStyle: 'limit',
    project: plain(mysqlQuote),
    keyParam: asIs,
  },
  postgres: {
    name: 'postgres',
    quoteIdentifier: ansiQuote,
    placeholder: (position) => `$${position}`,
    rowValues: true,
    limitStyle: 'limit',
    project: plain(ansiQuote),
    keyParam: asIs,
  },
  sqlite: {
    name: 'sqlite',
    quoteIdentifier: ansiQuote,
    placeholder: () => '?',
    rowValues: true,
    limitStyle: 'limit',
    project: plain(ansiQuote),
    keyParam: asIs,
  },
  mssql: {
    name: 'mssql',
    quoteIdentifier: mssqlQuote,
    placeholder: (position) => `@p${position}`,
    rowValues: false,
    limitStyle: 'top',
    project: mssqlProject,
    keyParam: mssqlKeyParam,
  },
  oracle: {
    name: 'oracle',
    quoteIdentifier: ansiQuote,
    placeholder: (position) => `:${position}`,
    rowValues: false,
    // Oracle 12c and later; 11g would need a ROWNUM wrapper.
    limitStyle: 'fetch-first',
    project: oracleProject,
    keyParam: oracleKeyParam,
  },
};

/** Collects parameters and hands out the dialect's placeholders. */
class Params {
  readonly values: SourceValue[] = [];
  private readonly dialect: SqlDialect;

  constructor(dialect: SqlDialect) {
    this.dialect = dialect;
  }

  add(value: SourceValue): string {
    this.values.push(value);
    return this.dialect.placeholder(this.values.length);
  }
}

/** `schema.table` quoted part by part. */
export function quoteTableName(dialect: SqlDialect, table: string): string {
  return splitTableName(table)
    .map((part) => dialect.quoteIdentifier(part))
    .join('.');
}

/** `dbo.ORDERS` → [`dbo`, `ORDERS`]; a plain name stays one part. */
export function splitTableName(table: string): string[] {
  const parts = table.split('.');
  if (parts.length > 3 || parts.some((part) => part === '')) {
    throw new ConnectorError('invalid_option', `invalid table name "${table}"`);
  }
  return parts;
}

/** Where rows come from: a table, or a query wrapped as a derived table. */
export type SqlFrom = { readonly table: string } | { readonly query: string };

function fromClause(dialect: SqlDialect, from: SqlFrom): string {
  if ('table' in from) return quoteTableName(dialect, from.table);
  // Oracle does not accept AS before a table alias.
  return `(${from.query}) ${dialect.name === 'oracle' ? '' : 'AS '}src`;
}

type Comparison = '>' | '>=' | '<' | '<=';

/** The condition `key <op> values` over a (possibly composite) key. */
function keyComparison(
  dialect: SqlDialect,
  key: readonly string[],
  values: KeyValue,
  op: Comparison,
  params: Params,
  columnTypes: ReadonlyMap<string, SourceColumn>,
): string {
  if (values.length !== key.length) {
    throw new ConnectorError(
      'invalid_option',
      `key value has ${values.length} parts, the key (${key.join(', ')}) has ${key.length}`,
    );
  }
  if (values.some((value) => value === null)) {
    throw new ConnectorError('invalid_option', 'key values must not be null');
  }
  const q = (name: string) => dialect.quoteIdentifier(name);
  const p = (index: number) => {
    const name = key[index] ?? '';
    return dialect.keyParam(columnTypes.get(name), params.add(values[index] ?? null));
  };
  const first = key[0] ?? '';
  if (key.length === 1) return `${q(first)} ${op} ${p(0)}`;
  if (dialect.rowValues) {
    return `(${key.map(q).join(', ')}) ${op} (${key.map((_, i) => p(i)).join(', ')})`;
  }
  // The leading-column bound lets the optimiser use an index range; the OR form alone often does
  // not. Built first: placeholders must be numbered in the order they appear.
  const lead = `${q(first)} ${op === '>' || op === '>=' ? '>=' : '<='} ${p(0)}`;
  const strict = op === '>' || op === '<' ? op : op === '>=' ? '>' : '<';
  const terms: string[] = [];
  for (let i = 0; i < key.length; i++) {
    const parts: string[] = [];
    for (let j = 0; j < i; j++) parts.push(`${q(key[j] ?? '')} = ${p(j)}`);
    const last = i === key.length - 1 ? op : strict;
    parts.push(`${q(key[i] ?? '')} ${last} ${p(i)}`);
    terms.push(parts.length === 1 ? (parts[0] ?? '') : `(${parts.join(' AND ')})`);
  }
  return `${lead} AND (${terms.join(' OR ')})`;
}

/** A read or count request, in SQL terms. */
export interface SqlReadRequest {
  readonly from: SqlFrom;
  readonly key: readonly string[];
  readonly filter?: string | undefined;
  readonly after?: KeyValue | undefined;
  readonly range?: KeyRange | undefined;
  /** Known columns of the key, for dialects that convert them (dates on SQL Server/Oracle). */
  readonly keyColumns?: readonly SourceColumn[] | undefined;
}

function whereClause(dialect: SqlDialect, request: SqlReadRequest, params: Params): string {
  const types = new Map((request.keyColumns ?? []).map((column) => [column.name, column]));
  const conditions: string[] = [];
  if (request.filter !== undefined && request.filter.trim() !== '') conditions.push(`(${request.filter})`);
  if (request.after !== undefined) {
    conditions.push(`(${keyComparison(dialect, request.key, request.after, '>', params, types)})`);
  }
  const { lower, upper } = request.range ?? {};
  if (lower !== undefined) {
    const op = lower.inclusive ? '>=' : '>';
    conditions.push(`(${keyComparison(dialect, request.key, lower.key, op, params, types)})`);
  }
  if (upper !== undefined) {
    const op = upper.inclusive ? '<=' : '<';
    conditions.push(`(${keyComparison(dialect, request.key, upper.key, op, params, types)})`);
  }
  return conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`;
}

/** One keyset page: `SELECT … WHERE key > after ORDER BY key LIMIT n`, in the dialect's words. */
export function buildBatchSelect(
  dialect: SqlDialect,
  request: SqlReadRequest & {
    /** Columns to select (projected per dialect); default `*`. */
    readonly columns?: readonly SourceColumn[] | undefined;
    readonly limit: number;
  },
): SqlStatement {
  if (request.key.length === 0) throw new ConnectorError('no_key', 'a keyset read needs key columns');
  if (!Number.isSafeInteger(request.limit) || request.limit < 1) {
    throw new ConnectorError('invalid_option', `batch size must be a positive integer, got ${request.limit}`);
  }
  const params = new Params(dialect);
  const select =
    request.columns === undefined || request.columns.length === 0
      ? '*'
      : request.columns.map((column) => dialect.project(column)).join(', ');
  const where = whereClause(dialect, request, params);
  const orderBy = ` ORDER BY ${request.key.map((k) => dialect.quoteIdentifier(k)).join(', ')}`;
  const from = fromClause(dialect, request.from);
  let sql: string;
  switch (dialect.limitStyle) {
    case 'limit':
      sql = `SELECT ${select} FROM ${from}${where}${orderBy} LIMIT ${request.limit}`;
      break;
    case 'top':
      sql = `SELECT TOP (${request.limit}) ${select} FROM ${from}${where}${orderBy}`;
      break;
    case 'fetch-first':
      sql = `SELECT ${select} FROM ${from}${where}${orderBy} FETCH FIRST ${request.limit} ROWS ONLY`;
      break;
  }
  return { sql, params: params.values };
}

/** `SELECT COUNT(*) AS n …` over the same conditions as a read. */
export function buildCount(dialect: SqlDialect, request: SqlReadRequest): SqlStatement {
  const params = new Params(dialect);
  const where = whereClause(dialect, request, params);
  const alias = dialect.quoteIdentifier('n');
  return {
    sql: `SELECT COUNT(*) AS ${alias} FROM ${fromClause(dialect, request.from)}${where}`,
    params: params.values,
  };
}

/** A query's result columns without reading rows: `SELECT * FROM (q) src WHERE 1 = 0`. */
export function buildQueryShape(dialect: SqlDialect, query: string): SqlStatement {
  return { sql: `SELECT * FROM ${fromClause(dialect, { query })} WHERE 1 = 0`, params: [] };
}

/**
 * Introspection of one table: columns (`column_name`, `data_type`, `is_nullable` as YES/NO/Y/N/1/0)
 * in ordinal order, and primary-key columns (`column_name`) in key order.
 */
export function buildDescribe(
  dialect: SqlDialect,
  table: string,
): { columns: SqlStatement; primaryKey: SqlStatement } {
  const parts = splitTableName(table);
  const name = parts[parts.length - 1] ?? table;
  const schema = parts.length > 1 ? (parts[parts.length - 2] ?? null) : null;
  const params = () => new Params(dialect);
  switch (dialect.name) {
    case 'mysql': {
      const c = params();
      const k = params();
      return {
        columns: {
          sql:
            'SELECT COLUMN_NAME AS column_name, COLUMN_TYPE AS data_type, IS_NULLABLE AS is_nullable ' +
            `FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = COALESCE(${c.add(schema)}, DATABASE()) ` +
            `AND TABLE_NAME = ${c.add(name)} ORDER BY ORDINAL_POSITION`,
          params: c.values,
        },
        primaryKey: {
          sql:
            'SELECT COLUMN_NAME AS column_name FROM information_schema.KEY_COLUMN_USAGE ' +
            `WHERE TABLE_SCHEMA = COALESCE(${k.add(schema)}, DATABASE()) AND TABLE_NAME = ${k.add(name)} ` +
            "AND CONSTRAINT_NAME = 'PRIMARY' ORDER BY ORDINAL_POSITION",
          params: k.values,
        },
      };
    }
    case 'postgres': {
      const c = params();
      const k = params();
      return {
        columns: {
          sql:
            'SELECT column_name, data_type, is_nullable FROM information_schema.columns ' +
            `WHERE table_schema = COALESCE(${c.add(schema)}::text, current_schema()) ` +
            `AND table_name = ${c.add(name)} ORDER BY ordinal_position`,
          params: c.values,
        },
        primaryKey: {
          sql:
            'SELECT kcu.column_name FROM information_schema.table_constraints tc ' +
            'JOIN information_schema.key_column_usage kcu ON kcu.constraint_schema = tc.constraint_schema ' +
            'AND kcu.constraint_name = tc.constraint_name AND kcu.table_name = tc.table_name ' +
            `WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = COALESCE(${k.add(schema)}::text, ` +
            `current_schema()) AND tc.table_name = ${k.add(name)} ORDER BY kcu.ordinal_position`,
          params: k.values,
        },
      };
    }
    case 'sqlite': {
      // pragma_table_info: `pk` is the 1-based position in the primary key, 0 outside it.
      const c = params();
      const k = params();
      const source = (p: Params) =>
        schema === null
          ? `pragma_table_info(${p.add(name)})`
          : `pragma_table_info(${p.add(name)}, ${p.add(schema)})`;
      return {
        columns: {
          sql:
            'SELECT name AS column_name, lower(type) AS data_type, ' +
            `CASE WHEN "notnull" = 1 OR pk > 0 THEN 'NO' ELSE 'YES' END AS is_nullable FROM ${source(c)} ORDER BY cid`,
          params: c.values,
        },
        primaryKey: {
          sql: `SELECT name AS column_name FROM ${source(k)} WHERE pk > 0 ORDER BY pk`,
          params: k.values,
        },
      };
    }
    case 'mssql': {
      const c = params();
      const k = params();
      return {
        columns: {
          sql:
            'SELECT COLUMN_NAME AS column_name, DATA_TYPE AS data_type, IS_NULLABLE AS is_nullable ' +
            `FROM INFORMATION_SCHEMA.COLUMNS WHERE TABLE_SCHEMA = COALESCE(${c.add(schema)}, SCHEMA_NAME()) ` +
            `AND TABLE_NAME = ${c.add(name)} ORDER BY ORDINAL_POSITION`,
          params: c.values,
        },
        primaryKey: {
          sql:
            'SELECT kcu.COLUMN_NAME AS column_name FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS tc ' +
            'JOIN INFORMATION_SCHEMA.KEY_COLUMN_USAGE kcu ON kcu.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA ' +
            'AND kcu.CONSTRAINT_NAME = tc.CONSTRAINT_NAME AND kcu.TABLE_NAME = tc.TABLE_NAME ' +
            `WHERE tc.CONSTRAINT_TYPE = 'PRIMARY KEY' AND tc.TABLE_SCHEMA = COALESCE(${k.add(schema)}, ` +
            `SCHEMA_NAME()) AND tc.TABLE_NAME = ${k.add(name)} ORDER BY kcu.ORDINAL_POSITION`,
          params: k.values,
        },
      };
    }
    case 'oracle': {
      const c = params();
      const k = params();
      const owner = (p: Params) => `COALESCE(${p.add(schema)}, SYS_CONTEXT('USERENV', 'CURRENT_SCHEMA'))`;
      return {
        columns: {
          sql:
            'SELECT COLUMN_NAME AS "column_name", LOWER(DATA_TYPE) AS "data_type", NULLABLE AS "is_nullable" ' +
            `FROM ALL_TAB_COLUMNS WHERE OWNER = ${owner(c)} AND TABLE_NAME = ${c.add(name)} ORDER BY COLUMN_ID`,
          params: c.values,
        },
        primaryKey: {
          sql:
            'SELECT cc.COLUMN_NAME AS "column_name" FROM ALL_CONSTRAINTS c JOIN ALL_CONS_COLUMNS cc ' +
            'ON cc.OWNER = c.OWNER AND cc.CONSTRAINT_NAME = c.CONSTRAINT_NAME ' +
            `WHERE c.CONSTRAINT_TYPE = 'P' AND c.OWNER = ${owner(k)} AND c.TABLE_NAME = ${k.add(name)} ` +
            'ORDER BY cc.POSITION',
          params: k.values,
        },
      };
    }
  }
}

/** Base tables of the connection's current database/schema, by name. */
export function buildListTables(dialect: SqlDialect): SqlStatement {
  switch (dialect.name) {
    case 'mysql':
      return {
        sql:
          'SELECT TABLE_NAME AS table_name FROM information_schema.TABLES ' +
          "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME",
        params: [],
      };
    case 'postgres':
      return {
        sql:
          'SELECT table_name FROM information_schema.tables ' +
          "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name",
        params: [],
      };
    case 'sqlite':
      return {
        sql: "SELECT name AS table_name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
        params: [],
      };
    case 'mssql':
      return {
        sql:
          'SELECT TABLE_NAME AS table_name FROM INFORMATION_SCHEMA.TABLES ' +
          "WHERE TABLE_SCHEMA = SCHEMA_NAME() AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME",
        params: [],
      };
    case 'oracle':
      return { sql: 'SELECT TABLE_NAME AS "table_name" FROM USER_TABLES ORDER BY TABLE_NAME', params: [] };
  }
}
