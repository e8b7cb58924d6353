// Assertions on problem documents (RFC 9457), as every Only API renders errors. Plain node:assert
// rather than vitest's expect, so that importing this package outside a test run (bench/) stays light;
// vitest still shows the diff of a failed assertion.
import assert from 'node:assert/strict';
import { problemSchema, type FieldViolation, type Problem } from '@only/platform/errors';
import type { ApiResponse } from './inject-client.ts';

/** What a test expects of one `errors` entry of a validation problem; any rule will do when `rule` is left out. */
export interface ExpectedViolation {
  readonly field: string;
  readonly in: FieldViolation['in'];
  readonly rule?: string;
}

/**
 * Asserts an `application/problem+json` response with this status and `code` (and the matching
 * `type`, `/problems/<code>`), and returns the problem.
 */
export function expectProblem(response: ApiResponse, status: number, code: string): Problem {
  assert.equal(
    response.status,
    status,
    `Expected HTTP ${status}, got ${response.status}: ${response.text.slice(0, 2000)}`,
  );
  assert.match(response.header('content-type') ?? '', /^application\/problem\+json/);
  const problem = problemSchema.parse(response.json());
  assert.deepEqual(
    { status: problem.status, code: problem.code, type: problem.type },
    { status, code, type: `/problems/${code}` },
  );
  return problem;
}

/**
 * Asserts a 400 `platform.validation_failed` whose `errors` name the field where it is (and the
 * rule, when given), and returns the problem.
 */
export function expectValidationProblem(response: ApiResponse, violation: ExpectedViolation): Problem {
  const problem = expectProblem(response, 400, 'platform.validation_failed');
  const errors = problem.errors ?? [];
  const named = errors.some(
    (error) =>
      error.field === violation.field &&
      error.in === violation.in &&
      (violation.rule === undefined || error.rule === violation.rule),
  );
  assert.ok(named, `Expected a violation ${JSON.stringify(violation)} among ${JSON.stringify(errors)}`);
  return problem;
}
