// The Only side of a reconciliation: a target's stored rows, reached from legacy keys through
// `migration.id_map`. Keys are sent as lists (JSON) and matched by equality, so which keys a range
// holds is decided by the source's pages alone — no collation or sort order has to agree.
// Callers run these inside the tenant's scope (row-level security); every query filters by tenant
// too.
import { queryRows, type Database } from '@only/platform/db';
import { sql, type SQL } from 'drizzle-orm';
import type { StoredShape } from '../loader/target-writers.ts';
import { keyBucketSql, keyHashSql, storedRowHashSql, storedTextSql, type Digest } from './canonical-row.ts';

/** One entity's target, as the queries need it. */
export interface OnlyTarget {
  readonly db: Database;
  readonly tenantId: string;
  /** Entity name, as the id map files keys under. */
  readonly entity: string;
  readonly shape: StoredShape;
}

/** `m` joined to its stored row: the conditions after `from … m, <shape.from> where`. */
function storedRowOf(target: OnlyTarget): SQL {
  const { shape, tenantId } = target;
  return sql`${shape.matchesIdMap} and ${shape.tenantId} = ${tenantId}${shape.live === undefined ? sql`` : sql` and ${shape.live}`}`;
}

const idMapOf = (target: OnlyTarget): SQL =>
  sql`m.tenant_id = ${target.tenantId} and m.entity = ${target.entity}`;

const digestOf = (row: { n: number; s: string | null } | undefined): Digest => ({
  count: row?.n ?? 0,
  sum: BigInt(row?.s ?? '0'),
});

/**
 * Digests of several runs of legacy keys: `keys` is their concatenation and `starts` the position
 * (0-based) where each run begins. Keys without a stored row add nothing.
 */
export async function storedDigests(
  target: OnlyTarget,
  keys: readonly string[],
  starts: readonly number[],
): Promise<Digest[]> {
  if (starts.length === 0) return [];
  // width_bucket numbers the runs 1… by the 1-based ordinal of each key; one run needs no grouping.
  const bounds = `{${starts.map((start) => start + 1).join(',')}}`;
  const part = starts.length === 1 ? sql`1` : sql`width_bucket(k.ord, ${bounds}::bigint[])`;
  const rows = await queryRows<{ part: number; n: number; s: string | null }>(
    target.db,
    sql`select ${part} as part, count(*)::int as n, sum(${storedRowHashSql(target.shape)})::text as s
      from jsonb_array_elements_text(${JSON.stringify(keys)}::jsonb) with ordinality as k(legacy_key, ord)
      join migration.id_map m on ${idMapOf(target)} and m.legacy_key = k.legacy_key,
        ${target.shape.from}
      where ${storedRowOf(target)}${starts.length === 1 ? sql`` : sql` group by 1`}`,
  );
  const byPart = new Map(rows.map((row) => [row.part, row] as const));
  return starts.map((_, i) => digestOf(byPart.get(i + 1)));
}

/** What Only holds for one legacy key. */
export interface StoredRow {
  /** From the id map; null when the key was never loaded. */
  readonly onlyId: string | null;
  /** Whether the stored row exists (and is live). */
  readonly present: boolean;
  /** Canonical texts of the shape's columns (empty unless asked for and present). */
  readonly values: readonly (string | null)[];
  /** Whether the key is in the tenant's quarantine (when asked for). */
  readonly quarantined: boolean;
}

/** The stored rows of the given legacy keys, by key; keys Only never had come back absent. */
export async function fetchStored(
  target: OnlyTarget,
  keys: readonly string[],
  options: { readonly values?: boolean; readonly quarantine?: boolean } = {},
): Promise<Map<string, StoredRow>> {
  const out = new Map<string, StoredRow>();
  if (keys.length === 0) return out;
  const { shape } = target;
  const columns = options.values === true ? shape.columns : [];
  const selected = columns.map((column, i) => sql`, ${storedTextSql(column)} as ${sql.raw(`c${i}`)}`);
  const picked = columns.map((_, i) => sql`, s.${sql.raw(`c${i}`)}`);
  const quarantined =
    options.quarantine === true
      ? sql`exists (select 1 from migration.quarantine q where q.tenant_id = ${target.tenantId}
          and q.entity = ${target.entity} and q.legacy_key = k.legacy_key)`
      : sql`false`;
  const rows = await queryRows<Record<string, string | boolean | null>>(
    target.db,
    sql`select k.legacy_key, m.only_id, s.present is not null as present, ${quarantined} as quarantined${sql.join(picked, sql``)}
      from jsonb_array_elements_text(${JSON.stringify(keys)}::jsonb) as k(legacy_key)
      left join migration.id_map m on ${idMapOf(target)} and m.legacy_key = k.legacy_key
      left join lateral (
        select true as present${sql.join(selected, sql``)} from ${shape.from} where ${storedRowOf(target)} limit 1
      ) s on true`,
  );
  for (const row of rows) {
    const present = row.present === true;
    out.set(String(row.legacy_key), {
      onlyId: typeof row.only_id === 'string' ? row.only_id : null,
      present,
      values: present ? columns.map((_, i) => (row[`c${i}`] ?? null) as string | null) : [],
      quarantined: row.quarantined === true,
    });
  }
  return out;
}

