// Assertions on problem documents (RFC 9457), shared by the suites.
import { expect } from 'vitest';

export { expectProblem, expectValidationProblem, type ExpectedViolation } from '@only/testing';

/** Matches any string, or a string matching `pattern` (typed `unknown`, not `any`, for strict lint). */
export function aString(pattern?: RegExp): unknown {
  return pattern === undefined ? expect.any(String) : expect.stringMatching(pattern);
}
