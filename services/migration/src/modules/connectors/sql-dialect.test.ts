// SQL generation for all five dialects. MariaDB, PostgreSQL and SQLite also run this SQL against
// real servers (test/connectors-*.test.ts); SQL Server and Oracle have no server on this machine,
// so for them these string-level tests are the whole verification.
import { describe, expect, it } from 'vitest';
import { ConnectorError, type SourceColumn } from './source-connector.ts';
import {
  SQL_DIALECTS,
  buildBatchSelect,
  buildCount,
  buildDescribe,
  buildListTables,
  buildQueryShape,
  quoteTableName,
  type SqlDialectName,
} from './sql-dialect.ts';

const col = (name: string, dataType = 'int'): SourceColumn => ({ name, dataType, nullable: false });
const ALL: SqlDialectName[] = ['mysql', 'postgres', 'sqlite', 'mssql', 'oracle'];

describe('quoting and placeholders', () => {
  it.each([
    ['mysql', '`ORDER_NO`', '`we``ird`', '?', '?'],
    ['postgres', '"ORDER_NO"', '"we`ird"', '$1', '$2'],
    ['sqlite', '"ORDER_NO"', '"we`ird"', '?', '?'],
    ['mssql', '[ORDER_NO]', '[we`ird]', '@p1', '@p2'],
    ['oracle', '"ORDER_NO"', '"we`ird"', ':1', ':2'],
  ] as const)('%s', (name, plainName, oddName, first, second) => {
    const dialect = SQL_DIALECTS[name];
    expect(dialect.quoteIdentifier('ORDER_NO')).toBe(plainName);
    expect(dialect.quoteIdentifier('we`ird')).toBe(oddName);
    expect(dialect.placeholder(1)).toBe(first);
    expect(dialect.placeholder(2)).toBe(second);
  });

  it('doubles the closing quote inside an identifier', () => {
    expect(SQL_DIALECTS.postgres.quoteIdentifier('a"b')).toBe('"a""b"');
    expect(SQL_DIALECTS.mssql.quoteIdentifier('a]b')).toBe('[a]]b]');
    expect(SQL_DIALECTS.mysql.quoteIdentifier('a`b')).toBe('`a``b`');
  });

  it('rejects empty identifiers and NUL', () => {
    expect(() => SQL_DIALECTS.mysql.quoteIdentifier('')).toThrow(ConnectorError);
    expect(() => SQL_DIALECTS.oracle.quoteIdentifier('a\0b')).toThrow(ConnectorError);
  });

  it('quotes schema-qualified table names part by part', () => {
    expect(quoteTableName(SQL_DIALECTS.mssql, 'dbo.ORDERS')).toBe('[dbo].[ORDERS]');
    expect(quoteTableName(SQL_DIALECTS.oracle, 'LEGACY.ORDERS')).toBe('"LEGACY"."ORDERS"');
    expect(() => quoteTableName(SQL_DIALECTS.postgres, 'a..b')).toThrow(ConnectorError);
  });
});

describe('first batch of a table (no resume point)', () => {
  it.each([
    ['mysql', 'SELECT `ORDER_NO`, `CUST_ID` FROM `ORDERS` ORDER BY `ORDER_NO` LIMIT 500'],
    ['postgres', 'SELECT "ORDER_NO", "CUST_ID" FROM "ORDERS" ORDER BY "ORDER_NO" LIMIT 500'],
    ['sqlite', 'SELECT "ORDER_NO", "CUST_ID" FROM "ORDERS" ORDER BY "ORDER_NO" LIMIT 500'],
    ['mssql', 'SELECT TOP (500) [ORDER_NO], [CUST_ID] FROM [ORDERS] ORDER BY [ORDER_NO]'],
    ['oracle', 'SELECT "ORDER_NO", "CUST_ID" FROM "ORDERS" ORDER BY "ORDER_NO" FETCH FIRST 500 ROWS ONLY'],
  ] as const)('%s', (name, sql) => {
    const statement = buildBatchSelect(SQL_DIALECTS[name], {
      from: { table: 'ORDERS' },
      key: ['ORDER_NO'],
      columns: [col('ORDER_NO'), col('CUST_ID')],
      limit: 500,
    });
    expect(statement).toEqual({ sql, params: [] });
  });

  it('selects * when no columns are given', () => {
    const statement = buildBatchSelect(SQL_DIALECTS.postgres, {
      from: { table: 'T' },
      key: ['ID'],
      limit: 1,
    });
    expect(statement.sql).toBe('SELECT * FROM "T" ORDER BY "ID" LIMIT 1');
  });
});

