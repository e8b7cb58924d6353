// Watermark values as the source gives them: the SQL condition that reads rows at or after one,
// and the order between two (text of one column: the same format throughout).
import { SQL_DIALECTS, type SourceKind, type SourceValue } from '../connectors/index.ts';
import { parseDateTime, zonedToUtc } from '../mapping/index.ts';

export type WatermarkType = 'timestamp' | 'version';

const TIMESTAMP_TEXT =
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$/;
const VERSION_TEXT = /^-?\d{1,30}$/;

/** The watermark of a source value as text; null for null (such rows are always read). */
export function watermarkText(value: SourceValue | undefined, type: WatermarkType): string | null {
  if (value === null || value === undefined || value instanceof Uint8Array) return null;
  const text = String(value).trim();
  const valid = type === 'version' ? VERSION_TEXT.test(text) : TIMESTAMP_TEXT.test(text);
  if (!valid) throw new Error(`watermark value ${JSON.stringify(text)} is not a ${type}`);
  return text;
}

/** A number ordering timestamps of one column: wall-clock milliseconds, less the offset if given. */
function timestampOrder(text: string): number {
  const parsed = parseDateTime(text);
  if (parsed === null) throw new Error(`watermark value ${JSON.stringify(text)} is not a timestamp`);
  const l = parsed.local;
  const wall = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second, l.millisecond);
  return wall - (parsed.offsetMs ?? 0);
}

/** Negative, zero or positive as `a` is before, at or after `b`. */
export function compareWatermarks(a: string, b: string, type: WatermarkType): number {
  if (type === 'version') {
    const x = BigInt(a);
    const y = BigInt(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return timestampOrder(a) - timestampOrder(b);
}

/** The instant a timestamp watermark stands for (zone-less text read in `timeZone`). */
export function watermarkInstant(text: string, timeZone: string | null): Date | null {
  const parsed = parseDateTime(text);
  if (parsed === null) return null;
  if (parsed.offsetMs !== null) {
    const l = parsed.local;
    return new Date(
      Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second, l.millisecond) - parsed.offsetMs,
    );
  }
  const zoned = zonedToUtc(parsed.local, timeZone ?? 'UTC');
  return zoned.ok ? new Date(zoned.epochMs) : null;
}

/**
 * `column >= <watermark>` in the source's dialect (null for CSV, which cannot filter: rows are
 * compared in JS instead). The value was checked by {@link watermarkText}, so it is inlined.
 */
export function watermarkCondition(
  kind: SourceKind,
  column: string,
  watermark: string,
  type: WatermarkType,
): string | null {
  if (kind === 'csv') return null;
  const dialect = SQL_DIALECTS[kind];
  const valid = type === 'version' ? VERSION_TEXT.test(watermark) : TIMESTAMP_TEXT.test(watermark);
  if (!valid) throw new Error(`watermark ${JSON.stringify(watermark)} is not a ${type}`);
  const literal =
    type === 'version'
      ? watermark
      : kind === 'oracle'
        ? `TIMESTAMP '${watermark.replace('T', ' ')}'`
        : `'${watermark}'`;
  // Rows whose watermark is null are read too: they cannot be placed, so they are never skipped.
  const quoted = dialect.quoteIdentifier(column);
  return `(${quoted} >= ${literal} OR ${quoted} IS NULL)`;
}
