// The legacy ACME order system's tables, described once and rendered as DDL for MariaDB/MySQL and
// SQLite, so the generator, the loaders and the tests agree on column order and types.

/** A column type in the legacy schema's own vocabulary (what an old Oracle/SQL Server app used). */
export type LegacyColumnType =
  | { readonly kind: 'int' }
  | { readonly kind: 'smallint' }
  | { readonly kind: 'char'; readonly length: number }
  | { readonly kind: 'varchar'; readonly length: number }
  | { readonly kind: 'decimal'; readonly precision: number; readonly scale: number }
  | { readonly kind: 'datetime' }
  | { readonly kind: 'date' };

/** One column of a legacy table. */
export interface LegacyColumn {
  readonly name: string;
  readonly type: LegacyColumnType;
  readonly nullable: boolean;
}

/** One legacy table: its columns in order and its primary key. */
export interface LegacyTable {
  readonly name: LegacyTableName;
  readonly columns: readonly LegacyColumn[];
  readonly primaryKey: readonly string[];
  /** Column the legacy app sets on every change (local time), or null where the table has none. */
  readonly lastUpdatedColumn: string | null;
}

/** The tables of the legacy system, in load order (lookups and parents first). */
export const LEGACY_TABLE_NAMES = [
  'ORD_STATUS_CODES',
  'CUSTOMERS',
  'PRODUCTS',
  'STOCK',
  'ORDERS',
  'ORDER_LINES',
  'INVOICES',
  'PAYMENTS',
] as const;
export type LegacyTableName = (typeof LEGACY_TABLE_NAMES)[number];

/** Time zone of every DATETIME in the legacy database: the app wrote local wall-clock time. */
export const LEGACY_TIME_ZONE = 'Europe/Berlin';

const int = { kind: 'int' } as const;
const smallint = { kind: 'smallint' } as const;
const datetime = { kind: 'datetime' } as const;
const date = { kind: 'date' } as const;
const char = (length: number) => ({ kind: 'char', length }) as const;
const varchar = (length: number) => ({ kind: 'varchar', length }) as const;
const decimal = (precision: number, scale: number) => ({ kind: 'decimal', precision, scale }) as const;
const money = decimal(12, 2);

const col = (name: string, type: LegacyColumnType, nullable = false): LegacyColumn => ({
  name,
  type,
  nullable,
});

const TABLES: Record<LegacyTableName, LegacyTable> = {
  ORD_STATUS_CODES: {
    name: 'ORD_STATUS_CODES',
    columns: [col('STATUS_CD', char(1)), col('DESCRIPTION', varchar(40)), col('SORT_SEQ', smallint)],
    primaryKey: ['STATUS_CD'],
    lastUpdatedColumn: null,
  },
  CUSTOMERS: {
    name: 'CUSTOMERS',
    columns: [
      col('CUST_ID', int),
      col('CUST_NAME', varchar(80)),
      col('EMAIL', varchar(120), true),
      col('PHONE_AREA', varchar(6), true),
      col('PHONE_NUM', varchar(20), true),
      col('CUST_TYPE', char(1)),
      col('ACTIVE_FLAG', char(1)),
      col('CREDIT_LIMIT', money),
      col('CREATED_DT', datetime),
      col('LAST_UPDATED', datetime),
    ],
    primaryKey: ['CUST_ID'],
    lastUpdatedColumn: 'LAST_UPDATED',
  },
  PRODUCTS: {
    name: 'PRODUCTS',
    columns: [
      col('SKU', varchar(20)),
      col('PROD_NAME', varchar(100)),
      col('PROD_DESC', varchar(400), true),
      // Three decimals: the app once priced in tenths of a cent; almost all rows end in 0.
      col('LIST_PRICE', decimal(13, 3)),
      col('CURRENCY_CD', char(3)),
      col('TAX_CODE', char(1)),
      col('DISCONTINUED', char(1)),
      col('LAST_UPDATED', datetime),
    ],
    primaryKey: ['SKU'],
    lastUpdatedColumn: 'LAST_UPDATED',
  },
  STOCK: {
    name: 'STOCK',
    columns: [
      col('SKU', varchar(20)),
      col('WH_CODE', char(4)),
      col('QTY_ON_HAND', int),
      col('REORDER_LVL', int),
      col('LAST_COUNT_DT', date, true),
    ],
    primaryKey: ['SKU', 'WH_CODE'],
    // Rewritten by a nightly batch without any change marker: sync must diff this table.
    lastUpdatedColumn: null,
  },
  ORDERS: {
    name: 'ORDERS',
    columns: [
      col('ORDER_NO', int),
      // No foreign key: the legacy app never declared one, which is how orphans got in.
      col('CUST_ID', int),
      col('ORDER_DATE', datetime),
      col('ORD_STATUS', char(1)),
      col('CURRENCY_CD', char(3)),
      col('NET_AMT', money),
      col('TAX_AMT', money),
      col('GROSS_AMT', money),
      col('SHIP_FLAG', char(1)),
      col('REMARKS', varchar(200), true),
      col('LAST_UPDATED', datetime),
    ],
    primaryKey: ['ORDER_NO'],
    lastUpdatedColumn: 'LAST_UPDATED',
  },
  ORDER_LINES: {
    name: 'ORDER_LINES',
    columns: [
      col('ORDER_NO', int),
      col('LINE_NO', smallint),
      col('SKU', varchar(20)),
      col('DESCR', varchar(100)),
      col('QTY', int),
      col('UNIT_PRICE', money),
      col('TAX_RATE', decimal(5, 2)),
      col('LINE_AMT', money),
      col('LAST_UPDATED', datetime),
    ],
    primaryKey: ['ORDER_NO', 'LINE_NO'],
    lastUpdatedColumn: 'LAST_UPDATED',
  },
  INVOICES: {
    name: 'INVOICES',
    columns: [
      col('INVOICE_NO', varchar(16)),
      col('ORDER_NO', int),
      col('INV_DATE', datetime),
      col('DUE_DATE', date),
      col('CURRENCY_CD', char(3)),
      col('NET_AMT', money),
      col('TAX_AMT', money),
      col('GROSS_AMT', money),
      col('PAID_FLAG', char(1)),
      col('LAST_UPDATED', datetime),
    ],
    primaryKey: ['INVOICE_NO'],
    lastUpdatedColumn: 'LAST_UPDATED',
  },
  PAYMENTS: {
    name: 'PAYMENTS',
    columns: [
      col('PAY_ID', int),
      col('INVOICE_NO', varchar(16)),
      col('PAY_DATE', datetime),
      col('AMOUNT', money),
      col('CURRENCY_CD', char(3)),
      col('PAY_METHOD', char(2)),
      col('REFERENCE', varchar(40), true),
      col('LAST_UPDATED', datetime),
    ],
    primaryKey: ['PAY_ID'],
    lastUpdatedColumn: 'LAST_UPDATED',
  },
};

