import type { AppError, FieldViolation } from './app-error.ts';
import { platformErrors } from './platform-errors.ts';

/** The parts of a Zod issue that matter for naming the field and the rule. */
export interface IssueLike {
  readonly code: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly format?: unknown;
  readonly origin?: unknown;
  readonly input?: unknown;
  readonly expected?: unknown;
  readonly params?: unknown;
  /** Unknown property names, on `unrecognized_keys` issues. */
  readonly keys?: readonly string[];
}

/** `['lines', 0, 'quantity']` → `lines[0].quantity`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

/**
 * A field that was not sent at all. Zod reports a missing enum or literal as `invalid_value`, not
 * `invalid_type`; its `input` key is present (and undefined) only when parsed with `reportInput`.
 */
function isMissing(issue: IssueLike): boolean {
  if (issue.input !== undefined) return false;
  return issue.code === 'invalid_type' || (issue.code === 'invalid_value' && 'input' in issue);
}

/** The rule name: Zod's issue code, sharpened where Zod lumps several rules together. */
function ruleOf(issue: IssueLike): string {
  if (isMissing(issue)) return 'required';
  if (issue.code === 'invalid_format' && typeof issue.format === 'string') return `format:${issue.format}`;
  if (issue.code === 'invalid_value') return 'one_of';
  if (issue.code === 'custom') {
    const rule = (issue.params as { rule?: unknown } | undefined)?.rule;
    if (typeof rule === 'string') return rule;
  }
  return issue.code;
}

/** Maps Zod issues to field violations in one part of the request. */
export function zodIssuesToViolations(
  issues: readonly IssueLike[],
  location: FieldViolation['in'],
): FieldViolation[] {
  return issues.flatMap((issue) =>
    // One violation per unknown property, named by its own path: that is the field to remove.
    issue.code === 'unrecognized_keys' && issue.keys && issue.keys.length > 0
      ? issue.keys.map((key) => ({
          field: fieldPath([...issue.path, key]),
          in: location,
          rule: 'unknown_field',
          message: 'Not a field of this request',
        }))
      : [toViolation(issue, location)],
  );
}

function toViolation(issue: IssueLike, location: FieldViolation['in']): FieldViolation {
  return {
    field: fieldPath(issue.path) || '(root)',
    in: location,
    rule: ruleOf(issue),
    message: isMissing(issue) ? 'Required' : issue.message,
  };
}

/** A 400 `platform.validation_failed` whose detail names every field and rule. */
export function validationError(violations: readonly FieldViolation[]): AppError {
  const detail = violations.map((v) => `${v.field} (${v.in}): ${v.rule} — ${v.message}`).join('; ');
  return platformErrors.validation_failed(detail, { errors: violations });
}