describe('resume after a single-column key', () => {
  it.each([
    ['mysql', 'SELECT * FROM `PRODUCTS` WHERE (`SKU` > ?) ORDER BY `SKU` LIMIT 10'],
    ['postgres', 'SELECT * FROM "PRODUCTS" WHERE ("SKU" > $1) ORDER BY "SKU" LIMIT 10'],
    ['sqlite', 'SELECT * FROM "PRODUCTS" WHERE ("SKU" > ?) ORDER BY "SKU" LIMIT 10'],
    ['mssql', 'SELECT TOP (10) * FROM [PRODUCTS] WHERE ([SKU] > @p1) ORDER BY [SKU]'],
    ['oracle', 'SELECT * FROM "PRODUCTS" WHERE ("SKU" > :1) ORDER BY "SKU" FETCH FIRST 10 ROWS ONLY'],
  ] as const)('%s', (name, sql) => {
    const statement = buildBatchSelect(SQL_DIALECTS[name], {
      from: { table: 'PRODUCTS' },
      key: ['SKU'],
      after: ['CF-000123'],
      limit: 10,
    });
    expect(statement).toEqual({ sql, params: ['CF-000123'] });
  });
});

describe('resume after a composite key', () => {
  it('uses row values where they are index-friendly (PostgreSQL, SQLite)', () => {
    expect(
      buildBatchSelect(SQL_DIALECTS.postgres, {
        from: { table: 'ORDER_LINES' },
        key: ['ORDER_NO', 'LINE_NO'],
        after: [100002, 3],
        limit: 100,
      }),
    ).toEqual({
      sql: 'SELECT * FROM "ORDER_LINES" WHERE (("ORDER_NO", "LINE_NO") > ($1, $2)) ORDER BY "ORDER_NO", "LINE_NO" LIMIT 100',
      params: [100002, 3],
    });
    expect(
      buildBatchSelect(SQL_DIALECTS.sqlite, {
        from: { table: 'ORDER_LINES' },
        key: ['ORDER_NO', 'LINE_NO'],
        after: [100002, 3],
        limit: 100,
      }).sql,
    ).toBe(
      'SELECT * FROM "ORDER_LINES" WHERE (("ORDER_NO", "LINE_NO") > (?, ?)) ORDER BY "ORDER_NO", "LINE_NO" LIMIT 100',
    );
  });

  it.each([
    [
      'mysql',
      'SELECT * FROM `ORDER_LINES` WHERE (`ORDER_NO` >= ? AND (`ORDER_NO` > ? OR (`ORDER_NO` = ? AND `LINE_NO` > ?))) ORDER BY `ORDER_NO`, `LINE_NO` LIMIT 100',
    ],
    [
      'mssql',
      'SELECT TOP (100) * FROM [ORDER_LINES] WHERE ([ORDER_NO] >= @p1 AND ([ORDER_NO] > @p2 OR ([ORDER_NO] = @p3 AND [LINE_NO] > @p4))) ORDER BY [ORDER_NO], [LINE_NO]',
    ],
    [
      'oracle',
      'SELECT * FROM "ORDER_LINES" WHERE ("ORDER_NO" >= :1 AND ("ORDER_NO" > :2 OR ("ORDER_NO" = :3 AND "LINE_NO" > :4))) ORDER BY "ORDER_NO", "LINE_NO" FETCH FIRST 100 ROWS ONLY',
    ],
  ] as const)(
    'expands to OR form with a leading bound where row values are missing or slow: %s',
    (name, sql) => {
      const statement = buildBatchSelect(SQL_DIALECTS[name], {
        from: { table: 'ORDER_LINES' },
        key: ['ORDER_NO', 'LINE_NO'],
        after: [100002, 3],
        limit: 100,
      });
      // One parameter per placeholder, repeated in order: positional binding needs no names.
      expect(statement).toEqual({ sql, params: [100002, 100002, 100002, 3] });
    },
  );

  it('expands a three-column key with a strict comparison on every prefix', () => {
    const statement = buildBatchSelect(SQL_DIALECTS.mssql, {
      from: { table: 'T' },
      key: ['A', 'B', 'C'],
      after: ['a', 'b', 'c'],
      limit: 5,
    });
    expect(statement.sql).toBe(
      'SELECT TOP (5) * FROM [T] WHERE ([A] >= @p1 AND ([A] > @p2 OR ([A] = @p3 AND [B] > @p4) OR ([A] = @p5 AND [B] = @p6 AND [C] > @p7))) ORDER BY [A], [B], [C]',
    );
    expect(statement.params).toEqual(['a', 'a', 'a', 'b', 'a', 'b', 'c']);
  });
});

