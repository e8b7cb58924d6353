// Assertions on problem documents (RFC 9457), shared by the suites.
import { problemSchema, type FieldViolation, type Problem } from '@only/platform/errors';
import { expect } from 'vitest';
import type { ApiResponse } from './tenant-client.ts';

/** Asserts a problem+json response with this status and code, and returns the problem. */
export function expectProblem(response: ApiResponse, status: number, code: string): Problem {
  expect({ status: response.status, body: response.text }).toMatchObject({ status });
  expect(response.header('content-type')).toMatch(/^application\/problem\+json/);
  const problem = problemSchema.parse(response.json());
  expect(problem).toMatchObject({ status, code, type: `/problems/${code}` });
  return problem;
}

/** Asserts a 400 `platform.validation_failed` naming the field (and rule), and returns the problem. */
export function expectValidationProblem(
  response: ApiResponse,
  violation: { field: string; in: FieldViolation['in']; rule?: string },
): Problem {
  const problem = expectProblem(response, 400, 'platform.validation_failed');
  expect(problem.errors).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ ...violation, message: expect.any(String) as unknown }),
    ]),
  );
  return problem;
}
