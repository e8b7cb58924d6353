// The one error a transform raises: which rule a value broke, in words a person can act on.

/** Stable names of the rules a row can break (quarantine reasons are filtered by these). */
export type MappingRule =
  | 'column'
  | 'key'
  | 'required'
  | 'cast'
  | 'lookup'
  | 'money_format'
  | 'money_scale'
  | 'money_range'
  | 'currency'
  | 'datetime_format'
  | 'datetime_gap'
  | 'datetime_ambiguous'
  | 'date_format'
  | 'email'
  | 'pattern'
  | 'min'
  | 'max'
  | 'min_length'
  | 'max_length'
  | 'type'
  | 'expr'
  | 'ref';

/** Thrown by a transform step; the row transformer turns it into a field error. */
export class RuleViolation extends Error {
  readonly rule: MappingRule;

  constructor(rule: MappingRule, message: string) {
    super(message);
    this.name = 'RuleViolation';
    this.rule = rule;
  }
}

/** A short, quoted rendering of a source value for messages (long text is cut). */
export function show(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (value instanceof Uint8Array) return `<${value.length} bytes>`;
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return JSON.stringify(value);
}