describe('key ranges (for reconciliation) and filters', () => {
  it('combines filter, resume point and both bounds, in that order (PostgreSQL)', () => {
    const statement = buildBatchSelect(SQL_DIALECTS.postgres, {
      from: { table: 'ORDER_LINES' },
      key: ['ORDER_NO', 'LINE_NO'],
      filter: `"QTY" > 0`,
      after: [100010, 1],
      range: { lower: { key: [100005, 2], inclusive: true }, upper: { key: [100020, 1], inclusive: false } },
      limit: 50,
    });
    expect(statement.sql).toBe(
      'SELECT * FROM "ORDER_LINES" WHERE ("QTY" > 0) AND (("ORDER_NO", "LINE_NO") > ($1, $2)) AND (("ORDER_NO", "LINE_NO") >= ($3, $4)) AND (("ORDER_NO", "LINE_NO") < ($5, $6)) ORDER BY "ORDER_NO", "LINE_NO" LIMIT 50',
    );
    expect(statement.params).toEqual([100010, 1, 100005, 2, 100020, 1]);
  });

  it('expands inclusive and exclusive bounds (Oracle)', () => {
    const statement = buildCount(SQL_DIALECTS.oracle, {
      from: { table: 'STOCK' },
      key: ['SKU', 'WH_CODE'],
      range: {
        lower: { key: ['A', 'BER1'], inclusive: true },
        upper: { key: ['B', 'MUC1'], inclusive: true },
      },
    });
    expect(statement.sql).toBe(
      'SELECT COUNT(*) AS "n" FROM "STOCK" WHERE ("SKU" >= :1 AND ("SKU" > :2 OR ("SKU" = :3 AND "WH_CODE" >= :4))) AND ("SKU" <= :5 AND ("SKU" < :6 OR ("SKU" = :7 AND "WH_CODE" <= :8)))',
    );
    expect(statement.params).toEqual(['A', 'A', 'A', 'BER1', 'B', 'B', 'B', 'MUC1']);
  });

  it.each([
    ['mysql', "SELECT COUNT(*) AS `n` FROM `ORDERS` WHERE (ORD_STATUS <> 'X') AND (`ORDER_NO` < ?)"],
    ['postgres', 'SELECT COUNT(*) AS "n" FROM "ORDERS" WHERE (ORD_STATUS <> \'X\') AND ("ORDER_NO" < $1)'],
    ['sqlite', 'SELECT COUNT(*) AS "n" FROM "ORDERS" WHERE (ORD_STATUS <> \'X\') AND ("ORDER_NO" < ?)'],
    ['mssql', "SELECT COUNT(*) AS [n] FROM [ORDERS] WHERE (ORD_STATUS <> 'X') AND ([ORDER_NO] < @p1)"],
    ['oracle', 'SELECT COUNT(*) AS "n" FROM "ORDERS" WHERE (ORD_STATUS <> \'X\') AND ("ORDER_NO" < :1)'],
  ] as const)('counts a filtered range: %s', (name, sql) => {
    const statement = buildCount(SQL_DIALECTS[name], {
      from: { table: 'ORDERS' },
      key: ['ORDER_NO'],
      filter: "ORD_STATUS <> 'X'",
      range: { upper: { key: [100100], inclusive: false } },
    });
    expect(statement).toEqual({ sql, params: [100100] });
  });

  it('ignores a blank filter', () => {
    const statement = buildCount(SQL_DIALECTS.sqlite, { from: { table: 'T' }, key: [], filter: '  ' });
    expect(statement.sql).toBe('SELECT COUNT(*) AS "n" FROM "T"');
  });
});