/** How many legacy keys the id map holds for the entity (an index-only count). */
export async function mappedKeyCount(target: OnlyTarget): Promise<number> {
  const [row] = await queryRows<{ n: number }>(
    target.db,
    sql`select count(*)::int as n from migration.id_map m where ${idMapOf(target)}`,
  );
  return row?.n ?? 0;
}

/** Stage 1 on Only, with the key buckets of its keyed rows (see key-buckets.ts). */
export interface OnlyAggregates {
  /** Rows under a legacy key (live). */
  readonly rows: number;
  /** The tenant's rows without a legacy key. */
  readonly native: number;
  /** Money sums of the keyed rows, in minor units. */
  readonly sums: Record<string, string | null>;
  /** Count and key-hash sum of the keyed rows per key bucket. */
  readonly buckets: Map<number, Digest>;
}

/**
 * Stage 1 on Only: one scan of the keyed rows gives their count, money sums and key buckets
 * (2^bits); one count of the tenant's rows gives the native ones.
 */
export async function onlyAggregates(
  target: OnlyTarget,
  sums: readonly { readonly field: string; readonly sql: SQL }[],
  bits: number,
): Promise<OnlyAggregates> {
  const sumSql = sums.map((s, i) => sql`, coalesce(sum(${s.sql}), 0)::text as ${sql.raw(`s${i}`)}`);
  const perBucket = await queryRows<Record<string, string | number | null>>(
    target.db,
    sql`select ${keyBucketSql(bits)} as b, count(*)::int as n, sum(${keyHashSql})::text as k${sql.join(sumSql, sql``)}
      from migration.id_map m, ${target.shape.from}
      where ${idMapOf(target)} and ${storedRowOf(target)}
      group by 1`,
  );
  const { shape } = target;
  const [all] = await queryRows<{ n: number }>(
    target.db,
    sql`select count(*)::int as n from ${shape.from}
      where ${shape.tenantId} = ${target.tenantId}${shape.live === undefined ? sql`` : sql` and ${shape.live}`}`,
  );
  let rows = 0;
  const totals = sums.map(() => 0n);
  const buckets = new Map<number, Digest>();
  for (const row of perBucket) {
    const count = Number(row.n);
    rows += count;
    buckets.set(Number(row.b), { count, sum: BigInt(String(row.k ?? '0')) });
    sums.forEach((_, i) => (totals[i] = (totals[i] ?? 0n) + BigInt(String(row[`s${i}`] ?? '0'))));
  }
  return {
    rows,
    native: Math.max(0, (all?.n ?? 0) - rows),
    sums: Object.fromEntries(sums.map((s, i) => [s.field, (totals[i] ?? 0n).toString()])),
    buckets,
  };
}

/** The legacy keys Only holds rows for in the given key buckets. */
export async function keysInBuckets(
  target: OnlyTarget,
  bits: number,
  buckets: readonly number[],
): Promise<{ legacyKey: string; bucket: number }[]> {
  if (buckets.length === 0) return [];
  const rows = await queryRows<{ legacy_key: string; b: number }>(
    target.db,
    sql`select m.legacy_key, ${keyBucketSql(bits)} as b
      from migration.id_map m, ${target.shape.from}
      where ${idMapOf(target)} and ${storedRowOf(target)}
        and ${keyBucketSql(bits)} in (select jsonb_array_elements_text(${JSON.stringify(buckets)}::jsonb)::int)`,
  );
  return rows.map((row) => ({ legacyKey: row.legacy_key, bucket: row.b }));
}
