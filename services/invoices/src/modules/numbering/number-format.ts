// Invoice and credit-note number formats: literal text with date tokens and one sequence token,
// e.g. `INV-{YYYY}-{SEQ:6}` → `INV-2026-000001`.

/** The default formats: the series' prefix, the year, and six digits that restart every year. */
export const DEFAULT_FORMATS = {
  invoice: 'INV-{YYYY}-{SEQ:6}',
  credit_note: 'CN-{YYYY}-{SEQ:6}',
} as const;

const TOKEN = /\{(YYYY|YY|MM|SEQ(?::(\d{1,2}))?)\}/g;
const LITERAL = /^[A-Za-z0-9\-_/.#]*$/;

/** Why a format is refused, or undefined when it is usable. */
export function formatProblem(format: string): string | undefined {
  if (format.length === 0 || format.length > 40) return 'Must be 1 to 40 characters long';
  let sequences = 0;
  const literal = format.replace(TOKEN, (_token, name: string, width: string | undefined) => {
    if (name.startsWith('SEQ')) {
      sequences += 1;
      if (width !== undefined && (Number(width) < 1 || Number(width) > 12)) sequences += 10;
    }
    return '';
  });
  if (sequences !== 1) return 'Must contain exactly one {SEQ} or {SEQ:n} token (n from 1 to 12)';
  if (!LITERAL.test(literal))
    return 'Besides the tokens {YYYY}, {YY}, {MM} and {SEQ:n}, only letters, digits and - _ / . # are allowed';
  return undefined;
}

/**
 * The numbering period a format implies for an issue date (`YYYY-MM-DD`): numbers restart when it
 * changes — every month if the format shows the month, every year if it shows the year, never
 * otherwise (`''`).
 */
export function periodOf(format: string, issueDate: string): string {
  const year = issueDate.slice(0, 4);
  if (format.includes('{MM}')) return `${year}-${issueDate.slice(5, 7)}`;
  if (format.includes('{YYYY}') || format.includes('{YY}')) return year;
  return '';
}

/** The number `sequence` of `format` for an issue date (`YYYY-MM-DD`). */
export function formatNumber(format: string, issueDate: string, sequence: number): string {
  return format.replace(TOKEN, (_token, name: string, width: string | undefined) => {
    if (name === 'YYYY') return issueDate.slice(0, 4);
    if (name === 'YY') return issueDate.slice(2, 4);
    if (name === 'MM') return issueDate.slice(5, 7);
    return String(sequence).padStart(width === undefined ? 1 : Number(width), '0');
  });
}