describe('query sources', () => {
  const query = 'SELECT o.ORDER_NO, c.CUST_NAME FROM ORDERS o JOIN CUSTOMERS c ON c.CUST_ID = o.CUST_ID';

  it.each([
    ['mysql', `SELECT * FROM (${query}) AS src WHERE (\`ORDER_NO\` > ?) ORDER BY \`ORDER_NO\` LIMIT 2`],
    ['postgres', `SELECT * FROM (${query}) AS src WHERE ("ORDER_NO" > $1) ORDER BY "ORDER_NO" LIMIT 2`],
    ['sqlite', `SELECT * FROM (${query}) AS src WHERE ("ORDER_NO" > ?) ORDER BY "ORDER_NO" LIMIT 2`],
    ['mssql', `SELECT TOP (2) * FROM (${query}) AS src WHERE ([ORDER_NO] > @p1) ORDER BY [ORDER_NO]`],
    // Oracle rejects AS before a table alias.
    [
      'oracle',
      `SELECT * FROM (${query}) src WHERE ("ORDER_NO" > :1) ORDER BY "ORDER_NO" FETCH FIRST 2 ROWS ONLY`,
    ],
  ] as const)('wraps the query as a derived table: %s', (name, sql) => {
    const statement = buildBatchSelect(SQL_DIALECTS[name], {
      from: { query },
      key: ['ORDER_NO'],
      after: [7],
      limit: 2,
    });
    expect(statement).toEqual({ sql, params: [7] });
  });

  it('describes a query without reading rows', () => {
    expect(buildQueryShape(SQL_DIALECTS.oracle, 'SELECT 1 AS X FROM DUAL').sql).toBe(
      'SELECT * FROM (SELECT 1 AS X FROM DUAL) src WHERE 1 = 0',
    );
    expect(buildQueryShape(SQL_DIALECTS.mssql, 'SELECT 1 AS X').sql).toBe(
      'SELECT * FROM (SELECT 1 AS X) AS src WHERE 1 = 0',
    );
  });
});

describe('value conversion on the server (SQL Server, Oracle)', () => {
  const columns = [
    col('ORDER_NO', 'int'),
    col('ORDER_DATE', 'datetime'),
    col('DUE_DATE', 'date'),
    col('GROSS_AMT', 'decimal'),
    col('PAID_AT', 'datetimeoffset'),
    col('NAME', 'nvarchar'),
  ];

  it('SQL Server converts date/times and decimals to exact text', () => {
    const statement = buildBatchSelect(SQL_DIALECTS.mssql, {
      from: { table: 'dbo.ORDERS' },
      key: ['ORDER_NO'],
      columns,
      limit: 1,
    });
    expect(statement.sql).toBe(
      'SELECT TOP (1) [ORDER_NO], CONVERT(VARCHAR(27), [ORDER_DATE], 121) AS [ORDER_DATE], ' +
        'CONVERT(VARCHAR(10), [DUE_DATE], 23) AS [DUE_DATE], CONVERT(VARCHAR(64), [GROSS_AMT]) AS [GROSS_AMT], ' +
        'CONVERT(VARCHAR(34), [PAID_AT], 127) AS [PAID_AT], [NAME] FROM [dbo].[ORDERS] ORDER BY [ORDER_NO]',
    );
  });

  it('Oracle converts DATE and TIMESTAMP to text in a fixed format', () => {
    const statement = buildBatchSelect(SQL_DIALECTS.oracle, {
      from: { table: 'ORDERS' },
      key: ['ORDER_NO'],
      columns: [
        col('ORDER_NO', 'number'),
        col('ORDER_DATE', 'date'),
        col('SHIPPED_AT', 'timestamp(6)'),
        col('PAID_AT', 'timestamp(6) with time zone'),
      ],
      limit: 1,
    });
    expect(statement.sql).toBe(
      `SELECT "ORDER_NO", TO_CHAR("ORDER_DATE", 'YYYY-MM-DD HH24:MI:SS') AS "ORDER_DATE", ` +
        `TO_CHAR("SHIPPED_AT", 'YYYY-MM-DD HH24:MI:SS.FF3') AS "SHIPPED_AT", ` +
        `TO_CHAR(SYS_EXTRACT_UTC("PAID_AT"), 'YYYY-MM-DD"T"HH24:MI:SS.FF3"Z"') AS "PAID_AT" ` +
        'FROM "ORDERS" ORDER BY "ORDER_NO" FETCH FIRST 1 ROWS ONLY',
    );
  });

  it('converts date key values back when paging on a date key', () => {
    const keyColumns = [col('DAY', 'date'), col('SEQ', 'number')];
    const oracle = buildBatchSelect(SQL_DIALECTS.oracle, {
      from: { table: 'JOURNAL' },
      key: ['DAY', 'SEQ'],
      keyColumns,
      after: ['2024-03-31 00:00:00', 4],
      limit: 10,
    });
    expect(oracle.sql).toContain(`"DAY" >= TO_DATE(:1, 'YYYY-MM-DD HH24:MI:SS')`);
    expect(oracle.sql).toContain(`("DAY" = TO_DATE(:3, 'YYYY-MM-DD HH24:MI:SS') AND "SEQ" > :4)`);
    const mssql = buildBatchSelect(SQL_DIALECTS.mssql, {
      from: { table: 'JOURNAL' },
      key: ['DAY'],
      keyColumns: [col('DAY', 'datetime')],
      after: ['2024-03-31 00:00:00.000'],
      limit: 10,
    });
    expect(mssql.sql).toContain('([DAY] > CONVERT(DATETIME2, @p1, 121))');
  });

  it('leaves values alone in the other dialects', () => {
    for (const name of ['mysql', 'postgres', 'sqlite'] as const) {
      const statement = buildBatchSelect(SQL_DIALECTS[name], {
        from: { table: 'T' },
        key: ['ORDER_NO'],
        columns,
        limit: 1,
      });
      expect(statement.sql).not.toMatch(/CONVERT|TO_CHAR/);
    }
  });
});

