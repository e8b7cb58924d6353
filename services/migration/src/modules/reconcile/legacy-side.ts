// Stage 1 on the legacy side: row count and money sums of an entity by one SQL aggregate in the
// source's own dialect (the mapping's filter applied), so nothing is read row by row for it.
import { minorUnitDigits } from '@only/platform/money';
import {
  SqlSourceConnector,
  quoteTableName,
  type SourceConnector,
  type SourceValue,
} from '../connectors/index.ts';
import type { StoredShape } from '../loader/target-writers.ts';
import { parseDecimal, type CompiledEntity, type CompiledMapping } from '../mapping/index.ts';

/** A field mapped from one source column by a `money` step, with where Only stores it. */
export interface MoneyField {
  readonly field: string;
  /** The source column (as the mapping spells it). */
  readonly column: string;
  /** Currency whose decimals convert the legacy sum; null when the mapping names none. */
  readonly currency: string | null;
}

/**
 * Fields of an entity that read one column through a `money` step and are stored in a whole-number
 * column: what stage 1 sums on both sides. With a `currencyColumn`, sums are converted with the
 * mapping's `source.currency` (a source of mixed currencies gets sums in that currency's decimals).
 */
export function moneyFieldsOf(mapping: CompiledMapping, entity: string, shape: StoredShape): MoneyField[] {
  const spec = mapping.mapping.entities[entity];
  if (spec === undefined) return [];
  const out: MoneyField[] = [];
  for (const [field, mapped] of Object.entries(spec.fields)) {
    if (typeof mapped === 'string' || mapped.column === undefined) continue;
    const stored = shape.columns.find((c) => c.field === field);
    if (stored?.type !== 'integer') continue;
    for (const step of mapped.transform ?? []) {
      if (step === 'money') {
        out.push({ field, column: mapped.column, currency: mapping.mapping.source?.currency ?? null });
        break;
      }
      if (typeof step === 'object' && 'money' in step) {
        const currency = step.money.currency ?? mapping.mapping.source?.currency ?? null;
        out.push({ field, column: mapped.column, currency });
        break;
      }
    }
  }
  return out;
}

/** A decimal sum in minor units (exact; float noise from REAL columns rounded half-even). */
export function sumToMinorUnits(value: SourceValue, currency: string | null): string | null {
  if (value === null) return '0';
  if (currency === null || (typeof value !== 'string' && typeof value !== 'number')) return null;
  const parts = parseDecimal(typeof value === 'number' ? value : value.trim());
  if (parts === null) return null;
  let digits: number;
  try {
    digits = minorUnitDigits(currency);
  } catch {
    return null;
  }
  const kept = parts.fraction.padEnd(digits, '0').slice(0, digits);
  const rest = parts.fraction.slice(digits);
  let units = BigInt(parts.whole + kept);
  const first = rest.charCodeAt(0) - 48;
  const beyond = rest.slice(1).replace(/0+$/, '');
  if (first > 5 || (first === 5 && (beyond !== '' || units % 2n === 1n))) units += 1n;
  return (parts.negative && units !== 0n ? -units : units).toString();
}

/** Rows and money sums (minor units) of an entity's source, by SQL aggregate where the source has SQL. */
export async function legacyAggregates(
  source: SourceConnector,
  entity: CompiledEntity,
  money: readonly MoneyField[],
): Promise<{ rows: number; sums: Record<string, string | null> }> {
  if (!(source instanceof SqlSourceConnector) || money.length === 0) {
    const rows = await source.count(entity.source);
    return { rows, sums: Object.fromEntries(money.map((m) => [m.field, null])) };
  }
  const dialect = source.dialect;
  const shape = await source.describe(entity.source);
  // The column as the source spells it (SQL matches names case-insensitively; quoting does not).
  const spelled = (name: string) =>
    shape.columns.find((c) => c.name === name)?.name ??
    shape.columns.find((c) => c.name.toLowerCase() === name.toLowerCase())?.name ??
    name;
  const q = (name: string) => dialect.quoteIdentifier(name);
  const total = (column: string) => {
    const sum = `SUM(${q(spelled(column))})`;
    // Exact text where the driver would hand over a double.
    if (dialect.name === 'mssql') return `CONVERT(VARCHAR(64), ${sum})`;
    if (dialect.name === 'oracle') return `TO_CHAR(${sum})`;
    return sum;
  };
  const spec = entity.source;
  const from =
    'table' in spec
      ? quoteTableName(dialect, spec.table)
      : `(${spec.query}) ${dialect.name === 'oracle' ? '' : 'AS '}src`;
  const where = spec.filter !== undefined && spec.filter.trim() !== '' ? ` WHERE (${spec.filter})` : '';
  const select = [`COUNT(*) AS ${q('n')}`, ...money.map((m, i) => `${total(m.column)} AS ${q(`s${i}`)}`)];
  const { rows } = await source.query({
    sql: `SELECT ${select.join(', ')} FROM ${from}${where}`,
    params: [],
  });
  const row = rows[0] ?? {};
  const value = (name: string): SourceValue => row[name] ?? row[name.toUpperCase()] ?? null;
  return {
    rows: Number(value('n') ?? 0),
    sums: Object.fromEntries(money.map((m, i) => [m.field, sumToMinorUnits(value(`s${i}`), m.currency)])),
  };
}