/** The legacy tables in load order. */
export const LEGACY_TABLES: readonly LegacyTable[] = LEGACY_TABLE_NAMES.map((name) => TABLES[name]);

/** One legacy table by name. */
export function legacyTable(name: LegacyTableName): LegacyTable {
  return TABLES[name];
}

/** SQL dialects the example can be loaded into. */
export type LegacyDialect = 'mysql' | 'sqlite';

function typeSql(type: LegacyColumnType, dialect: LegacyDialect): string {
  switch (type.kind) {
    case 'int':
      // SQLite only makes INTEGER (not INT) columns rowid aliases; both read back as integers.
      return dialect === 'sqlite' ? 'INTEGER' : 'INT';
    case 'smallint':
      return 'SMALLINT';
    case 'char':
      return `CHAR(${type.length})`;
    case 'varchar':
      return `VARCHAR(${type.length})`;
    case 'decimal':
      return `DECIMAL(${type.precision},${type.scale})`;
    case 'datetime':
      return 'DATETIME';
    case 'date':
      return 'DATE';
  }
}

function quote(name: string, dialect: LegacyDialect): string {
  return dialect === 'mysql' ? `\`${name}\`` : `"${name}"`;
}

/** `CREATE TABLE` statement of one legacy table. */
export function createTableSql(table: LegacyTable, dialect: LegacyDialect): string {
  const q = (name: string) => quote(name, dialect);
  const columns = table.columns.map(
    (c) => `  ${q(c.name)} ${typeSql(c.type, dialect)}${c.nullable ? '' : ' NOT NULL'}`,
  );
  columns.push(`  PRIMARY KEY (${table.primaryKey.map(q).join(', ')})`);
  const options = dialect === 'mysql' ? ' ENGINE=InnoDB DEFAULT CHARSET=utf8mb4' : '';
  return `CREATE TABLE ${q(table.name)} (\n${columns.join(',\n')}\n)${options}`;
}

/** Statements that (re)create every legacy table, dropping what was there. */
export function legacyDdl(dialect: LegacyDialect): string[] {
  const statements: string[] = [];
  for (const table of [...LEGACY_TABLES].reverse()) {
    statements.push(`DROP TABLE IF EXISTS ${quote(table.name, dialect)}`);
  }
  for (const table of LEGACY_TABLES) statements.push(createTableSql(table, dialect));
  // Secondary indexes the legacy app had for its own screens.
  const index = (name: string, table: string, columns: string[]) =>
    `CREATE INDEX ${quote(name, dialect)} ON ${quote(table, dialect)} (${columns
      .map((c) => quote(c, dialect))
      .join(', ')})`;
  statements.push(index('IX_ORDERS_CUST', 'ORDERS', ['CUST_ID']));
  statements.push(index('IX_INVOICES_ORDER', 'INVOICES', ['ORDER_NO']));
  statements.push(index('IX_PAYMENTS_INVOICE', 'PAYMENTS', ['INVOICE_NO']));
  return statements;
}
