// One text form of a row, computed the same way from a mapped legacy row (here, in JS) and from
// the stored row (in SQL, on PostgreSQL), so that both sides hash to the same number when, and
// only when, every compared column is equal.
//
// Per column: null → `~`; otherwise `<UTF-8 byte length>:<text>` (the length prefix makes the
// concatenation unambiguous whatever the text holds). Columns are joined with `|`. Text is the
// value itself, whole numbers their decimal digits, times ISO 8601 in UTC with milliseconds.
// Row hash: the first 64 bits of md5(<legacy key> '#' <row text>) as a signed integer; key hash:
// the same of md5(<legacy key>). A range's checksum is the count and the exact sum of its row
// hashes, so it does not depend on the order either side reads rows in.
import { hash } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import type { StoredColumn, StoredShape } from '../loader/target-writers.ts';
import type { DiffValue } from './reconcile.table.ts';

/** Count and hash sum of a set of rows (or keys). */
export interface Digest {
  readonly count: number;
  readonly sum: bigint;
}

export const EMPTY_DIGEST: Digest = { count: 0, sum: 0n };

/** Whether two digests are of the same rows (up to a 2^-64 chance of a collision). */
export function sameDigest(a: Digest, b: Digest): boolean {
  return a.count === b.count && a.sum === b.sum;
}

/** The canonical text of one field of a mapped row; null for null. */
export function canonicalValue(column: StoredColumn, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date)
    return column.type === 'timestamptz' ? value.toISOString() : String(value.getTime());
  if (
    typeof value !== 'string' &&
    typeof value !== 'number' &&
    typeof value !== 'bigint' &&
    typeof value !== 'boolean'
  ) {
    throw new TypeError(`${column.field}: a ${typeof value} cannot be compared`);
  }
  const text = String(value);
  return column.type === 'timestamptz' ? new Date(text).toISOString() : text;
}

/** Canonical texts of a mapped row's fields, in the shape's column order. */
export function canonicalValues(shape: StoredShape, row: unknown): (string | null)[] {
  const record = row as Record<string, unknown>;
  return shape.columns.map((column) => canonicalValue(column, record[column.field]));
}

/** The row text of canonical values (see the file header). */
export function rowText(values: readonly (string | null)[]): string {
  let text = '';
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (i > 0) text += '|';
    text += value === null || value === undefined ? '~' : `${Buffer.byteLength(value)}:${value}`;
  }
  return text;
}

// Hex output is the fastest form node:crypto hands a digest out in (a Buffer is slower).
const md5Hex = (text: string): string => hash('md5', text, 'hex');
const first64 = (hex: string): bigint => BigInt.asIntN(64, BigInt(`0x${hex.slice(0, 16)}`));

/** The hash of a mapped row under its legacy key. */
export function rowHash(legacyKey: string, text: string): bigint {
  return first64(md5Hex(`${legacyKey}#${text}`));
}

/** A legacy key's hash, and the first 32 bits of it (unsigned) for key buckets. */
export function keyFingerprint(legacyKey: string): { readonly hash: bigint; readonly top32: number } {
  const hex = md5Hex(legacyKey);
  return { hash: first64(hex), top32: Number.parseInt(hex.slice(0, 8), 16) };
}

/** SQL of a stored column's canonical text (null stays null). */
export function storedTextSql(column: StoredColumn): SQL {
  switch (column.type) {
    case 'timestamptz':
      return sql`to_char(${column.sql} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
    case 'integer':
      return sql`(${column.sql})::text`;
    case 'text':
      return sql`(${column.sql})::text`;
  }
}

/** SQL of a stored row's text (see {@link rowText}). */
export function storedRowTextSql(shape: StoredShape): SQL {
  const parts = shape.columns.map((column) => {
    const text = storedTextSql(column);
    return sql`coalesce(octet_length(${text})::text || ':' || ${text}, '~')`;
  });
  return sql`concat_ws('|', ${sql.join(parts, sql`, `)})`;
}

const hash64Sql = (text: SQL): SQL => sql`('x' || substr(md5(${text}), 1, 16))::bit(64)::bigint`;

/** SQL of {@link rowHash} for a stored row `t` under its id-map row `m`. */
export function storedRowHashSql(shape: StoredShape): SQL {
  return hash64Sql(sql`m.legacy_key || '#' || ${storedRowTextSql(shape)}`);
}

/** SQL of the hash of {@link keyFingerprint} for the id-map row `m`. */
export const keyHashSql: SQL = hash64Sql(sql`m.legacy_key`);

/** SQL of the key bucket (among 2^bits, 1 ≤ bits ≤ 24) of the id-map row `m`: md5's top bits. */
export function keyBucketSql(bits: number): SQL {
  return sql`(('x' || substr(md5(m.legacy_key), 1, 8))::bit(32)::bigint >> ${sql.raw(String(32 - bits))})::int`;
}

/** A canonical text as reports show it: whole numbers as numbers where they are exact. */
export function displayValue(column: StoredColumn, text: string | null): DiffValue {
  if (text === null) return null;
  if (column.type === 'integer') {
    const number = Number(text);
    return Number.isSafeInteger(number) ? number : text;
  }
  return text;
}
