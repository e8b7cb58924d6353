// Throw-away source databases for the connector suites: one fresh database (or file) per suite,
// filled with the same small tables, dropped afterwards.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import mysql from 'mysql2/promise';
import pg from 'pg';

/**
 * The MariaDB server the suites read from (`MARIADB_URL`, e.g. `mysql://root@127.0.0.1:3306`), as
 * CI's infrastructure pass sets it; without it those suites skip, so `npm test` needs no MariaDB.
 */
export const MARIADB_URL = process.env.MARIADB_URL?.replace(/\/+$/, '') ?? '';
/** The PostgreSQL server `DATABASE_URL` points at, without its database; empty when none is set. */
export const POSTGRES_URL = serverOf(process.env.DATABASE_URL);

function serverOf(url: string | undefined): string {
  if (url === undefined || !/^postgres(ql)?:\/\//.test(url)) return '';
  const server = new URL(url);
  server.pathname = '';
  server.search = '';
  return server.toString().replace(/\/+$/, '');
}

export type FixtureDialect = 'mysql' | 'postgres' | 'sqlite';

/** A source database with the conformance tables in it. */
export interface SourceFixture {
  readonly dialect: FixtureDialect;
  /** URL to open the connector with. */
  readonly url: string;
  /** Quotes a column for a filter fragment in this dialect. */
  q(name: string): string;
  /** Runs a statement directly (to change data behind the connector's back). */
  exec(sql: string): Promise<void>;
  drop(): Promise<void>;
}

/** Rows of the composite-key table: orders with 1–4 lines, so batches split inside an order. */
export const COMPOSITE_ROWS: readonly (readonly [number, number, number])[] = Array.from(
  { length: 20 },
  (_, i) => i + 1,
).flatMap((order) =>
  Array.from(
    { length: (order % 4) + 1 },
    (_, j) => [1000 + order, j + 1, ((order * 7 + j) % 9) + 1] as const,
  ),
);

/** String keys whose byte order and dictionary order differ (case, digits, hyphens, umlaut). */
export const STRING_KEYS: readonly string[] = [
  'CF-000010',
  'CF-000002',
  'cf-000003',
  'TE-1',
  'TE-10',
  'TE-2',
  'EQ_9',
  'EQ-9',
  'Äpfel-1',
  'AC 5',
  'ac-6',
  'Z',
  '0-first',
];

function ddl(dialect: FixtureDialect): string[] {
  const q = (name: string) => (dialect === 'mysql' ? `\`${name}\`` : `"${name}"`);
  const datetime = dialect === 'postgres' ? 'TIMESTAMP' : 'DATETIME';
  const collate = dialect === 'mysql' ? ' CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci' : '';
  const rows = [
    `CREATE TABLE ${q('KS_INT')} (${q('ID')} INTEGER NOT NULL PRIMARY KEY, ${q('NAME')} VARCHAR(40) NOT NULL, ` +
      `${q('AMOUNT')} DECIMAL(12,2) NOT NULL, ${q('HAPPENED')} ${datetime} NOT NULL, ${q('NOTE')} VARCHAR(20), ` +
      `${q('BIG')} BIGINT)`,
    `CREATE TABLE ${q('KS_COMPOSITE')} (${q('ORDER_NO')} INTEGER NOT NULL, ${q('LINE_NO')} INTEGER NOT NULL, ` +
      `${q('QTY')} INTEGER NOT NULL, PRIMARY KEY (${q('ORDER_NO')}, ${q('LINE_NO')}))`,
    `CREATE TABLE ${q('KS_STRING')} (${q('SKU')} VARCHAR(20)${collate} NOT NULL PRIMARY KEY, ${q('N')} INTEGER NOT NULL)`,
    `CREATE TABLE ${q('NO_PK')} (${q('A')} INTEGER, ${q('B')} VARCHAR(10))`,
  ];
  const ints = Array.from({ length: 57 }, (_, i) => {
    const id = (i + 1) * 3; // gaps, so ranges between ids are meaningful
    const cents = id * 137;
    const amount = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
    const day = String((i % 28) + 1).padStart(2, '0');
    const note = i % 5 === 0 ? 'NULL' : `'n${i}'`;
    const big = i === 0 ? '9007199254740993' : String(i);
    return `(${id}, 'name ${id}', ${amount}, '2024-02-${day} 13:45:0${i % 10}', ${note}, ${big})`;
  });
  rows.push(`INSERT INTO ${q('KS_INT')} VALUES ${ints.join(', ')}`);
  rows.push(
    `INSERT INTO ${q('KS_COMPOSITE')} VALUES ${COMPOSITE_ROWS.map(([o, l, n]) => `(${o}, ${l}, ${n})`).join(', ')}`,
  );
  rows.push(
    `INSERT INTO ${q('KS_STRING')} VALUES ${STRING_KEYS.map((sku, i) => `('${sku}', ${i})`).join(', ')}`,
  );
  rows.push(`INSERT INTO ${q('NO_PK')} VALUES (1, 'x'), (2, 'y'), (2, 'y')`);
  return rows;
}

const uniqueName = () => `only_conn_${randomBytes(5).toString('hex')}`;

/** A fresh MariaDB database with the conformance tables. */
export async function mariadbFixture(): Promise<SourceFixture> {
  const name = uniqueName();
  const admin = await mysql.createConnection({ uri: MARIADB_URL, multipleStatements: false });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4`);
  await admin.query(`USE \`${name}\``);
  for (const statement of ddl('mysql')) await admin.query(statement);
  return {
    dialect: 'mysql',
    url: `${MARIADB_URL}/${name}`,
    q: (column) => `\`${column}\``,
    exec: async (sql) => {
      await admin.query(sql);
    },
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await admin.end();
    },
  };
}

/** A fresh PostgreSQL database with the conformance tables in schema `legacy`. */
export async function postgresFixture(): Promise<SourceFixture> {
  const name = uniqueName();
  const admin = new pg.Client({ connectionString: `${POSTGRES_URL}/postgres` });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const client = new pg.Client({ connectionString: `${POSTGRES_URL}/${name}` });
  await client.connect();
  await client.query('CREATE SCHEMA legacy');
  await client.query('SET search_path = legacy');
  for (const statement of ddl('postgres')) await client.query(statement);
  return {
    dialect: 'postgres',
    url: `${POSTGRES_URL}/${name}?schema=legacy`,
    q: (column) => `"${column}"`,
    exec: async (sql) => {
      await client.query(sql);
    },
    drop: async () => {
      await client.end();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** A fresh SQLite file with the conformance tables. */
export function sqliteFixture(): Promise<SourceFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'only-conn-'));
  const path = join(dir, 'legacy.db');
  const db = new DatabaseSync(path);
  for (const statement of ddl('sqlite')) db.exec(statement);
  return Promise.resolve({
    dialect: 'sqlite',
    url: `sqlite:${path}`,
    q: (column) => `"${column}"`,
    exec: (sql) => {
      db.exec(sql);
      return Promise.resolve();
    },
    drop: () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    },
  });
}