describe('introspection', () => {
  it.each(ALL)(
    '%s: columns and primary key of a schema-qualified table, with the parts as parameters',
    (name) => {
      const statements = buildDescribe(SQL_DIALECTS[name], 'legacy.ORDERS');
      // sqlite's pragma takes (table, schema); the others (schema, table).
      const expected = name === 'sqlite' ? ['ORDERS', 'legacy'] : ['legacy', 'ORDERS'];
      expect(statements.columns.params).toEqual(expected);
      expect(statements.primaryKey.params).toEqual(expected);
    },
  );

  it.each([
    ['mysql', /information_schema\.COLUMNS.*COALESCE\(\?, DATABASE\(\)\)/, /CONSTRAINT_NAME = 'PRIMARY'/],
    ['postgres', /information_schema\.columns.*COALESCE\(\$1::text, current_schema\(\)\)/, /'PRIMARY KEY'/],
    ['sqlite', /pragma_table_info\(\?\) ORDER BY cid/, /WHERE pk > 0 ORDER BY pk/],
    [
      'mssql',
      /INFORMATION_SCHEMA\.COLUMNS.*COALESCE\(@p1, SCHEMA_NAME\(\)\)/,
      /'PRIMARY KEY'.*ORDINAL_POSITION/,
    ],
    [
      'oracle',
      /ALL_TAB_COLUMNS WHERE OWNER = COALESCE\(:1, SYS_CONTEXT/,
      /CONSTRAINT_TYPE = 'P'.*ORDER BY cc\.POSITION/,
    ],
  ] as const)(
    '%s: asks the catalogue of the current schema when none is given',
    (name, columns, primaryKey) => {
      const statements = buildDescribe(SQL_DIALECTS[name], 'ORDERS');
      expect(statements.columns.sql).toMatch(columns);
      expect(statements.primaryKey.sql).toMatch(primaryKey);
      if (name === 'sqlite') expect(statements.columns.params).toEqual(['ORDERS']);
      else expect(statements.columns.params).toEqual([null, 'ORDERS']);
    },
  );

  it.each(ALL)('%s: lists tables', (name) => {
    expect(buildListTables(SQL_DIALECTS[name]).sql).toMatch(/table_name/i);
  });
});

describe('refusals', () => {
  it('needs a key, a positive limit and key values that fit the key', () => {
    const dialect = SQL_DIALECTS.mysql;
    expect(() => buildBatchSelect(dialect, { from: { table: 'T' }, key: [], limit: 1 })).toThrow(
      /key columns/,
    );
    expect(() => buildBatchSelect(dialect, { from: { table: 'T' }, key: ['A'], limit: 0 })).toThrow(
      /batch size/,
    );
    expect(() => buildBatchSelect(dialect, { from: { table: 'T' }, key: ['A'], limit: 1.5 })).toThrow(
      /batch size/,
    );
    expect(() =>
      buildBatchSelect(dialect, { from: { table: 'T' }, key: ['A', 'B'], after: [1], limit: 1 }),
    ).toThrow(/1 parts, the key \(A, B\) has 2/);
    expect(() =>
      buildBatchSelect(dialect, { from: { table: 'T' }, key: ['A'], after: [null], limit: 1 }),
    ).toThrow(/must not be null/);
  });
});
